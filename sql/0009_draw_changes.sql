-- After a draw: changes (replacing a drawn object or inspector, with a reason and a department head's approval) and
-- each department's confirmation of its assignments. Both are appended; a decision or confirmation is made once.

CREATE TABLE draw_changes (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draw_id               bigint NOT NULL REFERENCES draws (id),
    kind                  text NOT NULL CHECK (kind IN ('replace_inspector', 'replace_object')),
    credit_code           text NOT NULL,
    replaced_inspector    bigint REFERENCES inspectors (id),
    replacement_inspector bigint REFERENCES inspectors (id),
    replacement_object    text REFERENCES objects (credit_code),
    -- The department whose head approves.
    department            text NOT NULL REFERENCES departments (code),
    reason_kind           text NOT NULL CHECK (reason_kind IN ('conflict_of_interest', 'other')),
    reason                text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    requested_by          text NOT NULL,
    requested_at          timestamptz NOT NULL DEFAULT now(),
    status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by            text,
    decided_at            timestamptz,
    decision_note         text NOT NULL DEFAULT '',
    CHECK (kind <> 'replace_inspector' OR (replaced_inspector IS NOT NULL AND replacement_inspector IS NOT NULL)),
    CHECK (kind <> 'replace_object' OR replacement_object IS NOT NULL),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX draw_changes_draw ON draw_changes (draw_id, id);
COMMENT ON TABLE draw_changes IS '抽取结果变更（经部门负责人批准，报领导小组办公室备案）';

CREATE TABLE draw_confirmations (
    draw_id      bigint NOT NULL REFERENCES draws (id),
    department   text NOT NULL REFERENCES departments (code),
    deadline     date NOT NULL,
    confirmed_by text,
    confirmed_at timestamptz,
    PRIMARY KEY (draw_id, department)
);
COMMENT ON TABLE draw_confirmations IS '派单确认（1 个工作日内）';

-- A change is decided once and never edited otherwise; a confirmation is given once; neither is deleted.
CREATE FUNCTION refuse_settled_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% 只可追加，不可删除', TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    IF TG_TABLE_NAME = 'draw_changes' THEN
        IF OLD.status <> 'pending' OR (to_jsonb(NEW) - '{status,decided_by,decided_at,decision_note}'::text[])
                                     <> (to_jsonb(OLD) - '{status,decided_by,decided_at,decision_note}'::text[]) THEN
            RAISE EXCEPTION '变更申请已决定或内容不可修改 (change %)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
    ELSIF OLD.confirmed_at IS NOT NULL OR NEW.deadline <> OLD.deadline THEN
        RAISE EXCEPTION '派单确认已完成，不可修改' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER draw_changes_settled BEFORE UPDATE OR DELETE ON draw_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_change();
CREATE TRIGGER draw_confirmations_settled BEFORE UPDATE OR DELETE ON draw_confirmations
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_change();
