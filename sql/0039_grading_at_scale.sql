-- 一业一评 at city scale (bench/grading: a million objects of one industry). Grading reads each source once: one
-- aggregate over the results' facts for every indicator counted from them, one over the concluded clue routes, each
-- restricted to the objects graded when only some are; it carries on only the objects whose grade changed; and it runs
-- without JIT (its plan's estimates are far too high, and compiling costs more than it saves) and with the memory its
-- hash joins need. Grades keep two indexes, and their rows room to be rewritten in place (a new system version
-- rewrites every row); the history keeps one index, its primary key in the order it is read. Two warning rules read
-- less: repeated problems gathers its evidence only for the objects that reach the threshold, and a worsened grade
-- looks back only from the objects graded high enough to have worsened by it.

DROP INDEX object_grades_grade;
ALTER TABLE object_grades SET (fillfactor = 50);
ALTER TABLE object_grade_history DROP CONSTRAINT object_grade_history_pkey, ADD PRIMARY KEY (industry_code, credit_code, id);
DROP INDEX object_grade_history_object;

-- Grades the industry's objects (`codes`, or all of them when NULL) from its latest published indicator system:
-- each indicator's input and points, the score Σ weight × points / 100, the band it reaches. Writes only what changed
-- and logs each change of score, grade or version with `cause`. Objects no longer of the industry, or deregistered,
-- lose their current grade. Returns how many objects were graded and how many changed.
--
-- The system is turned into one statement with an expression per indicator (its inputs and points quoted as literals),
-- so that an industry of a million objects is graded in one pass over them, without a row per indicator.
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
BEGIN
    graded := 0;
    changed := 0;
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
            ELSE format('coalesce(f.n%s, 0)', indicator.ord) END;
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
            ' LEFT JOIN (SELECT f.credit_code, %s FROM result_facts f WHERE f.published AND (%s) %s GROUP BY 1) f USING (credit_code)',
            array_to_string(fact_counts, ', '), array_to_string(fact_conditions, ' OR '),
            CASE WHEN codes IS NULL THEN '' ELSE 'AND f.credit_code IN (SELECT unnest($4))' END);
    END IF;
    IF cardinality(clue_counts) > 0 THEN
        counted := counted || format(
            $q$ LEFT JOIN (SELECT c.object_credit_code AS credit_code, %s FROM clues c JOIN clue_routes r ON r.clue_id = c.id
                           WHERE r.state = 'concluded' AND (%s) %s GROUP BY 1) c USING (credit_code)$q$,
            array_to_string(clue_counts, ', '), array_to_string(clue_conditions, ' OR '),
            CASE WHEN codes IS NULL THEN 'AND c.object_credit_code IS NOT NULL' ELSE 'AND c.object_credit_code IN (SELECT unnest($4))' END);
    END IF;
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
        -- Only the objects whose grade is new, changed or gone.
        compared AS (
            SELECT coalesce(b.credit_code, g.credit_code) AS credit_code, b.inputs, b.p, b.h / 100.0 AS score, b.grade, b.level,
                   g.system_version AS old_version, g.score AS old_score, g.grade AS old_grade, g.level AS old_level
            FROM banded b
                 FULL JOIN (SELECT g.credit_code, g.system_version, g.score, g.grade, g.level, g.inputs, g.points AS p
                            FROM object_grades g WHERE g.industry_code = $1 %8$s) g USING (credit_code)
            WHERE b.credit_code IS NULL OR g.credit_code IS NULL
               OR (g.system_version, g.grade, g.inputs, g.p) IS DISTINCT FROM ($3, b.grade, b.inputs, b.p)
        ),
        removed AS (
            DELETE FROM object_grades g USING compared c
            WHERE c.grade IS NULL AND g.industry_code = $1 AND g.credit_code = c.credit_code
        ),
        written AS (
            INSERT INTO object_grades AS g (industry_code, credit_code, system_version, score, grade, level, inputs, points)
            SELECT $1, c.credit_code, $3, c.score, c.grade, c.level, c.inputs, c.p FROM compared c
            WHERE c.grade IS NOT NULL
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
        SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM written)
        $sql$,
        CASE WHEN codes IS NULL THEN '' ELSE 'AND o.credit_code IN (SELECT unnest($4))' END,
        array_to_string(inputs, ', '), array_to_string(points, ', '), counted, array_to_string(weights, ' + '),
        bands, levels, CASE WHEN codes IS NULL THEN '' ELSE 'AND g.credit_code IN (SELECT unnest($4))' END)
    INTO graded, changed
    USING industry, system, system_version, codes, cause;
END;
$$;

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
        -- The object's level now against its level before the period's first change of grade: only objects graded
        -- above the threshold's reach can have worsened by it (levels start at 1).
        RETURN QUERY
        SELECT g.credit_code, o.name, (g.level - b.before)::numeric,
               jsonb_build_object('levelBefore', b.before, 'levelNow', g.level, 'grade', g.grade)
        FROM object_grades g
             CROSS JOIN LATERAL (
                 SELECT coalesce(h.previous_level, h.level) AS before FROM object_grade_history h
                 WHERE h.industry_code = for_industry AND h.credit_code = g.credit_code
                   AND (h.graded_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN since AND today
                 ORDER BY h.id LIMIT 1) b
             JOIN objects o ON o.credit_code = g.credit_code
        WHERE g.industry_code = for_industry AND g.level > rule.threshold AND g.level - b.before >= rule.threshold;
    END IF;
END;
$$;
