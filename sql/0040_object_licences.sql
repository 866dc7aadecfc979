-- 许可证: the licences departments issue, imported by CSV (POST /api/v1/licences/import), one per object and licence
-- name; an indicator of kind `licence` grades an object by the state of one of them (docs/GRADING.md). Importing a
-- licence grades its object again, in the import's transaction.

CREATE TABLE object_licences (
    credit_code text NOT NULL REFERENCES objects (credit_code) ON DELETE CASCADE,
    licence     text NOT NULL CHECK (length(licence) BETWEEN 1 AND 50),
    number      text NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
    issued_by   text NOT NULL REFERENCES departments (code),
    valid_until date,
    status      text NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked')),
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (credit_code, licence)
);
CREATE INDEX object_licences_licence ON object_licences (licence, credit_code);
COMMENT ON TABLE object_licences IS '检查对象的许可证（由核发部门导入）';

ALTER TABLE object_grade_history DROP CONSTRAINT object_grade_history_cause_check,
    ADD CONSTRAINT object_grade_history_cause_check CHECK (cause IN ('system', 'result', 'clue', 'object', 'regrade', 'licence'));

-- The objects whose licences a statement wrote are graded again.
CREATE FUNCTION regrade_licensed_objects() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    codes text[];
BEGIN
    SELECT array_agg(DISTINCT n.credit_code) INTO codes FROM new_rows n;
    PERFORM regrade_objects(codes, 'licence') WHERE codes IS NOT NULL;
    RETURN NULL;
END;
$$;
CREATE TRIGGER object_licences_graded_on_insert AFTER INSERT ON object_licences REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION regrade_licensed_objects();
CREATE TRIGGER object_licences_graded_on_update AFTER UPDATE ON object_licences REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION regrade_licensed_objects();

-- Grades the industry's objects (`codes`, or all of them when NULL) from its latest published indicator system:
-- each indicator's input and points, the score Σ weight × points / 100, the band it reaches. Writes only what changed
-- and logs each change of score, grade or version with `cause`. Objects no longer of the industry, or deregistered,
-- lose their current grade. Returns how many objects were graded and how many changed.
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
