-- 一公开, first part: each department's result of each drawn object (谁检查、谁录入、谁负责), its review (审核) and
-- its publication (公示), as versions that are never changed in place.

CREATE TABLE inspection_results (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draw_id      bigint NOT NULL REFERENCES draws (id),
    credit_code  text NOT NULL REFERENCES objects (credit_code),
    department   text NOT NULL REFERENCES departments (code),
    status       text NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'submitted', 'returned', 'rejected', 'approved', 'published')),
    inspected_on date,
    remarks      text NOT NULL DEFAULT '',
    entered_by   text NOT NULL,
    publish_due  date NOT NULL,
    deadline_from date NOT NULL,
    deadline_working_days integer NOT NULL CHECK (deadline_working_days BETWEEN 1 AND 60),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (draw_id, credit_code, department)
);
CREATE INDEX inspection_results_due ON inspection_results (publish_due) WHERE status <> 'published';
COMMENT ON TABLE inspection_results IS '检查结果（每个部门对每个抽中对象）';

-- Item results (正常 / 不正常, 合格 / 不合格) and the overall categories, stored as rows, never as joined strings.
CREATE TABLE result_items (
    result_id      bigint NOT NULL REFERENCES inspection_results (id),
    entry_number   integer NOT NULL,
    outcome        text NOT NULL CHECK (outcome IN ('normal', 'abnormal', 'pass', 'fail')),
    method         text NOT NULL,
    finding        text NOT NULL DEFAULT '',
    breached_basis text NOT NULL DEFAULT '',
    evidence       text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (result_id, entry_number)
);
COMMENT ON TABLE result_items IS '检查事项结果';

CREATE TABLE result_categories (
    result_id bigint NOT NULL REFERENCES inspection_results (id),
    position  integer NOT NULL,
    category  text NOT NULL CHECK (category IN ('no_problem', 'unpublished_info', 'falsified_info', 'unreachable',
                                                'refused_inspection', 'no_related_activity', 'ordered_to_correct',
                                                'pending_follow_up', 'pass', 'fail', 'other')),
    finding   jsonb NOT NULL,
    PRIMARY KEY (result_id, position),
    UNIQUE (result_id, category)
);
COMMENT ON TABLE result_categories IS '检查结果公示表述（可多项）及其认定依据';

-- A result moves only forward once submitted; a published one never changes; its items and categories change only
-- while the department may still edit it.
CREATE FUNCTION refuse_settled_result_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent text;
BEGIN
    IF TG_TABLE_NAME = 'inspection_results' THEN
        IF TG_OP = 'DELETE' OR OLD.status = 'published'
           OR (NEW.draw_id, NEW.credit_code, NEW.department) IS DISTINCT FROM (OLD.draw_id, OLD.credit_code, OLD.department)
           OR NOT (OLD.status IN ('draft', 'returned', 'rejected') AND NEW.status IN (OLD.status, 'submitted')
                   OR OLD.status = 'submitted' AND NEW.status IN ('approved', 'returned', 'rejected')
                   OR OLD.status = 'approved' AND NEW.status = 'published' AND NEW.remarks = OLD.remarks
                      AND NEW.inspected_on IS NOT DISTINCT FROM OLD.inspected_on) THEN
            RAISE EXCEPTION '检查结果不可如此修改 (% on result %, %)', TG_OP, OLD.id, OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    SELECT status INTO parent FROM inspection_results WHERE id = COALESCE(NEW.result_id, OLD.result_id);
    IF parent NOT IN ('draft', 'returned', 'rejected') THEN
        RAISE EXCEPTION '检查结果已提交或公示，其事项与结论不可修改 (result %)', COALESCE(NEW.result_id, OLD.result_id)
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$;
CREATE TRIGGER inspection_results_forward BEFORE UPDATE OR DELETE ON inspection_results
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_result_change();
CREATE TRIGGER result_items_editable BEFORE INSERT OR UPDATE OR DELETE ON result_items
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_result_change();
CREATE TRIGGER result_categories_editable BEFORE INSERT OR UPDATE OR DELETE ON result_categories
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_result_change();

-- Every review decision, kept for ever.
CREATE TABLE result_reviews (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    result_id bigint NOT NULL REFERENCES inspection_results (id),
    decision  text NOT NULL CHECK (decision IN ('approve', 'return', 'reject')),
    reviewer  text NOT NULL,
    opinion   text NOT NULL DEFAULT '',
    at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX result_reviews_result ON result_reviews (result_id, id);
CREATE TRIGGER result_reviews_append_only BEFORE UPDATE OR DELETE ON result_reviews
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
COMMENT ON TABLE result_reviews IS '检查结果审核记录';

-- What the public sees, one row per version; a correction appends a version with its reason, the earlier stays.
CREATE TABLE published_results (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    result_id     bigint NOT NULL REFERENCES inspection_results (id),
    version       integer NOT NULL CHECK (version >= 1),
    credit_code   text NOT NULL,
    object_name   text NOT NULL,
    industry_code text NOT NULL,
    department    text NOT NULL,
    inspected_on  date NOT NULL,
    published_by  text NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    reason        text NOT NULL DEFAULT '',
    content       jsonb NOT NULL,
    UNIQUE (result_id, version)
);
CREATE INDEX published_results_credit_code ON published_results (credit_code, id);
CREATE INDEX published_results_name ON published_results (object_name text_pattern_ops, id);
CREATE INDEX published_results_newest ON published_results (id DESC);
CREATE TRIGGER published_results_append_only BEFORE UPDATE OR DELETE ON published_results
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
COMMENT ON TABLE published_results IS '抽查检查结果公示（各版本）';

-- The day by which every department that sent inspectors publishes its results of a draw (set at execution; a
-- result's own deadline counts from its visit). The deadline service escalates what is still unpublished, once per
-- department and draw.
CREATE TABLE result_deadlines (
    draw_id               bigint PRIMARY KEY REFERENCES draws (id),
    due                   date NOT NULL,
    deadline_from         date NOT NULL,
    deadline_working_days integer NOT NULL CHECK (deadline_working_days BETWEEN 1 AND 60)
);
COMMENT ON TABLE result_deadlines IS '检查结果公示期限（每次抽取）';

ALTER TABLE escalations DROP CONSTRAINT escalations_kind_check,
    ADD CONSTRAINT escalations_kind_check
    CHECK (kind IN ('call_response', 'confirmation', 'action_item', 'clue_route', 'result_publication'));
