-- 证据材料: evidence files uploaded for a drawn object, named by their SM3 digest (the bytes are files under the
-- evidence directory). One row per file and object; an upload no result refers to is swept after a day.
CREATE TABLE evidence_files (
    digest      text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    draw_id     bigint NOT NULL REFERENCES draws (id),
    credit_code text NOT NULL REFERENCES objects (credit_code),
    kind        text NOT NULL CHECK (kind IN ('jpeg', 'png', 'pdf', 'mp4', 'mp3', 'wav')),
    size        bigint NOT NULL CHECK (size > 0),
    name        text NOT NULL DEFAULT '',
    department  text NOT NULL REFERENCES departments (code),
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (digest, draw_id, credit_code)
);
CREATE INDEX evidence_files_uploaded ON evidence_files (uploaded_at);
COMMENT ON TABLE evidence_files IS '检查证据材料（文件按 SM3 摘要存放）';
