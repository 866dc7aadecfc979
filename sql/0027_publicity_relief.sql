-- 信用修复 and 停止公示: granted on the inspected business's application by the department's head, each published as
-- the result's next version with its ground (001 后续处理). A stopped result leaves the public search and the feed.

ALTER TABLE inspection_results ADD COLUMN relief jsonb;
COMMENT ON COLUMN inspection_results.relief IS '依申请准予的信用修复或停止公示（申请人、申请日期、依据、批准的部门负责人）';

ALTER TABLE published_results DROP CONSTRAINT published_results_change_check,
    ADD CONSTRAINT published_results_change_check CHECK (change IN ('correction', 'withheld', 'objection_upheld',
        'follow_up_resolved', 'credit_repaired', 'publication_stopped'));

-- The results whose publication stopped: the public search and the feed leave out every earlier version of them.
CREATE INDEX published_results_stopped ON published_results (result_id) WHERE change = 'publication_stopped';
