-- Versioned lists: departments' random-inspection item lists (随机抽查事项清单) and industries' joint lists (一业一单).
-- Each version is one JSON document; a published version is never changed or removed (立改废 makes a new version).

CREATE TABLE list_versions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('item_list', 'joint_list')),
    -- The department (item lists) or industry (joint lists) the list belongs to.
    owner        text NOT NULL,
    version      integer NOT NULL CHECK (version > 0),
    status       text NOT NULL CHECK (status IN ('draft', 'published')),
    note         text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    document     jsonb NOT NULL,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    published_by text,
    published_at timestamptz,
    UNIQUE (kind, owner, version),
    CHECK ((status = 'published') = (published_at IS NOT NULL AND published_by IS NOT NULL))
);

-- At most one draft per list.
CREATE UNIQUE INDEX list_versions_one_draft ON list_versions (kind, owner) WHERE status = 'draft';
COMMENT ON TABLE list_versions IS '随机抽查事项清单与一业一单的各版本';

CREATE FUNCTION refuse_published_list_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION '已发布的清单版本不可修改或删除 (% on version % of % %)', TG_OP, OLD.version, OLD.kind, OLD.owner
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER list_versions_published_immutable BEFORE UPDATE OR DELETE ON list_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_published_list_change();
