-- 议事会商: regular and ad-hoc meetings convened by an industry's originator, their minutes (finalized versions
-- never change; an amendment is a new version) and action items.

CREATE TABLE meetings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry_code text NOT NULL REFERENCES industries (code),
    kind          text NOT NULL CHECK (kind IN ('regular', 'ad_hoc')),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    agenda        text[] NOT NULL DEFAULT '{}',
    starts_at     timestamptz NOT NULL,
    location      text NOT NULL DEFAULT '',
    convened_by   text NOT NULL REFERENCES departments (code),
    invitees      text[] NOT NULL CHECK (cardinality(invitees) > 0),
    task_ids      bigint[] NOT NULL DEFAULT '{}',
    call_ids      bigint[] NOT NULL DEFAULT '{}',
    clue_ids      bigint[] NOT NULL DEFAULT '{}',
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_industry ON meetings (industry_code, starts_at);
COMMENT ON TABLE meetings IS '议事会商';

CREATE TABLE meeting_minutes (
    meeting_id       bigint NOT NULL REFERENCES meetings (id),
    version          integer NOT NULL CHECK (version >= 1),
    attendees        text[] NOT NULL DEFAULT '{}',
    content          text NOT NULL DEFAULT '',
    decisions        text[] NOT NULL DEFAULT '{}',
    amendment_reason text NOT NULL DEFAULT '',
    written_by       text NOT NULL,
    finalized_by     text,
    finalized_at     timestamptz,
    PRIMARY KEY (meeting_id, version)
);
COMMENT ON TABLE meeting_minutes IS '会议纪要（定稿后不可修改，修订为新版本）';

CREATE FUNCTION refuse_final_minutes_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.finalized_at IS NOT NULL THEN
        RAISE EXCEPTION '会议纪要已定稿，不可修改 (% on meeting %)', TG_OP, OLD.meeting_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER meeting_minutes_final BEFORE UPDATE OR DELETE ON meeting_minutes
    FOR EACH ROW EXECUTE FUNCTION refuse_final_minutes_change();

CREATE TABLE meeting_action_items (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id       bigint NOT NULL REFERENCES meetings (id),
    description      text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
    owner_department text NOT NULL REFERENCES departments (code),
    due_date         date NOT NULL,
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    completion_note  text NOT NULL DEFAULT '',
    completed_by     text,
    completed_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_action_items_meeting ON meeting_action_items (meeting_id, id);
CREATE INDEX meeting_action_items_open ON meeting_action_items (due_date) WHERE status = 'open';
COMMENT ON TABLE meeting_action_items IS '会商议定事项';

CREATE FUNCTION refuse_done_action_item_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status = 'done' THEN
        RAISE EXCEPTION '议定事项已办结或不可删除 (% on %)', TG_OP, OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER meeting_action_items_done BEFORE UPDATE OR DELETE ON meeting_action_items
    FOR EACH ROW EXECUTE FUNCTION refuse_done_action_item_change();
