-- 一业一评: each industry's indicator system (kept in versions beside the lists), every object's current grade in
-- the industry, and the grade's history. Grades are worked out by `grade_objects` from the latest published indicator
-- system (docs/GRADING.md), in the transaction that changes what they are worked out from: the system's publication,
-- a result's publication or follow-up, a clue's conclusion, the object's import or change.

ALTER TABLE list_versions DROP CONSTRAINT list_versions_kind_check,
    ADD CONSTRAINT list_versions_kind_check CHECK (kind IN ('item_list', 'joint_list', 'indicator_system'));

CREATE INDEX clues_object ON clues (object_credit_code) WHERE object_credit_code IS NOT NULL;

-- The current grade: each indicator's input and points in the order of the system version's indicators.
CREATE TABLE object_grades (
    industry_code  text NOT NULL REFERENCES industries (code),
    credit_code    text NOT NULL REFERENCES objects (credit_code) ON DELETE CASCADE,
    system_version integer NOT NULL,
    score          numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 100),
    grade          text NOT NULL,
    level          smallint NOT NULL CHECK (level >= 1),
    inputs         text[] NOT NULL,
    points         smallint[] NOT NULL CHECK (cardinality(points) = cardinality(inputs)),
    -- When the grade was last worked out with a different outcome.
    graded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (industry_code, credit_code)
);
CREATE INDEX object_grades_grade ON object_grades (industry_code, grade, credit_code);
CREATE INDEX object_grades_object ON object_grades (credit_code);
COMMENT ON TABLE object_grades IS '一业一评：对象在行业内的当前评定等级及各指标得分';

-- Every change of score, grade or system version, with the grade before and why; kept for ever.
CREATE TABLE object_grade_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry_code  text NOT NULL,
    credit_code    text NOT NULL,
    system_version integer NOT NULL,
    score          numeric(5, 2) NOT NULL,
    grade          text NOT NULL,
    level          smallint NOT NULL,
    previous_grade text,
    previous_level smallint,
    cause          text NOT NULL CHECK (cause IN ('system', 'result', 'clue', 'object', 'regrade')),
    graded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX object_grade_history_object ON object_grade_history (industry_code, credit_code, id);
CREATE TRIGGER object_grade_history_append_only BEFORE UPDATE OR DELETE ON object_grade_history
    FOR EACH ROW EXECUTE FUNCTION refuse_notification_change();
COMMENT ON TABLE object_grade_history IS '一业一评等级变化历史';

-- Grades the industry's objects (`codes`, or all of them when NULL) from its latest published indicator system:
-- each indicator's input and points, the score Σ weight × points / 100, the band it reaches. Writes only what changed
-- and logs each change of score, grade or version with `cause`. Objects no longer of the industry, or deregistered,
-- lose their current grade. Returns how many objects were graded and how many changed.
--
-- The system is turned into one statement with an expression per indicator (its inputs and points quoted as literals),
-- so that an industry of a million objects is graded in one pass over them, without a row per indicator.
CREATE FUNCTION grade_objects(industry text, codes text[], cause text, OUT graded bigint, OUT changed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    system_version integer;
    system jsonb;
    indicator record;
    inputs text[] := '{}';
    points text[] := '{}';
    weights text[] := '{}';
    counted text := '';
    years integer;
    bands text := '';
    levels text := '';
    band record;
    input text;
BEGIN
    graded := 0;
    changed := 0;
    SELECT v.version, v.document INTO system_version, system FROM list_versions v
    WHERE v.kind = 'indicator_system' AND v.owner = industry AND v.status = 'published' ORDER BY v.version DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    FOR indicator IN SELECT x, ord FROM jsonb_array_elements(system->'indicators') WITH ORDINALITY i(x, ord) ORDER BY ord LOOP
        years := (indicator.x->>'years')::int;
        input := CASE indicator.x->>'kind'
            WHEN 'credit_class' THEN 'coalesce(t.risk_class, ''unrated'')'
            WHEN 'registration_status' THEN 't.status'
            WHEN 'scale' THEN 'coalesce(t.scale, ''unknown'')'
            WHEN 'tag' THEN format('(%L = ANY (t.tags))', indicator.x->>'tag')
            ELSE format('coalesce(n%s.n, 0)', indicator.ord) END;
        IF indicator.x ? 'points' THEN
            points := points || format('CASE %s %s ELSE 0 END', input,
                (SELECT string_agg(format('WHEN %L THEN %s', p.key, p.value::int), ' ') FROM jsonb_each_text(indicator.x->'points') p));
        ELSIF indicator.x->>'kind' = 'tag' THEN
            points := points || format('CASE WHEN %s THEN 100 ELSE 0 END', input);
        ELSE
            points := points || format('least(100, %s * %s)', input, (indicator.x->>'pointsEach')::int);
            counted := counted || format(' LEFT JOIN (%s) n%s ON n%s.credit_code = t.credit_code', CASE indicator.x->>'kind'
                WHEN 'problem_results' THEN format(
                    -- Published results that found a problem, unless their investigation found none (resolved).
                    $q$SELECT f.credit_code, count(*) AS n FROM result_facts f JOIN target t USING (credit_code)
                       WHERE f.published AND NOT f.resolved AND NOT f.categories <@ ARRAY['no_problem', 'pass', 'no_related_activity']
                         AND f.first_published > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '%s years'
                       GROUP BY 1$q$, years)
                WHEN 'concluded_clues' THEN format(
                    -- Clues concluded with a finding: a case filed, transferred to justice, or rectified.
                    $q$SELECT c.object_credit_code AS credit_code, count(DISTINCT c.id) AS n
                       FROM clues c JOIN target t ON t.credit_code = c.object_credit_code JOIN clue_routes r ON r.clue_id = c.id
                       WHERE r.state = 'concluded' AND r.outcome IN ('case_filed', 'judicial_transfer', 'rectified')
                         AND r.concluded_at > now() - interval '%s years'
                       GROUP BY 1$q$, years)
                ELSE
                    -- Published results whose categories propose a follow-up that is not closed yet.
                    $q$SELECT f.credit_code, count(*) AS n FROM result_facts f JOIN target t USING (credit_code)
                       WHERE f.published AND f.closed_on IS NULL
                         AND f.categories && ARRAY['unpublished_info', 'falsified_info', 'unreachable', 'refused_inspection',
                                                   'ordered_to_correct', 'pending_follow_up', 'fail']
                       GROUP BY 1$q$ END, indicator.ord, indicator.ord);
        END IF;
        inputs := inputs || format('(%s)::text', input);
        weights := weights || format('%s * p[%s]', (indicator.x->>'weight')::int, indicator.ord);
    END LOOP;
    FOR band IN SELECT x, ord FROM jsonb_array_elements(system->'bands') WITH ORDINALITY b(x, ord) ORDER BY ord DESC LOOP
        bands := bands || format(' WHEN h >= %s THEN %L', (band.x->>'minimumScore')::int * 100, band.x->>'code');
        levels := levels || format(' WHEN h >= %s THEN %s', (band.x->>'minimumScore')::int * 100, band.ord);
    END LOOP;
    EXECUTE format($sql$
        WITH target AS MATERIALIZED (
            SELECT o.credit_code, o.risk_class, o.status, o.scale, o.tags FROM objects o
            WHERE $1 = ANY (o.industries) AND o.status <> 'deregistered' %1$s
        ),
        scored AS (
            SELECT t.credit_code, ARRAY[%2$s] AS inputs, ARRAY[%3$s]::smallint[] AS p FROM target t %4$s
            OFFSET 0 -- worked out once per object, not again wherever the next steps name the points
        ),
        banded AS (
            SELECT s.credit_code, s.inputs, s.p, s.h, CASE %6$s END AS grade, CASE %7$s END::smallint AS level
            FROM (SELECT s.*, %5$s AS h FROM scored s OFFSET 0) s
        ),
        compared AS (
            SELECT coalesce(b.credit_code, g.credit_code) AS credit_code, b.inputs, b.p, b.h / 100.0 AS score, b.grade, b.level,
                   g.credit_code IS NOT NULL AS existed, g.system_version AS old_version, g.score AS old_score,
                   g.grade AS old_grade, g.level AS old_level, g.inputs AS old_inputs, g.p AS old_points
            FROM banded b
                 FULL JOIN (SELECT g.credit_code, g.system_version, g.score, g.grade, g.level, g.inputs, g.points AS p
                            FROM object_grades g WHERE g.industry_code = $1 %8$s) g USING (credit_code)
        ),
        removed AS (
            DELETE FROM object_grades g USING compared c
            WHERE c.grade IS NULL AND g.industry_code = $1 AND g.credit_code = c.credit_code
        ),
        written AS (
            INSERT INTO object_grades AS g (industry_code, credit_code, system_version, score, grade, level, inputs, points)
            SELECT $1, c.credit_code, $3, c.score, c.grade, c.level, c.inputs, c.p FROM compared c
            WHERE c.grade IS NOT NULL
              AND (NOT c.existed OR (c.old_version, c.old_grade, c.old_inputs, c.old_points) IS DISTINCT FROM ($3, c.grade, c.inputs, c.p))
            ORDER BY c.credit_code
            ON CONFLICT (industry_code, credit_code) DO UPDATE
                SET system_version = EXCLUDED.system_version, score = EXCLUDED.score, grade = EXCLUDED.grade,
                    level = EXCLUDED.level, inputs = EXCLUDED.inputs, points = EXCLUDED.points, graded_at = now()
            RETURNING 1
        ),
        logged AS (
            INSERT INTO object_grade_history (industry_code, credit_code, system_version, score, grade, level,
                                              previous_grade, previous_level, cause)
            SELECT $1, c.credit_code, $3, c.score, c.grade, c.level, c.old_grade, c.old_level, $5 FROM compared c
            WHERE c.grade IS NOT NULL AND (c.old_version, c.old_score, c.old_grade) IS DISTINCT FROM ($3, c.score, c.grade)
            ORDER BY c.credit_code
        )
        SELECT (SELECT count(*) FROM compared WHERE grade IS NOT NULL), (SELECT count(*) FROM written)
        $sql$,
        CASE WHEN codes IS NULL THEN '' ELSE 'AND o.credit_code IN (SELECT unnest($4))' END,
        array_to_string(inputs, ', '), array_to_string(points, ', '), counted, array_to_string(weights, ' + '),
        bands, levels, CASE WHEN codes IS NULL THEN '' ELSE 'AND g.credit_code IN (SELECT unnest($4))' END)
    INTO graded, changed
    USING industry, system, system_version, codes, cause;
END;
$$;

-- Grades `codes` again in every industry that has a published indicator system and that they are, or were, graded in.
CREATE FUNCTION regrade_objects(codes text[], cause text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    industry text;
BEGIN
    FOR industry IN
        SELECT DISTINCT v.owner FROM list_versions v
        WHERE v.kind = 'indicator_system' AND v.status = 'published'
          AND v.owner IN (SELECT unnest(o.industries) FROM objects o WHERE o.credit_code IN (SELECT unnest(codes))
                          UNION ALL
                          SELECT g.industry_code FROM object_grades g WHERE g.credit_code IN (SELECT unnest(codes)))
        ORDER BY 1
    LOOP
        PERFORM grade_objects(industry, codes, cause);
    END LOOP;
END;
$$;

-- The objects a statement touched in what grades read: published results' facts (publication, correction, follow-up),
-- concluded clue routes, objects imported or changed in their industries, class, status, scale or tags.
CREATE FUNCTION regrade_touched_objects() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
BEGIN
    IF TG_TABLE_NAME = 'result_facts' THEN
        SELECT array_agg(DISTINCT n.credit_code) INTO codes FROM new_rows n WHERE n.published;
        PERFORM regrade_objects(codes, 'result') WHERE codes IS NOT NULL;
    ELSIF TG_TABLE_NAME = 'clue_routes' THEN
        SELECT array_agg(DISTINCT c.object_credit_code) INTO codes
        FROM new_rows n JOIN clues c ON c.id = n.clue_id WHERE n.state = 'concluded' AND c.object_credit_code IS NOT NULL;
        PERFORM regrade_objects(codes, 'clue') WHERE codes IS NOT NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(n.credit_code) INTO codes FROM new_rows n WHERE cardinality(n.industries) > 0;
        PERFORM regrade_objects(codes, 'object') WHERE codes IS NOT NULL;
    ELSE
        SELECT array_agg(n.credit_code) INTO codes FROM new_rows n JOIN old_rows o USING (credit_code)
        WHERE (n.industries, n.risk_class, n.status, n.scale, n.tags) IS DISTINCT FROM (o.industries, o.risk_class, o.status, o.scale, o.tags);
        PERFORM regrade_objects(codes, 'object') WHERE codes IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER result_facts_graded AFTER INSERT ON result_facts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION regrade_touched_objects();
CREATE TRIGGER clue_routes_graded AFTER UPDATE ON clue_routes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION regrade_touched_objects();
-- Named to fire before objects_facts_on_update (triggers of one event fire in name order), so that an object's own
-- change is logged as its cause rather than the refresh of its results' facts that follows.
CREATE TRIGGER objects_evaluated_on_insert AFTER INSERT ON objects REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION regrade_touched_objects();
CREATE TRIGGER objects_evaluated_on_update AFTER UPDATE ON objects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION regrade_touched_objects();

-- A published version of an indicator system grades the whole industry at once.
CREATE FUNCTION grade_industry_on_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM grade_objects(NEW.owner, NULL, 'system');
    RETURN NULL;
END;
$$;
CREATE TRIGGER indicator_systems_graded AFTER UPDATE ON list_versions FOR EACH ROW
    WHEN (NEW.kind = 'indicator_system' AND NEW.status = 'published' AND OLD.status = 'draft')
    EXECUTE FUNCTION grade_industry_on_publication();
