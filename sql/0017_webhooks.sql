-- Outbound webhooks per department: each notification of the department is queued for each of its active
-- webhooks in the same transaction, delivered with an HMAC-SM3 signature, retried with backoff, and every attempt
-- is logged.

CREATE TABLE webhooks (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department text NOT NULL REFERENCES departments (code),
    url        text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 500),
    secret     text NOT NULL,
    active     boolean NOT NULL DEFAULT true,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_department ON webhooks (department) WHERE active;
COMMENT ON TABLE webhooks IS '部门外发通知（Webhook）';

CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id      bigint NOT NULL REFERENCES webhooks (id),
    notification_id bigint NOT NULL REFERENCES notifications (id),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    UNIQUE (webhook_id, notification_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id),
    at          timestamptz NOT NULL DEFAULT now(),
    status_code integer,
    error       text NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
CREATE TRIGGER webhook_attempts_append_only BEFORE UPDATE OR DELETE ON webhook_attempts
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();

CREATE FUNCTION enqueue_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, notification_id)
    SELECT id, NEW.id FROM webhooks WHERE department = NEW.department AND active;
    RETURN NULL;
END;
$$;
CREATE TRIGGER notifications_webhooks AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION enqueue_webhook_deliveries();
