-- A province-wide draw writes its drawn objects and team places with COPY, hundreds of thousands of rows at a time.
-- A foreign key looks each row up on its own (for 195,175 team places, 2.6 of the 3.3 seconds the COPY took); the
-- same references are now checked once per statement over all the new rows, in one join. The other direction of a
-- foreign key, refusing to remove what a draw names, is kept by triggers on the referenced tables (executed draws were
-- already final).
ALTER TABLE drawn_objects DROP CONSTRAINT drawn_objects_draw_id_fkey;
ALTER TABLE drawn_objects DROP CONSTRAINT drawn_objects_credit_code_fkey;
ALTER TABLE team_members DROP CONSTRAINT team_members_draw_id_fkey;
ALTER TABLE team_members DROP CONSTRAINT team_members_inspector_id_fkey;

CREATE FUNCTION check_draw_row_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM draws d WHERE d.id = n.draw_id)) THEN
        RAISE EXCEPTION '% 引用了不存在的抽取', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF TG_TABLE_NAME = 'drawn_objects' THEN
        IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.credit_code = n.credit_code)) THEN
            RAISE EXCEPTION 'drawn_objects 引用了不存在的检查对象' USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM inspectors i WHERE i.id = n.inspector_id)) THEN
        RAISE EXCEPTION 'team_members 引用了不存在的执法检查人员' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER drawn_objects_references AFTER INSERT ON drawn_objects
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION check_draw_row_references();
CREATE TRIGGER team_members_references AFTER INSERT ON team_members
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION check_draw_row_references();

CREATE FUNCTION refuse_removing_drawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'objects' THEN
        IF (TG_OP = 'DELETE' OR NEW.credit_code <> OLD.credit_code)
           AND EXISTS (SELECT 1 FROM drawn_objects WHERE credit_code = OLD.credit_code) THEN
            RAISE EXCEPTION '检查对象 % 已被抽中，不可删除或更改信用代码', OLD.credit_code USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM team_members WHERE inspector_id = OLD.id) THEN
        RAISE EXCEPTION '执法检查人员 % 已被抽中，不可删除', OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER objects_drawn_kept BEFORE DELETE OR UPDATE OF credit_code ON objects
    FOR EACH ROW EXECUTE FUNCTION refuse_removing_drawn();
CREATE TRIGGER inspectors_drawn_kept BEFORE DELETE ON inspectors
    FOR EACH ROW EXECUTE FUNCTION refuse_removing_drawn();

-- A draw's pool files and record run to tens of megabytes. lz4 compresses them several times faster than the default
-- pglz (a 48 MB record: 0.9 s stored instead of 2.0 s), where the server was built with it (Debian's is).
DO $$
BEGIN
    IF (SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression') THEN
        ALTER TABLE draws ALTER COLUMN record SET COMPRESSION lz4, ALTER COLUMN object_pool SET COMPRESSION lz4,
            ALTER COLUMN inspector_pool SET COMPRESSION lz4, ALTER COLUMN conflict_pool SET COMPRESSION lz4;
    END IF;
END;
$$;
