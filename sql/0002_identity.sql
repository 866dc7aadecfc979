-- Users, sessions, login throttling and the append-only, hash-chained audit trail (全程留痕).

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z][a-z0-9_.-]{2,63}$'),
    display_name    text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    department_code text NOT NULL REFERENCES departments (code),
    roles           text[] NOT NULL CHECK (cardinality(roles) > 0),
    password_hash   text NOT NULL,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_department ON users (department_code);
COMMENT ON TABLE users IS '用户：隶属一个部门，持有一个或多个角色';

-- Failed sign-ins per name, whether or not the user exists, so the lockout gives no hint of existence.
CREATE TABLE login_throttle (
    username     text PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    locked_until timestamptz
);

-- Bearer sessions; the token itself is never stored, only its SM3 hash.
CREATE TABLE sessions (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz,
    end_reason   text CHECK (end_reason IN ('logout', 'idle', 'expired', 'user_disabled'))
);

CREATE INDEX sessions_user_open ON sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE audit_log (
    seq            bigint PRIMARY KEY CHECK (seq > 0),
    at             timestamptz NOT NULL,
    actor          text,
    department     text,
    role           text,
    action         text NOT NULL,
    object_type    text,
    object_id      text,
    outcome        text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    client_address text,
    request_id     text,
    details        text NOT NULL DEFAULT '',
    prev_hash      text NOT NULL,
    hash           text NOT NULL
);

CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_department ON audit_log (department, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);
COMMENT ON TABLE audit_log IS '审计日志：SM3 哈希链，只可追加';

CREATE TABLE audit_checkpoints (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq       bigint NOT NULL,
    head_hash text NOT NULL,
    signed_at text NOT NULL,
    signature text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE audit_checkpoints IS '审计检查点：服务器 SM2 密钥对链头哈希的签名';

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计记录只可追加，不可修改或删除 (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- The role the application acts as: everything it needs on the working tables, only INSERT and SELECT on the
-- audit tables. Connections switch to it at startup (options '-c role=yiye_app'). Creating it needs CREATEROLE;
-- on a server where the migrating user lacks it, a DBA creates the role and the grants below apply.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yiye_app') THEN
        CREATE ROLE yiye_app NOLOGIN;
    END IF;
    EXECUTE format('GRANT yiye_app TO %I', current_user);
END;
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON departments, industries, industry_participants, users, login_throttle, sessions
    TO yiye_app;
GRANT SELECT ON schema_migrations TO yiye_app;
GRANT SELECT, INSERT ON audit_log, audit_checkpoints TO yiye_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO yiye_app;

-- Tables added by later migrations are the application's to use in full unless a migration says otherwise.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO yiye_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO yiye_app;
