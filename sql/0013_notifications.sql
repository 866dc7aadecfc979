-- Notifications (待办通知): every event a department must act on, one row per receiving department, announced on
-- commit through NOTIFY so that every yiye instance on this database pushes it to its own connected clients.
-- Escalations (逾期升级): what became overdue, recorded once per subject and late department.

CREATE TABLE notifications (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department   text NOT NULL REFERENCES departments (code),
    kind         text NOT NULL,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    subject_type text NOT NULL CHECK (subject_type IN ('call', 'draw', 'meeting', 'clue')),
    subject_id   bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_department ON notifications (department, id);
COMMENT ON TABLE notifications IS '待办通知（按部门）';

-- Read state is per user: a colleague reading a notification does not read it for you.
CREATE TABLE notification_reads (
    notification_id bigint NOT NULL REFERENCES notifications (id),
    user_id         bigint NOT NULL REFERENCES users (id),
    read_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, notification_id)
);

CREATE FUNCTION announce_notification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('yiye_notifications', json_build_object(
        'id', NEW.id, 'department', NEW.department, 'kind', NEW.kind, 'title', NEW.title,
        'subjectType', NEW.subject_type, 'subjectId', NEW.subject_id, 'createdAt', extract(epoch FROM NEW.created_at)
    )::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER notifications_announce AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION announce_notification();

CREATE FUNCTION refuse_notification_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '通知与升级记录只可追加 (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER notifications_append_only BEFORE UPDATE OR DELETE ON notifications
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();

-- kind: call_response (subject: call), confirmation (draw), action_item (meeting action item), clue_route (clue route).
-- The primary key is what makes an escalation happen once, however many instances sweep at the same time.
CREATE TABLE escalations (
    kind         text NOT NULL CHECK (kind IN ('call_response', 'confirmation', 'action_item', 'clue_route')),
    subject_id   bigint NOT NULL,
    department   text NOT NULL REFERENCES departments (code),
    due          timestamptz NOT NULL,
    escalated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject_id, department)
);
CREATE INDEX escalations_department ON escalations (department);
COMMENT ON TABLE escalations IS '逾期升级（每项只升级一次）';
CREATE TRIGGER escalations_append_only BEFORE UPDATE OR DELETE ON escalations
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
