-- 一公开, second part: a published result changes only as a new version (a correction by the department, a
-- withholding, later an upheld objection or a resolved follow-up), written in the same transaction as the change;
-- and a result, or a part of it, can be withheld from the public (不予公开).

ALTER TABLE inspection_results
    ADD COLUMN version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    ADD COLUMN withholding jsonb;
COMMENT ON COLUMN inspection_results.version IS '已公示的版本数';
COMMENT ON COLUMN inspection_results.withholding IS '不予公开的决定（理由、范围、批准的部门负责人）';

ALTER TABLE inspection_results DISABLE TRIGGER inspection_results_forward;
UPDATE inspection_results SET version = 1 WHERE status = 'published';
ALTER TABLE inspection_results ENABLE TRIGGER inspection_results_forward;

ALTER TABLE published_results
    ADD COLUMN change text CHECK (change IN ('correction', 'withheld', 'objection_upheld', 'follow_up_resolved')),
    ADD CONSTRAINT published_results_change_given CHECK ((version = 1) = (change IS NULL));

-- The department edits and submits; a reviewer decides; a head may withhold before publication (nothing else
-- changing); publication and every later version change the row only together with the version they publish.
CREATE OR REPLACE FUNCTION refuse_settled_result_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent inspection_results%ROWTYPE;
BEGIN
    IF TG_TABLE_NAME = 'inspection_results' THEN
        IF TG_OP = 'DELETE'
           OR (NEW.draw_id, NEW.credit_code, NEW.department) IS DISTINCT FROM (OLD.draw_id, OLD.credit_code, OLD.department)
           OR NOT (OLD.status IN ('draft', 'returned', 'rejected') AND NEW.status IN (OLD.status, 'submitted') AND NEW.version = 0
                   OR OLD.status = 'submitted' AND NEW.status IN ('approved', 'returned', 'rejected') AND NEW.version = 0
                   OR OLD.status IN ('submitted', 'approved') AND NEW.status = OLD.status AND NEW.version = 0
                      AND (NEW.inspected_on, NEW.remarks) IS NOT DISTINCT FROM (OLD.inspected_on, OLD.remarks)
                   OR OLD.status IN ('approved', 'published') AND NEW.status = 'published' AND NEW.version = OLD.version + 1
                      AND EXISTS (SELECT 1 FROM published_results p WHERE p.result_id = OLD.id AND p.version = NEW.version)
                      AND (OLD.status = 'published'
                           OR (NEW.inspected_on, NEW.remarks) IS NOT DISTINCT FROM (OLD.inspected_on, OLD.remarks))) THEN
            RAISE EXCEPTION '检查结果不可如此修改 (% on result %, %)', TG_OP, OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    SELECT * INTO parent FROM inspection_results WHERE id = COALESCE(NEW.result_id, OLD.result_id);
    IF NOT (parent.status IN ('draft', 'returned', 'rejected')
            OR parent.status = 'published'
               AND EXISTS (SELECT 1 FROM published_results p WHERE p.result_id = parent.id AND p.version > parent.version)) THEN
        RAISE EXCEPTION '检查结果已提交或公示，其事项与结论只能随新的公示版本修改 (result %)', parent.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$;
