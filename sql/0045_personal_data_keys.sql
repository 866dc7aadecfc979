-- Personal data at rest (inspectors' phones, objecting businesses' contacts, witnesses' contacts) is sealed with SM4
-- under a data key; the data key is kept here only wrapped (sealed) by the master key, which lives in a file outside
-- the database (--personal-data-key). Rotating the master key rewraps these rows; the data they protect is not touched.
CREATE TABLE personal_data_keys (
    id           integer PRIMARY KEY CHECK (id >= 1),
    -- SM4-CBC + HMAC-SM3 of the 32-byte data key under the master key, bound to this id.
    wrapped      bytea NOT NULL,
    -- The master key's fingerprint: the first 16 hex characters of SM3 over it.
    master_key   text NOT NULL CHECK (master_key ~ '^[0-9a-f]{16}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    rewrapped_at timestamptz
);
COMMENT ON TABLE personal_data_keys IS '个人信息数据密钥（以主密钥封装）';

-- The application creates the first data key on its first start; only the owner rewraps (yiye keys rotate).
GRANT SELECT, INSERT ON personal_data_keys TO yiye_app;
