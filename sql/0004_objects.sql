-- The object directory (检查对象名录库): what can be drawn for inspection, with its credit-risk history.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE objects (
    credit_code             text PRIMARY KEY CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
    name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind                    text NOT NULL CHECK (kind IN ('enterprise', 'individual_trader', 'other_organization', 'product', 'project')),
    industries              text[] NOT NULL DEFAULT '{}',
    region_code             text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    address                 text NOT NULL DEFAULT '',
    scale                   text CHECK (scale IN ('micro', 'small', 'medium', 'large')),
    risk_class              text CHECK (risk_class IN ('A', 'B', 'C', 'D')),
    risk_rated_on           date,
    supervising_departments text[] NOT NULL CHECK (cardinality(supervising_departments) > 0),
    status                  text NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'deregistered', 'abnormal_list', 'serious_violation_list')),
    tags                    text[] NOT NULL DEFAULT '{}',
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK ((risk_class IS NULL) = (risk_rated_on IS NULL))
);

CREATE INDEX objects_industries ON objects USING gin (industries);
CREATE INDEX objects_supervising ON objects USING gin (supervising_departments);
CREATE INDEX objects_region ON objects (region_code text_pattern_ops, credit_code);
CREATE INDEX objects_risk ON objects (risk_class, credit_code);
CREATE INDEX objects_kind_status ON objects (kind, status, credit_code);
CREATE INDEX objects_name_trgm ON objects USING gin (name gin_trgm_ops);
COMMENT ON TABLE objects IS '检查对象名录库';

CREATE TABLE object_risk_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credit_code text NOT NULL REFERENCES objects (credit_code) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    risk_class  text NOT NULL CHECK (risk_class IN ('A', 'B', 'C', 'D')),
    rated_on    date NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX object_risk_history_object ON object_risk_history (credit_code, rated_on);
COMMENT ON TABLE object_risk_history IS '信用风险分类历史';
