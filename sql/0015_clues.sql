-- 问题线索分办、转办: a clue found in an inspection or from a complaint, routed to the departments whose remit it is
-- in, each of which accepts (and later records the outcome) or returns it with a reason; full history.

CREATE TABLE clues (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry_code       text NOT NULL REFERENCES industries (code),
    source              text NOT NULL CHECK (source IN ('inspection', 'complaint')),
    task_id             bigint REFERENCES tasks (id),
    object_credit_code  text,
    description         text NOT NULL,
    suspected_violation text NOT NULL,
    legal_basis         text NOT NULL DEFAULT '',
    evidence            text[] NOT NULL DEFAULT '{}',
    found_by            text NOT NULL REFERENCES departments (code),
    joint_call_id       bigint REFERENCES whistle_calls (id),
    joint_meeting_id    bigint REFERENCES meetings (id),
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clues_industry ON clues (industry_code, id);
COMMENT ON TABLE clues IS '问题线索';

CREATE TABLE clue_routes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clue_id      bigint NOT NULL REFERENCES clues (id),
    department   text NOT NULL REFERENCES departments (code),
    deadline     timestamptz NOT NULL,
    state        text NOT NULL DEFAULT 'routed' CHECK (state IN ('routed', 'accepted', 'returned', 'concluded')),
    reason       text NOT NULL DEFAULT '',
    outcome      text CHECK (outcome IN ('case_filed', 'no_case', 'judicial_transfer', 'transferred', 'rectified')),
    outcome_note text NOT NULL DEFAULT '',
    routed_by    text NOT NULL,
    routed_at    timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz,
    concluded_at timestamptz
);
CREATE INDEX clue_routes_clue ON clue_routes (clue_id, id);
CREATE INDEX clue_routes_department ON clue_routes (department, clue_id);
CREATE INDEX clue_routes_waiting ON clue_routes (deadline) WHERE state IN ('routed', 'accepted');
COMMENT ON TABLE clue_routes IS '线索分办（接收、退回、办理结果）';

-- A route moves forward only: routed → accepted → concluded, or routed → returned; a settled route never changes.
CREATE FUNCTION refuse_settled_route_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.state IN ('returned', 'concluded')
       OR NOT (OLD.state = 'routed' AND NEW.state IN ('accepted', 'returned') OR OLD.state = 'accepted' AND NEW.state = 'concluded') THEN
        RAISE EXCEPTION '线索分办记录不可如此修改 (% on route %)', TG_OP, OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER clue_routes_forward BEFORE UPDATE OR DELETE ON clue_routes
    FOR EACH ROW EXECUTE FUNCTION refuse_settled_route_change();

CREATE TABLE clue_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clue_id    bigint NOT NULL REFERENCES clues (id),
    department text NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    text       text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clue_events_clue ON clue_events (clue_id, id);
CREATE TRIGGER clue_events_append_only BEFORE UPDATE OR DELETE ON clue_events
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
