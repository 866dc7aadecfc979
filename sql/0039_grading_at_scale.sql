-- 一业一评 at city scale (bench/grading: a million objects of one industry; `grade_objects` itself is redefined in
-- 0040, reading each source once). Grades keep two indexes, and their rows room to be rewritten in place (a new system
-- version rewrites every row); the history keeps one index, its primary key in the order it is read. Two warning rules
-- read less: repeated problems gathers its evidence only for the objects that reach the threshold, and a worsened grade
-- looks back only from the objects graded high enough to have worsened by it.

DROP INDEX object_grades_grade;
ALTER TABLE object_grades SET (fillfactor = 50);
ALTER TABLE object_grade_history DROP CONSTRAINT object_grade_history_pkey, ADD PRIMARY KEY (industry_code, credit_code, id);
DROP INDEX object_grade_history_object;

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
