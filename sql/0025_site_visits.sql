-- 现场确认: the joint team's visit to a drawn object, recorded once: the inspectors present, their credentials shown,
-- and the business's signature or its refusal (with the recording and, optionally, a witness).
CREATE TABLE site_visits (
    draw_id             bigint NOT NULL REFERENCES draws (id),
    credit_code         text NOT NULL REFERENCES objects (credit_code),
    visited_at          timestamptz NOT NULL,
    inspectors          text[] NOT NULL CHECK (cardinality(inspectors) >= 2),
    credentials_shown   boolean NOT NULL CHECK (credentials_shown),
    confirmation        text NOT NULL CHECK (confirmation IN ('signed', 'refused')),
    signed_by           text NOT NULL DEFAULT '',
    recording_reference text NOT NULL DEFAULT '',
    witness_name        text,
    witness_contact     text,
    recorded_by         text NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (draw_id, credit_code),
    CHECK (confirmation = 'signed' AND signed_by <> '' OR confirmation = 'refused' AND recording_reference <> '')
);
CREATE TRIGGER site_visits_append_only BEFORE UPDATE OR DELETE ON site_visits
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
COMMENT ON TABLE site_visits IS '现场检查确认记录';
