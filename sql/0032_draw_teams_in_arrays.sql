-- A draw of a million objects has about 39,000 drawn objects and 195,000 team places. Writing the places as rows of
-- their own took over a second (their two indexes, then the reference check over every row), and every drawn object
-- repeated its team's needs as jsonb (a quarter of a second to parse). Now each drawn object carries its team, in
-- place order: the inspectors and their departments in arrays, the ranks that picked them as one bytea of 32-byte SM3
-- digests (an array of 64-character hex texts took as long to parse again). The draw keeps its teams' distinct needs
-- once (a handful of lists); a drawn object names its list by position. An object appointed by an approved change has
-- neither.
ALTER TABLE draws ADD COLUMN team_needs jsonb;
ALTER TABLE drawn_objects
    ADD COLUMN needs_set smallint,
    ADD COLUMN team_inspectors bigint[],
    ADD COLUMN team_departments text[],
    ADD COLUMN team_ranks bytea,
    ADD COLUMN team_leader smallint;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM team_members WHERE leader GROUP BY draw_id, credit_code HAVING count(*) > 1) THEN
        RAISE EXCEPTION 'a team with two leaders cannot be kept with one leader place';
    END IF;
END;
$$;

-- Draws executed before: written once, here, by the migration.
ALTER TABLE draws DISABLE TRIGGER draws_executed_final;
ALTER TABLE drawn_objects DISABLE TRIGGER drawn_objects_append_only;
UPDATE draws d SET team_needs = n.sets
FROM (SELECT draw_id, jsonb_agg(needs ORDER BY needs::text) AS sets
      FROM (SELECT DISTINCT draw_id, needs FROM drawn_objects WHERE needs IS NOT NULL) x GROUP BY draw_id) n
WHERE n.draw_id = d.id;
UPDATE drawn_objects o SET needs_set = s.place - 1, team_inspectors = '{}', team_departments = '{}', team_ranks = ''
FROM draws d, jsonb_array_elements(d.team_needs) WITH ORDINALITY AS s (needs, place)
WHERE d.id = o.draw_id AND s.needs = o.needs;
UPDATE drawn_objects o SET team_inspectors = m.inspectors, team_departments = m.departments, team_ranks = m.ranks,
                           team_leader = m.leader
FROM (SELECT draw_id, credit_code, array_agg(inspector_id ORDER BY place) AS inspectors,
             array_agg(department ORDER BY place) AS departments, decode(string_agg(rank, '' ORDER BY place), 'hex') AS ranks,
             min(place) FILTER (WHERE leader) AS leader
      FROM team_members GROUP BY draw_id, credit_code) m
WHERE m.draw_id = o.draw_id AND m.credit_code = o.credit_code;
ALTER TABLE draws ENABLE TRIGGER draws_executed_final;
ALTER TABLE drawn_objects ENABLE TRIGGER drawn_objects_append_only;

ALTER TABLE drawn_objects DROP COLUMN needs;
DROP TABLE team_members;
ALTER TABLE drawn_objects
    ADD CHECK ((rank = 'appointed') = (needs_set IS NULL)),
    ADD CHECK ((needs_set IS NULL) = (team_inspectors IS NULL)),
    ADD CHECK (cardinality(team_departments) = cardinality(team_inspectors)
               AND length(team_ranks) = 32 * cardinality(team_inspectors)),
    ADD CHECK (team_leader >= 0 AND team_leader < cardinality(team_inspectors));

-- The references, checked once per statement over all the new rows: the draw, the object, every team member.
CREATE OR REPLACE FUNCTION check_draw_row_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM draws d WHERE d.id = n.draw_id)) THEN
        RAISE EXCEPTION '% 引用了不存在的抽取', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM objects o WHERE o.credit_code = n.credit_code)) THEN
        RAISE EXCEPTION 'drawn_objects 引用了不存在的检查对象' USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM new_rows n, unnest(n.team_inspectors) AS m (id)
               WHERE NOT EXISTS (SELECT 1 FROM inspectors i WHERE i.id = m.id)) THEN
        RAISE EXCEPTION 'drawn_objects 引用了不存在的执法检查人员' USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$;

-- Removing an inspector a draw names is refused. No index serves it: inspectors leave by their status, and removing
-- one outright is a database administrator's rare act, worth a scan.
CREATE OR REPLACE FUNCTION refuse_removing_drawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'objects' THEN
        IF (TG_OP = 'DELETE' OR NEW.credit_code <> OLD.credit_code)
           AND EXISTS (SELECT 1 FROM drawn_objects WHERE credit_code = OLD.credit_code) THEN
            RAISE EXCEPTION '检查对象 % 已被抽中，不可删除或更改信用代码', OLD.credit_code USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM drawn_objects WHERE team_inspectors @> ARRAY[OLD.id]) THEN
        RAISE EXCEPTION '执法检查人员 % 已被抽中，不可删除', OLD.id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
