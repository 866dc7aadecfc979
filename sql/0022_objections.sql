-- 异议: the inspected business's objection to a published result, its re-examination (复查) and the feedback (反馈).
CREATE SEQUENCE objection_receipts;

CREATE TABLE objections (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    receipt_number    text NOT NULL UNIQUE
                      DEFAULT ('YY' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY') || lpad(nextval('objection_receipts')::text, 6, '0')),
    check_code_digest text NOT NULL,
    result_id         bigint NOT NULL REFERENCES inspection_results (id),
    department        text NOT NULL REFERENCES departments (code),
    version           integer NOT NULL CHECK (version >= 1),
    channel           text NOT NULL CHECK (channel IN ('online', 'paper')),
    credit_code       text NOT NULL,
    business_name     text NOT NULL,
    contact           text NOT NULL,
    grounds           text NOT NULL,
    attachments       text[] NOT NULL DEFAULT '{}',
    received_on       date NOT NULL,
    registered_by     text,
    reexamine_due     date NOT NULL,
    status            text NOT NULL DEFAULT 'reexamining' CHECK (status IN ('reexamining', 'upheld', 'maintained')),
    decided_by        text,
    decided_on        date,
    opinion           text NOT NULL DEFAULT '',
    feedback_due      date,
    feedback_on       date,
    feedback          text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'reexamining') = (decided_on IS NULL)),
    CHECK (feedback_on IS NULL OR decided_on IS NOT NULL)
);
CREATE UNIQUE INDEX objections_one_open ON objections (result_id) WHERE status = 'reexamining';
CREATE INDEX objections_department ON objections (department, id DESC);
COMMENT ON TABLE objections IS '检查结果异议、复查与反馈';

-- What was filed never changes; the decision is taken once, the feedback given once.
CREATE FUNCTION refuse_settled_objection_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       OR (NEW.receipt_number, NEW.check_code_digest, NEW.result_id, NEW.department, NEW.version, NEW.channel, NEW.credit_code,
           NEW.business_name, NEW.contact, NEW.grounds, NEW.attachments, NEW.received_on, NEW.registered_by, NEW.reexamine_due)
          IS DISTINCT FROM
          (OLD.receipt_number, OLD.check_code_digest, OLD.result_id, OLD.department, OLD.version, OLD.channel, OLD.credit_code,
           OLD.business_name, OLD.contact, OLD.grounds, OLD.attachments, OLD.received_on, OLD.registered_by, OLD.reexamine_due)
       OR OLD.status <> 'reexamining'
          AND (NEW.status, NEW.decided_by, NEW.decided_on, NEW.opinion, NEW.feedback_due)
              IS DISTINCT FROM (OLD.status, OLD.decided_by, OLD.decided_on, OLD.opinion, OLD.feedback_due)
       OR OLD.feedback_on IS NOT NULL AND (NEW.feedback_on, NEW.feedback) IS DISTINCT FROM (OLD.feedback_on, OLD.feedback) THEN
        RAISE EXCEPTION '异议记录不可如此修改 (objection %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER objections_settled BEFORE UPDATE OR DELETE ON objections
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_objection_change();

ALTER TABLE escalations DROP CONSTRAINT escalations_kind_check,
    ADD CONSTRAINT escalations_kind_check
    CHECK (kind IN ('call_response', 'confirmation', 'action_item', 'clue_route', 'result_publication',
                    'objection_reexamination', 'objection_feedback'));
ALTER TABLE notifications DROP CONSTRAINT notifications_subject_type_check,
    ADD CONSTRAINT notifications_subject_type_check CHECK (subject_type IN ('call', 'draw', 'meeting', 'clue', 'calendar', 'objection'));
