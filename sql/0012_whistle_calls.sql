-- 吹哨响应: calls raised by a department of an industry for others to act on by a deadline, each addressed
-- department's response, and the full history of what was done.

CREATE TABLE whistle_calls (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry_code   text NOT NULL REFERENCES industries (code),
    task_id         bigint REFERENCES tasks (id),
    stage           text NOT NULL CHECK (stage IN ('planning', 'drawing', 'inspection', 'publication', 'ad_hoc')),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    content         text NOT NULL,
    action_required text NOT NULL,
    raised_by       text NOT NULL REFERENCES departments (code),
    deadline        timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX whistle_calls_industry ON whistle_calls (industry_code, id);
COMMENT ON TABLE whistle_calls IS '吹哨';

CREATE TABLE whistle_responses (
    call_id      bigint NOT NULL REFERENCES whistle_calls (id),
    department   text NOT NULL REFERENCES departments (code),
    state        text NOT NULL DEFAULT 'unread' CHECK (state IN ('unread', 'read', 'info_requested', 'accepted', 'declined')),
    read_at      timestamptz,
    responded_at timestamptz,
    text         text NOT NULL DEFAULT '',
    PRIMARY KEY (call_id, department)
);
CREATE INDEX whistle_responses_department ON whistle_responses (department, call_id);

CREATE TABLE whistle_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id    bigint NOT NULL REFERENCES whistle_calls (id),
    department text NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    text       text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX whistle_events_call ON whistle_events (call_id, id);

CREATE FUNCTION refuse_whistle_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '吹哨记录只可追加 (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER whistle_events_append_only BEFORE UPDATE OR DELETE ON whistle_events
    FOR EACH ROW EXECUTE FUNCTION refuse_whistle_history_change();
