-- 后续处置: the steps a department records after a problem result (re-check, case filed, clue handed over, credit
-- consequence, investigation resolved) and its closure, kept for ever in order.
CREATE TABLE follow_up_actions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    result_id   bigint NOT NULL REFERENCES inspection_results (id),
    kind        text NOT NULL CHECK (kind IN ('recheck', 'case_filed', 'clue_handed', 'credit_consequence', 'resolved', 'closed')),
    acted_on    date NOT NULL,
    note        text NOT NULL DEFAULT '',
    rectified   boolean,
    reference   text NOT NULL DEFAULT '',
    consequence text CHECK (consequence IN ('abnormal_operation_list', 'serious_violation_list')),
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_actions_result ON follow_up_actions (result_id, id);
CREATE UNIQUE INDEX follow_up_actions_closed_once ON follow_up_actions (result_id) WHERE kind IN ('closed', 'resolved');
CREATE TRIGGER follow_up_actions_append_only BEFORE UPDATE OR DELETE ON follow_up_actions
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
COMMENT ON TABLE follow_up_actions IS '检查结果后续处置记录';
