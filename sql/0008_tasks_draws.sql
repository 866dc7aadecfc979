-- Inspection tasks and their verifiable joint draws (DRAW-SPEC.md): the frozen pools, the departments'
-- commitments and reveals, the executed record, the drawn objects (which the annual cap counts) and the teams.

CREATE TABLE tasks (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry_code      text NOT NULL REFERENCES industries (code),
    originator         text NOT NULL REFERENCES departments (code),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind               text NOT NULL CHECK (kind IN ('annual', 'triggered')),
    trigger            jsonb,
    participants       text[] NOT NULL DEFAULT '{}',
    joint_list_version integer NOT NULL,
    entries            integer[] NOT NULL DEFAULT '{}',
    scope              jsonb NOT NULL,
    sampling           jsonb NOT NULL,
    window_start       date NOT NULL,
    window_end         date NOT NULL CHECK (window_end >= window_start),
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by         text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'triggered') = (trigger IS NOT NULL))
);
CREATE INDEX tasks_industry ON tasks (industry_code, id);
COMMENT ON TABLE tasks IS '抽查任务（年度计划任务与触发式任务）';

CREATE TABLE draws (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id          bigint NOT NULL UNIQUE REFERENCES tasks (id),
    year             integer NOT NULL,
    parameters       jsonb NOT NULL,
    object_pool      bytea NOT NULL,
    inspector_pool   bytea NOT NULL,
    conflict_pool    bytea NOT NULL,
    pool_digest      text NOT NULL,
    inspector_digest text NOT NULL,
    strata           jsonb NOT NULL,
    exclusions       jsonb NOT NULL,
    commit_deadline  timestamptz NOT NULL,
    reveal_deadline  timestamptz NOT NULL CHECK (reveal_deadline > commit_deadline),
    beacon_value     text,
    record           jsonb,
    frozen_by        text NOT NULL,
    frozen_at        timestamptz NOT NULL DEFAULT now(),
    executed_by      text,
    executed_at      timestamptz,
    CHECK ((record IS NULL) = (executed_at IS NULL))
);
COMMENT ON TABLE draws IS '联合双随机抽取：冻结的候选池、记录';

-- Candidates left out at freeze time, with the reason (annual cap, open task, deregistered).
CREATE TABLE draw_exclusions (
    draw_id     bigint NOT NULL REFERENCES draws (id),
    credit_code text NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (draw_id, credit_code)
);

CREATE TABLE draw_parties (
    draw_id      bigint NOT NULL REFERENCES draws (id),
    department   text NOT NULL REFERENCES departments (code),
    commitment   text NOT NULL,
    committed_by text NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT now(),
    secret       text,
    revealed_by  text,
    revealed_at  timestamptz,
    PRIMARY KEY (draw_id, department)
);

-- One row per drawn object: what the cap of 2 inspections a year counts.
CREATE TABLE drawn_objects (
    draw_id     bigint NOT NULL REFERENCES draws (id),
    credit_code text NOT NULL REFERENCES objects (credit_code),
    year        integer NOT NULL,
    stratum     text NOT NULL,
    rank        text NOT NULL,
    PRIMARY KEY (draw_id, credit_code)
);
CREATE INDEX drawn_objects_year ON drawn_objects (credit_code, year);

CREATE TABLE team_members (
    draw_id      bigint NOT NULL REFERENCES draws (id),
    credit_code  text NOT NULL,
    inspector_id bigint NOT NULL REFERENCES inspectors (id),
    department   text NOT NULL,
    leader       boolean NOT NULL,
    PRIMARY KEY (draw_id, credit_code, inspector_id)
);
CREATE INDEX team_members_inspector ON team_members (inspector_id);

-- An executed draw is final: its row and what it drew are never changed or removed (a change is appended later).
CREATE FUNCTION refuse_executed_draw_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'draws' THEN
        IF OLD.executed_at IS NOT NULL THEN
            RAISE EXCEPTION '已执行的抽取不可修改或删除 (draw %)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION '抽取结果只可追加 (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;

CREATE TRIGGER draws_executed_final BEFORE UPDATE OR DELETE ON draws
    FOR EACH ROW EXECUTE FUNCTION refuse_executed_draw_change();
CREATE TRIGGER drawn_objects_append_only BEFORE UPDATE OR DELETE ON drawn_objects
    FOR EACH ROW EXECUTE FUNCTION refuse_executed_draw_change();
CREATE TRIGGER team_members_append_only BEFORE UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION refuse_executed_draw_change();
CREATE TRIGGER draw_parties_revealed_final BEFORE DELETE ON draw_parties
    FOR EACH ROW EXECUTE FUNCTION refuse_executed_draw_change();
