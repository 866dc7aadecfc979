-- 一业一评 writing each grade once (bench/grading: a first grading of a million objects took 24 s, its target is 10).
--
-- History as the grades each object held before: its current grade is its row in object_grades (now with the cause
-- that brought it and when it came), and object_grade_history keeps every earlier grade with when it came, why, and
-- when it was superseded (by a new grade, or removed when the object left the industry or was deregistered). A first
-- grading so writes no history; nothing is lost: the history rows that were current grades move into the grades.
--
-- An industry's first grading inserts its grades straight, without comparing them with none. Grading a whole industry
-- holds the industry's grading lock exclusively and inserts new grades plainly; regrading some objects (a result, a
-- clue, an import) holds it shared and upserts, as concurrent regrades of one object may both find it ungraded.
-- Grades lose their foreign keys and the index by object alone (below, with why).

ALTER TABLE object_grades ADD COLUMN cause text NOT NULL DEFAULT 'system'
    CHECK (cause IN ('system', 'result', 'clue', 'object', 'regrade', 'licence'));

-- Grades are worked out only by `grade_objects`, from the objects and industry it has just read, so their foreign keys
-- checked nothing new, one query per row and key (12 of a first grading's 24 seconds for a million objects). Objects and
-- industries are never deleted (an object is deregistered and loses its grade); should one be, its grades go with it.
ALTER TABLE object_grades DROP CONSTRAINT object_grades_industry_code_fkey, DROP CONSTRAINT object_grades_credit_code_fkey;
CREATE FUNCTION remove_grades_of_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'objects' THEN
        DELETE FROM object_grades g
        WHERE (g.industry_code, g.credit_code) IN (SELECT i.code, gone.credit_code FROM industries i CROSS JOIN gone);
    ELSE
        DELETE FROM object_grades g USING gone WHERE g.industry_code = gone.code;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER objects_grades_removed AFTER DELETE ON objects REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION remove_grades_of_deleted();
CREATE TRIGGER industries_grades_removed AFTER DELETE ON industries REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION remove_grades_of_deleted();

-- Grades are found by industry and object (their primary key); the index by object alone cost a first grading two of
-- its seconds and served one lookup, which now goes through the key industry by industry.
DROP INDEX object_grades_object;
CREATE OR REPLACE FUNCTION regrade_objects(codes text[], cause text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    industry text;
BEGIN
    FOR industry IN
        SELECT DISTINCT v.owner FROM list_versions v
        WHERE v.kind = 'indicator_system' AND v.status = 'published'
          AND (v.owner IN (SELECT unnest(o.industries) FROM objects o WHERE o.credit_code = ANY (codes))
               OR EXISTS (SELECT 1 FROM object_grades g WHERE g.industry_code = v.owner AND g.credit_code = ANY (codes)))
        ORDER BY 1
    LOOP
        PERFORM grade_objects(industry, codes, cause);
    END LOOP;
END;
$$;
COMMENT ON COLUMN object_grades.graded_at IS '当前等级（版本、得分、等级）形成的时间';

ALTER TABLE object_grade_history DISABLE TRIGGER object_grade_history_append_only;
ALTER TABLE object_grade_history ADD COLUMN superseded_at timestamptz;
UPDATE object_grade_history h SET superseded_at = n.next_at
FROM (SELECT id, lead(graded_at) OVER (PARTITION BY industry_code, credit_code ORDER BY id) AS next_at FROM object_grade_history) n
WHERE n.id = h.id AND n.next_at IS NOT NULL;
-- An object's last row while it is graded is its current grade: its cause and time go to the grade's row.
UPDATE object_grades g SET cause = h.cause, graded_at = h.graded_at
FROM object_grade_history h
WHERE h.superseded_at IS NULL AND h.industry_code = g.industry_code AND h.credit_code = g.credit_code;
DELETE FROM object_grade_history h
WHERE h.superseded_at IS NULL
  AND EXISTS (SELECT 1 FROM object_grades g WHERE g.industry_code = h.industry_code AND g.credit_code = h.credit_code);
-- A grade removed before this migration was not logged when: its own time stands in.
UPDATE object_grade_history SET superseded_at = graded_at WHERE superseded_at IS NULL;
ALTER TABLE object_grade_history ALTER COLUMN superseded_at SET NOT NULL, ALTER COLUMN superseded_at SET DEFAULT now(),
    DROP COLUMN previous_grade, DROP COLUMN previous_level;
ALTER TABLE object_grade_history ENABLE TRIGGER object_grade_history_append_only;
COMMENT ON TABLE object_grade_history IS '一业一评：对象此前的各个等级（形成时间、原因、被替代时间）';

-- Grades the industry's objects (`codes`, or all of them when NULL) from its latest published indicator system:
-- each indicator's input and points, the score Σ weight × points / 100, the band it reaches. Writes only what changed;
-- a new score, grade or version comes with `cause`, and the grade it replaces goes to the history. Objects no longer of
-- the industry, or deregistered, lose their current grade (to the history too). Returns how many objects were graded
-- and how many grades were written.
--
-- The system is turned into one statement with an expression per indicator (its inputs and points quoted as literals),
-- so that an industry of a million objects is graded in one pass over them, without a row per indicator. Each source
-- is read once: one aggregate over the results' facts for every indicator counted from them, one over the concluded
-- clue routes, each restricted to the objects graded when only some are; the licences by name. Only the objects whose
-- grade changed go on to be written. It runs without JIT (its plan's estimates are far too high, and compiling costs
-- more than it saves) and with the memory its hash joins need.
CREATE OR REPLACE FUNCTION grade_objects(industry text, codes text[], cause text, OUT graded bigint, OUT changed bigint)
LANGUAGE plpgsql SET jit = off SET work_mem = '256MB' AS $$
DECLARE
    system_version integer;
    system jsonb;
    indicator record;
    inputs text[] := '{}';
    points text[] := '{}';
    weights text[] := '{}';
    -- The counts of the indicators counted from the results' facts, and from the concluded clue routes.
    fact_counts text[] := '{}';
    fact_conditions text[] := '{}';
    clue_counts text[] := '{}';
    clue_conditions text[] := '{}';
    condition text;
    counted text := '';
    bands text := '';
    levels text := '';
    band record;
    input text;
    scoring text;
BEGIN
    graded := 0;
    changed := 0;
    IF codes IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended('grade_objects ' || industry, 0));
    ELSE
        PERFORM pg_advisory_xact_lock_shared(hashtextextended('grade_objects ' || industry, 0));
    END IF;
    SELECT v.version, v.document INTO system_version, system FROM list_versions v
    WHERE v.kind = 'indicator_system' AND v.owner = industry AND v.status = 'published' ORDER BY v.version DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    FOR indicator IN SELECT x, ord FROM jsonb_array_elements(system->'indicators') WITH ORDINALITY i(x, ord) ORDER BY ord LOOP
        input := CASE indicator.x->>'kind'
            WHEN 'credit_class' THEN 'coalesce(t.risk_class, ''unrated'')'
            WHEN 'registration_status' THEN 't.status'
            WHEN 'scale' THEN 'coalesce(t.scale, ''unknown'')'
            WHEN 'tag' THEN format('(%L = ANY (t.tags))', indicator.x->>'tag')
            WHEN 'concluded_clues' THEN format('coalesce(c.n%s, 0)', indicator.ord)
            -- A licence's state today (China), as ObjectLicence.state(on:) reads it: expiring within 90 days.
            WHEN 'licence' THEN format(
                $q$CASE WHEN l%1$s.credit_code IS NULL THEN 'none' WHEN l%1$s.status <> 'valid' THEN l%1$s.status
                        WHEN l%1$s.valid_until < (now() AT TIME ZONE 'Asia/Shanghai')::date THEN 'expired'
                        WHEN l%1$s.valid_until < (now() AT TIME ZONE 'Asia/Shanghai')::date + 90 THEN 'expiring'
                        ELSE 'valid' END$q$, indicator.ord)
            ELSE format('coalesce(f.n%s, 0)', indicator.ord) END;
        IF indicator.x->>'kind' = 'licence' THEN
            counted := counted || format(' LEFT JOIN object_licences l%1$s ON l%1$s.credit_code = t.credit_code AND l%1$s.licence = %2$L',
                indicator.ord, indicator.x->>'licence');
        END IF;
        IF indicator.x ? 'points' THEN
            points := points || format('CASE %s %s ELSE 0 END', input,
                (SELECT string_agg(format('WHEN %L THEN %s', p.key, p.value::int), ' ') FROM jsonb_each_text(indicator.x->'points') p));
        ELSIF indicator.x->>'kind' = 'tag' THEN
            points := points || format('CASE WHEN %s THEN 100 ELSE 0 END', input);
        ELSE
            points := points || format('least(100, %s * %s)', input, (indicator.x->>'pointsEach')::int);
            condition := CASE indicator.x->>'kind'
                -- Published results that found a problem, unless their investigation found none (resolved).
                WHEN 'problem_results' THEN format(
                    $q$NOT f.resolved AND NOT f.categories <@ ARRAY['no_problem', 'pass', 'no_related_activity']
                       AND f.first_published > (now() AT TIME ZONE 'Asia/Shanghai')::date - interval '%s years'$q$,
                    (indicator.x->>'years')::int)
                -- Clues concluded with a finding: a case filed, transferred to justice, or rectified.
                WHEN 'concluded_clues' THEN format(
                    $q$r.outcome IN ('case_filed', 'judicial_transfer', 'rectified') AND r.concluded_at > now() - interval '%s years'$q$,
                    (indicator.x->>'years')::int)
                -- Published results whose categories propose a follow-up that is not closed yet.
                ELSE $q$f.closed_on IS NULL AND f.categories && ARRAY['unpublished_info', 'falsified_info', 'unreachable',
                        'refused_inspection', 'ordered_to_correct', 'pending_follow_up', 'fail']$q$ END;
            IF indicator.x->>'kind' = 'concluded_clues' THEN
                clue_counts := clue_counts || format('count(DISTINCT c.id) FILTER (WHERE %s) AS n%s', condition, indicator.ord);
                clue_conditions := clue_conditions || format('(%s)', condition);
            ELSE
                fact_counts := fact_counts || format('count(*) FILTER (WHERE %s) AS n%s', condition, indicator.ord);
                fact_conditions := fact_conditions || format('(%s)', condition);
            END IF;
        END IF;
        inputs := inputs || format('(%s)::text', input);
        weights := weights || format('%s * p[%s]', (indicator.x->>'weight')::int, indicator.ord);
    END LOOP;
    IF cardinality(fact_counts) > 0 THEN
        counted := counted || format(
            ' LEFT JOIN (SELECT f.credit_code, %s FROM result_facts f WHERE f.published AND (%s) %s GROUP BY 1) f ON f.credit_code = t.credit_code',
            array_to_string(fact_counts, ', '), array_to_string(fact_conditions, ' OR '),
            CASE WHEN codes IS NULL THEN '' ELSE 'AND f.credit_code IN (SELECT unnest($4))' END);
    END IF;
    IF cardinality(clue_counts) > 0 THEN
        counted := counted || format(
            $q$ LEFT JOIN (SELECT c.object_credit_code AS credit_code, %s FROM clues c JOIN clue_routes r ON r.clue_id = c.id
                           WHERE r.state = 'concluded' AND (%s) %s GROUP BY 1) c ON c.credit_code = t.credit_code$q$,
            array_to_string(clue_counts, ', '), array_to_string(clue_conditions, ' OR '),
            CASE WHEN codes IS NULL THEN 'AND c.object_credit_code IS NOT NULL' ELSE 'AND c.object_credit_code IN (SELECT unnest($4))' END);
    END IF;
    FOR band IN SELECT x, ord FROM jsonb_array_elements(system->'bands') WITH ORDINALITY b(x, ord) ORDER BY ord DESC LOOP
        bands := bands || format(' WHEN h >= %s THEN %L', (band.x->>'minimumScore')::int * 100, band.x->>'code');
        levels := levels || format(' WHEN h >= %s THEN %s', (band.x->>'minimumScore')::int * 100, band.ord);
    END LOOP;
    scoring := format($sql$
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
        )$sql$,
        CASE WHEN codes IS NULL THEN '' ELSE 'AND o.credit_code IN (SELECT unnest($4))' END,
        array_to_string(inputs, ', '), array_to_string(points, ', '), counted, array_to_string(weights, ' + '),
        bands, levels);
    IF codes IS NULL AND NOT EXISTS (SELECT 1 FROM object_grades g WHERE g.industry_code = industry) THEN
        -- The industry's first grading: every grade is new, nothing to compare or supersede.
        EXECUTE scoring || $sql$,
        added AS (
            INSERT INTO object_grades (industry_code, credit_code, system_version, score, grade, level, inputs, points, cause)
            SELECT $1, b.credit_code, $3, b.h / 100.0, b.grade, b.level, b.inputs, b.p, $5 FROM banded b
            ORDER BY b.credit_code
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM added)
        $sql$
        INTO graded, changed
        USING industry, system, system_version, codes, cause;
        RETURN;
    END IF;
    EXECUTE scoring || format($sql$,
        -- Only the objects whose grade is new, changed or gone; `regraded` when the score, grade or version is new.
        compared AS (
            SELECT coalesce(b.credit_code, g.credit_code) AS credit_code, b.inputs, b.p, b.h / 100.0 AS score, b.grade, b.level,
                   g.credit_code IS NOT NULL AS existed, g.system_version AS old_version, g.score AS old_score, g.grade AS old_grade,
                   g.level AS old_level, g.cause AS old_cause, g.graded_at AS old_graded_at,
                   (g.system_version, g.score, g.grade) IS DISTINCT FROM ($3, b.h / 100.0, b.grade) AS regraded
            FROM banded b
                 FULL JOIN (SELECT g.credit_code, g.system_version, g.score, g.grade, g.level, g.cause, g.graded_at, g.inputs,
                                   g.points AS p
                            FROM object_grades g WHERE g.industry_code = $1 %1$s) g USING (credit_code)
            WHERE b.credit_code IS NULL OR g.credit_code IS NULL
               OR (g.system_version, g.grade, g.inputs, g.p) IS DISTINCT FROM ($3, b.grade, b.inputs, b.p)
        ),
        removed AS (
            DELETE FROM object_grades g USING compared c
            WHERE c.grade IS NULL AND g.industry_code = $1 AND g.credit_code = c.credit_code
        ),
        added AS (
            INSERT INTO object_grades AS g (industry_code, credit_code, system_version, score, grade, level, inputs, points, cause)
            SELECT $1, c.credit_code, $3, c.score, c.grade, c.level, c.inputs, c.p, $5 FROM compared c
            WHERE c.grade IS NOT NULL AND NOT c.existed
            ORDER BY c.credit_code
            %2$s
            RETURNING 1
        ),
        rewritten AS (
            UPDATE object_grades g
            SET system_version = $3, score = c.score, grade = c.grade, level = c.level, inputs = c.inputs, points = c.p,
                cause = CASE WHEN c.regraded THEN $5 ELSE g.cause END, graded_at = CASE WHEN c.regraded THEN now() ELSE g.graded_at END
            FROM compared c
            WHERE c.existed AND c.grade IS NOT NULL AND g.industry_code = $1 AND g.credit_code = c.credit_code
            RETURNING 1
        ),
        superseded AS (
            INSERT INTO object_grade_history (industry_code, credit_code, system_version, score, grade, level, cause, graded_at)
            SELECT $1, c.credit_code, c.old_version, c.old_score, c.old_grade, c.old_level, c.old_cause, c.old_graded_at
            FROM compared c
            WHERE c.existed AND (c.grade IS NULL OR c.regraded)
            ORDER BY c.credit_code
        )
        SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM added) + (SELECT count(*) FROM rewritten)
        $sql$,
        CASE WHEN codes IS NULL THEN '' ELSE 'AND g.credit_code IN (SELECT unnest($4))' END,
        -- Grading some objects, a concurrent regrade may have graded one first.
        CASE WHEN codes IS NULL THEN '' ELSE $q$ON CONFLICT (industry_code, credit_code) DO UPDATE
            SET system_version = EXCLUDED.system_version, score = EXCLUDED.score, grade = EXCLUDED.grade, level = EXCLUDED.level,
                inputs = EXCLUDED.inputs, points = EXCLUDED.points, cause = EXCLUDED.cause, graded_at = now()$q$ END)
    INTO graded, changed
    USING industry, system, system_version, codes, cause;
END;
$$;

-- The rule of a worsened grade reads the grades superseded in the period (the rest as in 0039).
-- What one rule finds in one industry over the `days` days to `today` (China): each subject whose figure reaches the
-- threshold, with the figure and the evidence.
CREATE OR REPLACE FUNCTION warning_candidates(rule warning_rules, for_industry text, today date)
RETURNS TABLE (subject text, subject_name text, measured numeric, evidence jsonb) LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    since date := today - rule.days + 1;
    -- The categories that find no problem (docs/DASHBOARD.md's 问题发现率).
    clean text[] := ARRAY['no_problem', 'pass', 'no_related_activity'];
BEGIN
    IF rule.kind = 'repeated_problems' THEN
        -- Problem results about one object first published in the period, unless found no problem after all; the
        -- evidence gathered only for the objects that reach the threshold.
        RETURN QUERY
        WITH repeated AS (
            SELECT f.credit_code, count(*) AS n FROM result_facts f
            WHERE f.industry = for_industry AND f.published AND NOT f.resolved AND NOT f.categories <@ clean
              AND f.first_published BETWEEN since AND today
            GROUP BY f.credit_code HAVING count(*) >= rule.threshold
        )
        SELECT r.credit_code, o.name, r.n::numeric,
               jsonb_build_object('resultIds', (SELECT jsonb_agg(f.result_id ORDER BY f.result_id) FROM result_facts f
                                                WHERE f.credit_code = r.credit_code AND f.industry = for_industry AND f.published
                                                  AND NOT f.resolved AND NOT f.categories <@ clean
                                                  AND f.first_published BETWEEN since AND today))
        FROM repeated r JOIN objects o USING (credit_code);
    ELSIF rule.kind = 'clue_volume' THEN
        -- Clues and complaints about objects of the industry reported in the period, per object or per region.
        RETURN QUERY
        SELECT CASE rule.scope WHEN 'object' THEN o.credit_code ELSE o.region_code END,
               CASE rule.scope WHEN 'object' THEN min(o.name) ELSE '行政区划 ' || o.region_code END,
               count(*)::numeric, jsonb_build_object('clueIds', jsonb_agg(c.id ORDER BY c.id))
        FROM clues c JOIN objects o ON o.credit_code = c.object_credit_code
        WHERE c.industry_code = for_industry AND (c.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN since AND today
        GROUP BY 1, o.region_code HAVING count(*) >= rule.threshold;
    ELSIF rule.kind IN ('problem_rate', 'rising_problem_rate') THEN
        -- Results first published in the period and in the one before it, and those that found a problem, per region
        -- or for the industry: the rate in percent, or its rise over the period before in percent of that rate.
        RETURN QUERY
        WITH counted AS (
            SELECT CASE rule.scope WHEN 'region' THEN f.region_code ELSE for_industry END AS subject,
                   count(*) FILTER (WHERE f.first_published >= since) AS results,
                   count(*) FILTER (WHERE f.first_published >= since AND NOT f.categories <@ clean) AS problems,
                   count(*) FILTER (WHERE f.first_published < since) AS before_results,
                   count(*) FILTER (WHERE f.first_published < since AND NOT f.categories <@ clean) AS before_problems
            FROM result_facts f
            WHERE f.industry = for_industry AND f.published AND f.first_published BETWEEN since - rule.days AND today
            GROUP BY 1
        )
        SELECT c.subject, CASE rule.scope WHEN 'region' THEN '行政区划 ' || c.subject ELSE i.name END,
               CASE rule.kind WHEN 'problem_rate' THEN round(c.problems * 100.0 / c.results, 2)
                    ELSE round((c.problems * c.before_results - c.before_problems * c.results) * 100.0 / (c.before_problems * c.results), 2) END,
               jsonb_build_object('results', c.results, 'problems', c.problems, 'previousResults', c.before_results,
                                  'previousProblems', c.before_problems)
        FROM counted c JOIN industries i ON i.code = for_industry
        WHERE c.results >= greatest(rule.minimum_results, 1)
          AND CASE rule.kind
              WHEN 'problem_rate' THEN c.problems * 100 >= rule.threshold * c.results
              ELSE c.before_results >= greatest(rule.minimum_results, 1) AND c.before_problems > 0
                   AND (c.problems * c.before_results - c.before_problems * c.results) * 100
                       >= rule.threshold * c.before_problems * c.results END;
    ELSIF rule.kind = 'grade_worsened' THEN
        -- The object's level now against the level of the first grade it lost in the period: only objects graded
        -- above the threshold's reach can have worsened by it (levels start at 1).
        RETURN QUERY
        SELECT g.credit_code, o.name, (g.level - b.before)::numeric,
               jsonb_build_object('levelBefore', b.before, 'levelNow', g.level, 'grade', g.grade)
        FROM object_grades g
             CROSS JOIN LATERAL (
                 SELECT h.level AS before FROM object_grade_history h
                 WHERE h.industry_code = for_industry AND h.credit_code = g.credit_code
                   AND (h.superseded_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN since AND today
                 ORDER BY h.id LIMIT 1) b
             JOIN objects o ON o.credit_code = g.credit_code
        WHERE g.industry_code = for_industry AND g.level > rule.threshold AND g.level - b.before >= rule.threshold;
    END IF;
END;
$$;
