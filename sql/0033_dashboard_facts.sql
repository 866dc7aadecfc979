-- The dashboard's facts, kept up to date by the transactions that change what they are worked out from, so that the
-- office's figures (docs/DASHBOARD.md) read a few narrow rows instead of a million objects and their joins.

-- The directory (名录库) counted by shape: how many objects, not deregistered, share their industries, supervising
-- departments, region and credit-risk class ('-': not rated). Coverage divides by these counts. Every statement that
-- writes objects adds its new rows and takes away its old ones, whatever their number (an import of a million rows
-- is one statement and one delta).
CREATE TABLE directory_shapes (
    industries              text[] NOT NULL,
    supervising_departments text[] NOT NULL,
    region_code             text NOT NULL,
    risk_class              text NOT NULL,
    objects                 bigint NOT NULL,
    PRIMARY KEY (industries, supervising_departments, region_code, risk_class)
);
COMMENT ON TABLE directory_shapes IS '名录库按行业、监管部门、区划、风险等级分组的对象数（看板用）';

CREATE FUNCTION count_directory_shapes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- Only the transition tables this statement has can be named: an insert has no old rows, a delete no new ones.
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT n.*, 1 AS delta FROM new_rows n'
        WHEN 'DELETE' THEN 'SELECT o.*, -1 AS delta FROM old_rows o'
        ELSE 'SELECT n.*, 1 AS delta FROM new_rows n UNION ALL SELECT o.*, -1 FROM old_rows o' END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO directory_shapes AS s (industries, supervising_departments, region_code, risk_class, objects)
        SELECT industries, supervising_departments, region_code, coalesce(risk_class, '-'), sum(delta)
        FROM (%s) x WHERE status <> 'deregistered'
        GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0
        ON CONFLICT (industries, supervising_departments, region_code, risk_class)
        DO UPDATE SET objects = s.objects + EXCLUDED.objects
        $sql$, changed);
    DELETE FROM directory_shapes WHERE objects = 0;
    RETURN NULL;
END;
$$;
CREATE TRIGGER objects_counted_on_insert AFTER INSERT ON objects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_directory_shapes();
CREATE TRIGGER objects_counted_on_update AFTER UPDATE ON objects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_directory_shapes();
CREATE TRIGGER objects_counted_on_delete AFTER DELETE ON objects REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_directory_shapes();
INSERT INTO directory_shapes (industries, supervising_departments, region_code, risk_class, objects)
SELECT industries, supervising_departments, region_code, coalesce(risk_class, '-'), count(*)
FROM objects WHERE status <> 'deregistered' GROUP BY 1, 2, 3, 4;

-- One row per inspection result with what the dashboard counts of it: its task's industry, its object's region and
-- shape, the day it was first published (China), its categories, whether its follow-up was resolved or closed and
-- when, and its visit (the draw's inspection of the object): how many departments recorded it, from which day, and
-- whether this result's department is the visit's first in code order (so that a visit counts once).
-- `result_facts_source` is the definition; every write to what it reads refreshes the rows it touched, from that same
-- definition, in the same transaction.
CREATE VIEW result_facts_source AS
SELECT r.id AS result_id, r.draw_id, r.credit_code, r.department, t.industry_code AS industry, r.status = 'published' AS published,
       r.inspected_on, r.publish_due,
       (SELECT (x.published_at AT TIME ZONE 'Asia/Shanghai')::date FROM published_results x WHERE x.result_id = r.id AND x.version = 1)
           AS first_published,
       ARRAY(SELECT c.category FROM result_categories c WHERE c.result_id = r.id ORDER BY c.category) AS categories,
       EXISTS (SELECT 1 FROM follow_up_actions a WHERE a.result_id = r.id AND a.kind = 'resolved') AS resolved,
       (SELECT a.acted_on FROM follow_up_actions a WHERE a.result_id = r.id AND a.kind IN ('closed', 'resolved')) AS closed_on,
       o.region_code, o.industries AS object_industries, o.supervising_departments, coalesce(o.risk_class, '-') AS risk_class,
       o.status <> 'deregistered' AS listed,
       v.departments AS visit_departments, v.first_on AS visit_on, r.department = v.lead AS visit_lead
FROM inspection_results r JOIN draws d ON d.id = r.draw_id JOIN tasks t ON t.id = d.task_id JOIN objects o ON o.credit_code = r.credit_code
     CROSS JOIN LATERAL (SELECT count(*) AS departments, min(x.inspected_on) AS first_on, min(x.department) AS lead
                         FROM inspection_results x
                         WHERE x.draw_id = r.draw_id AND x.credit_code = r.credit_code AND x.inspected_on IS NOT NULL) v;

CREATE TABLE result_facts AS SELECT * FROM result_facts_source;
ALTER TABLE result_facts ADD PRIMARY KEY (result_id);
CREATE INDEX result_facts_inspected ON result_facts (inspected_on);
CREATE INDEX result_facts_first_published ON result_facts (first_published);
CREATE INDEX result_facts_due ON result_facts (publish_due);
CREATE INDEX result_facts_object ON result_facts (credit_code);
COMMENT ON TABLE result_facts IS '检查结果的看板统计事实（由 result_facts_source 定义，随写入同步更新）';

CREATE FUNCTION refresh_result_facts(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    draws int[];
    visits int[];
    visited bigint[];
BEGIN
    -- A result's visit (its draw and object) counts the departments that recorded it: the visit's other results are
    -- refreshed with it. What is refreshed is locked first, in one order, so that two writers of one visit refresh it
    -- in turn, the second seeing what the first committed: each visit, under its draw shared; or, for a statement of
    -- many visits (a lock each would run out of lock memory), each of their draws whole. IN (SELECT unnest(…)), not
    -- = ANY(…): a statement of a hundred thousand results hashes them once.
    SELECT array_agg(DISTINCT hashtext(r.draw_id::text)), array_agg(DISTINCT hashtext(r.draw_id || '/' || r.credit_code))
    INTO draws, visits
    FROM inspection_results r WHERE r.id IN (SELECT unnest(ids));
    IF cardinality(visits) > 64 THEN
        PERFORM pg_advisory_xact_lock(7304, k) FROM unnest(draws) k;
    ELSE
        PERFORM pg_advisory_xact_lock_shared(7304, k) FROM unnest(draws) k;
        PERFORM pg_advisory_xact_lock(7303, k) FROM unnest(visits) k;
    END IF;
    visited := ARRAY(SELECT DISTINCT x.id FROM inspection_results r
                     JOIN inspection_results x ON x.draw_id = r.draw_id AND x.credit_code = r.credit_code
                     WHERE r.id IN (SELECT unnest(ids)));
    DELETE FROM result_facts WHERE result_id IN (SELECT unnest(visited));
    INSERT INTO result_facts SELECT * FROM result_facts_source WHERE result_id IN (SELECT unnest(visited));
END;
$$;

-- The results a statement touched: its own rows (inspection results), or the results of its rows (categories,
-- publications, follow-up actions), or the results of the objects whose region or shape it changed.
CREATE FUNCTION refresh_touched_result_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key text := CASE TG_TABLE_NAME WHEN 'inspection_results' THEN 'id' ELSE 'result_id' END;
    touched text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
        ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END;
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'objects' THEN
        EXECUTE $sql$
            SELECT array_agg(f.result_id)
            FROM new_rows n JOIN old_rows o USING (credit_code) JOIN result_facts f ON f.credit_code = n.credit_code
            WHERE (n.region_code, n.industries, n.supervising_departments, n.risk_class, n.status)
                  IS DISTINCT FROM (o.region_code, o.industries, o.supervising_departments, o.risk_class, o.status)
            $sql$ INTO ids;
    ELSE
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM (%s) x', key, touched) INTO ids;
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM refresh_result_facts(ids);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER inspection_results_facts_on_insert AFTER INSERT ON inspection_results REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER inspection_results_facts_on_update AFTER UPDATE ON inspection_results REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER published_results_facts_on_insert AFTER INSERT ON published_results REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER result_categories_facts_on_insert AFTER INSERT ON result_categories REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER result_categories_facts_on_update AFTER UPDATE ON result_categories REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER result_categories_facts_on_delete AFTER DELETE ON result_categories REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER follow_up_actions_facts_on_insert AFTER INSERT ON follow_up_actions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();
CREATE TRIGGER objects_facts_on_update AFTER UPDATE ON objects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_touched_result_facts();

-- Whether an executed draw owes no result still unpublished (000 §3.1.7), kept by every write that changes it
-- (YiyeStore's DrawCompletion) beside the draw, whose own row is final once executed. A draw without a row here has
-- not been worked out yet.
CREATE TABLE draw_completion (
    draw_id  bigint PRIMARY KEY REFERENCES draws (id),
    complete boolean NOT NULL
);
COMMENT ON TABLE draw_completion IS '抽取的检查结果是否均已公示（看板用）';

-- Each escalation keeps the industry of what was late (the deadline sweep knows it), so that the dashboard counts
-- escalations per industry without knowing how each kind of subject finds its industry. Earlier rows get it once.
-- NULL only where the subject is gone: then it counts in the total, in no industry.
ALTER TABLE escalations ADD COLUMN industry_code text;
ALTER TABLE escalations DISABLE TRIGGER escalations_append_only;
UPDATE escalations e SET industry_code = CASE
    WHEN e.kind = 'call_response' THEN (SELECT c.industry_code FROM whistle_calls c WHERE c.id = e.subject_id)
    WHEN e.kind IN ('confirmation', 'result_publication') THEN
        (SELECT t.industry_code FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = e.subject_id)
    WHEN e.kind = 'action_item' THEN
        (SELECT m.industry_code FROM meeting_action_items a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = e.subject_id)
    WHEN e.kind = 'clue_route' THEN (SELECT c.industry_code FROM clue_routes r JOIN clues c ON c.id = r.clue_id WHERE r.id = e.subject_id)
    ELSE (SELECT t.industry_code FROM objections j JOIN inspection_results r ON r.id = j.result_id
                 JOIN draws d ON d.id = r.draw_id JOIN tasks t ON t.id = d.task_id WHERE j.id = e.subject_id)
END;
ALTER TABLE escalations ENABLE TRIGGER escalations_append_only;
