-- The annual cap (two inspections per object a year) counts what this view holds: every drawn object of a year,
-- except one replaced by an approved change (docs/DRAW-SPEC.md §6: it no longer counts; its replacement does).
CREATE VIEW counted_inspections AS
SELECT d.draw_id, d.credit_code, d.year
FROM drawn_objects d
WHERE NOT EXISTS (SELECT 1 FROM draw_changes c
                  WHERE c.draw_id = d.draw_id AND c.credit_code = d.credit_code AND c.kind = 'replace_object' AND c.status = 'approved');
COMMENT ON VIEW counted_inspections IS '计入年度抽查次数上限的抽中对象（经批准被替换的不计）';
CREATE INDEX draw_changes_replaced ON draw_changes (draw_id, credit_code) WHERE kind = 'replace_object' AND status = 'approved';
