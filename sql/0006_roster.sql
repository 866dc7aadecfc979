-- The inspector roster (执法检查人员名录库) and conflict-of-interest declarations (回避).

CREATE TABLE inspectors (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    department_code    text NOT NULL REFERENCES departments (code),
    name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    position           text NOT NULL DEFAULT '',
    certificate_number text NOT NULL UNIQUE CHECK (certificate_number ~ '^[A-Za-z0-9-]{4,40}$'),
    post               text NOT NULL DEFAULT '',
    phone              text NOT NULL DEFAULT '',
    level              text NOT NULL CHECK (level IN ('provincial', 'municipal', 'county', 'township')),
    region_code        text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    categories         text[] NOT NULL DEFAULT '{}',
    qualifications     text[] NOT NULL DEFAULT '{}',
    expertise          text[] NOT NULL DEFAULT '{}',
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_leave', 'left')),
    is_expert          boolean NOT NULL DEFAULT false,
    institution        text NOT NULL DEFAULT '',
    -- The linked user with the inspector role, at most one entry per user.
    user_id            bigint UNIQUE REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT is_expert OR institution <> '')
);

CREATE INDEX inspectors_department ON inspectors (department_code, id);
CREATE INDEX inspectors_qualifications ON inspectors USING gin (qualifications);
COMMENT ON TABLE inspectors IS '执法检查人员名录库';

CREATE TABLE conflict_declarations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspector_id bigint NOT NULL REFERENCES inspectors (id),
    credit_code  text NOT NULL REFERENCES objects (credit_code),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    valid_from   date NOT NULL,
    valid_until  date CHECK (valid_until >= valid_from),
    declared_by  text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX conflict_declarations_inspector ON conflict_declarations (inspector_id, id);
CREATE INDEX conflict_declarations_object ON conflict_declarations (credit_code);
COMMENT ON TABLE conflict_declarations IS '利害关系回避声明';
