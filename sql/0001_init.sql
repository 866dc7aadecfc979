-- Departments and industries: who regulates what under 一业一查.
-- Field rules (code shapes, names) are checked in YiyeCore; the constraints here are the last line of defence.

CREATE TABLE departments (
    code        text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        text NOT NULL CHECK (kind IN ('regulator', 'leadership_office')),
    region_code text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE departments IS '部门：监管部门与领导小组办公室';

CREATE TABLE industries (
    code                    text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    gbt_code                text CHECK (gbt_code ~ '^[A-T]([0-9]{2,4})?$'),
    originating_department  text REFERENCES departments (code),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE industries IS '行业：一业一查的行业及其发起部门';

CREATE TABLE industry_participants (
    industry_code   text NOT NULL REFERENCES industries (code) ON DELETE CASCADE,
    department_code text NOT NULL REFERENCES departments (code),
    PRIMARY KEY (industry_code, department_code)
);

COMMENT ON TABLE industry_participants IS '行业的参与部门';

CREATE INDEX industry_participants_department ON industry_participants (department_code);
CREATE INDEX industries_originator ON industries (originating_department);
