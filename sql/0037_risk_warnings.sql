-- 风险监测预警: warning rules, kept per industry by its originating department and for every industry by the
-- leadership office; the warnings they raise, with their evidence, sent to the industry's originator (and reported
-- to the office when region- or industry-wide); and their judgement (研判): dismissed with a reason, put on a
-- meeting's agenda, or turned into a triggered task. docs/GRADING.md says what each rule counts.

CREATE TABLE warning_rules (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- NULL: the office's rule, for every industry.
    industry_code   text REFERENCES industries (code),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind            text NOT NULL CHECK (kind IN ('repeated_problems', 'clue_volume', 'problem_rate', 'rising_problem_rate',
                                                  'grade_worsened')),
    scope           text NOT NULL CHECK (scope IN ('object', 'region', 'industry')),
    threshold       integer NOT NULL CHECK (threshold BETWEEN 1 AND 10000),
    days            integer NOT NULL CHECK (days BETWEEN 1 AND 1096),
    minimum_results integer NOT NULL DEFAULT 0 CHECK (minimum_results >= 0),
    active          boolean NOT NULL DEFAULT true,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX warning_rules_industry ON warning_rules (industry_code, id);
COMMENT ON TABLE warning_rules IS '风险预警规则';

CREATE TABLE warnings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id       bigint NOT NULL REFERENCES warning_rules (id),
    industry_code text NOT NULL REFERENCES industries (code),
    kind          text NOT NULL,
    scope         text NOT NULL,
    -- The object's credit code, the region's code, or the industry's code.
    subject       text NOT NULL,
    subject_name  text NOT NULL,
    -- The figure that reached the threshold: a count, a rate or a rise in percent, or levels.
    measured      numeric NOT NULL,
    threshold     integer NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    evidence      jsonb NOT NULL,
    -- 上报: region- and industry-wide warnings go to the office too.
    reported      boolean NOT NULL,
    state         text NOT NULL DEFAULT 'raised' CHECK (state IN ('raised', 'dismissed', 'on_agenda', 'tasked')),
    reason        text NOT NULL DEFAULT '',
    meeting_id    bigint REFERENCES meetings (id),
    task_id       bigint REFERENCES tasks (id),
    judged_by     text,
    judged_at     timestamptz,
    raised_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'raised') = (judged_at IS NULL)),
    CHECK ((state = 'on_agenda') = (meeting_id IS NOT NULL) AND (state = 'tasked') = (task_id IS NOT NULL))
);
CREATE UNIQUE INDEX warnings_one_open ON warnings (rule_id, industry_code, subject) WHERE state = 'raised';
CREATE INDEX warnings_industry ON warnings (industry_code, id);
COMMENT ON TABLE warnings IS '风险预警及其研判';

-- A warning is judged once: from raised to dismissed, on an agenda or tasked; nothing else changes, nothing is removed.
CREATE FUNCTION refuse_warning_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.state <> 'raised' OR NEW.state = 'raised'
       OR (NEW.rule_id, NEW.industry_code, NEW.subject, NEW.measured, NEW.evidence, NEW.raised_at)
          IS DISTINCT FROM (OLD.rule_id, OLD.industry_code, OLD.subject, OLD.measured, OLD.evidence, OLD.raised_at) THEN
        RAISE EXCEPTION '风险预警不可如此修改 (% on warning %)', TG_OP, OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER warnings_judged_once BEFORE UPDATE OR DELETE ON warnings
    FOR EACH ROW EXECUTE FUNCTION refuse_warning_change();

ALTER TABLE notifications DROP CONSTRAINT notifications_subject_type_check,
    ADD CONSTRAINT notifications_subject_type_check
    CHECK (subject_type IN ('call', 'draw', 'meeting', 'clue', 'calendar', 'objection', 'warning'));

-- What one rule finds in one industry over the `days` days to `today` (China): each subject whose figure reaches the
-- threshold, with the figure and the evidence.
CREATE FUNCTION warning_candidates(rule warning_rules, for_industry text, today date)
RETURNS TABLE (subject text, subject_name text, measured numeric, evidence jsonb) LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    since date := today - rule.days + 1;
    -- The categories that find no problem (docs/DASHBOARD.md's 问题发现率).
    clean text[] := ARRAY['no_problem', 'pass', 'no_related_activity'];
BEGIN
    IF rule.kind = 'repeated_problems' THEN
        -- Problem results about one object first published in the period, unless found no problem after all.
        RETURN QUERY
        SELECT f.credit_code, min(o.name), count(*)::numeric, jsonb_build_object('resultIds', jsonb_agg(f.result_id ORDER BY f.result_id))
        FROM result_facts f JOIN objects o USING (credit_code)
        WHERE f.industry = for_industry AND f.published AND NOT f.resolved AND NOT f.categories <@ clean
          AND f.first_published BETWEEN since AND today
        GROUP BY f.credit_code HAVING count(*) >= rule.threshold;
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
        -- The object's level now against its level before the period's first change of grade.
        RETURN QUERY
        WITH changed AS (
            SELECT h.credit_code, (array_agg(coalesce(h.previous_level, h.level) ORDER BY h.id))[1] AS before
            FROM object_grade_history h
            WHERE h.industry_code = for_industry AND (h.graded_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN since AND today
            GROUP BY h.credit_code
        )
        SELECT c.credit_code, o.name, (g.level - c.before)::numeric,
               jsonb_build_object('levelBefore', c.before, 'levelNow', g.level, 'grade', g.grade)
        FROM changed c JOIN object_grades g ON g.industry_code = for_industry AND g.credit_code = c.credit_code
             JOIN objects o ON o.credit_code = c.credit_code
        WHERE g.level - c.before >= rule.threshold;
    END IF;
END;
$$;

-- Evaluates every active rule in every industry it covers and raises what it finds, unless the same rule already
-- raised a warning about the same subject that is still waiting, or any in the rule's period; each new warning is
-- notified to the industry's originator and, when reported, to the office. Returns how many were raised.
CREATE FUNCTION evaluate_warnings() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    rule warning_rules;
    industry record;
    today date := (now() AT TIME ZONE 'Asia/Shanghai')::date;
    new_warnings integer;
    raised integer := 0;
BEGIN
    -- One evaluation at a time: two would raise the same warnings.
    PERFORM pg_advisory_xact_lock(7310);
    FOR rule IN SELECT * FROM warning_rules WHERE active ORDER BY id LOOP
        FOR industry IN
            SELECT i.code, i.originating_department FROM industries i
            WHERE i.originating_department IS NOT NULL AND (rule.industry_code IS NULL OR i.code = rule.industry_code)
            ORDER BY i.code
        LOOP
            WITH fresh AS (
                INSERT INTO warnings (rule_id, industry_code, kind, scope, subject, subject_name, measured, threshold,
                                      period_start, period_end, evidence, reported)
                SELECT rule.id, industry.code, rule.kind, rule.scope, c.subject, c.subject_name, c.measured, rule.threshold,
                       today - rule.days + 1, today, c.evidence, rule.scope <> 'object'
                FROM warning_candidates(rule, industry.code, today) c
                WHERE NOT EXISTS (SELECT 1 FROM warnings w
                                  WHERE w.rule_id = rule.id AND w.industry_code = industry.code AND w.subject = c.subject
                                    AND (w.state = 'raised' OR w.raised_at > now() - make_interval(days => rule.days)))
                ORDER BY c.subject
                RETURNING id, subject_name, reported
            ),
            told AS (
                INSERT INTO notifications (department, kind, title, subject_type, subject_id)
                SELECT d.code, 'warning_raised', left(format('风险预警：%s（%s）', rule.name, x.subject_name), 300), 'warning', x.id
                FROM fresh x
                     JOIN departments d ON d.code = industry.originating_department OR (x.reported AND d.kind = 'leadership_office')
                RETURNING 1
            )
            SELECT count(*) INTO new_warnings FROM fresh;
            raised := raised + new_warnings;
        END LOOP;
    END LOOP;
    RETURN raised;
END;
$$;

-- The days whose daily evaluation has run (the deadline service evaluates once a day, whichever instance comes first).
CREATE TABLE warning_evaluations (
    day       date PRIMARY KEY,
    raised    integer,
    at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE warning_evaluations IS '风险预警每日评估记录';
