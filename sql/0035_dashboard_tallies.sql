-- The dashboard's tallies: the result facts (0033) counted by month and by object, kept by the same transactions, so
-- that a figure over a year reads a few thousand counts instead of grouping a hundred thousand facts per request
-- (docs/DASHBOARD.md). Counts are only ever added to; a count back at zero stays, and is not read.

-- The result facts counted by kind, month, industry, department, the object's region, and a key that is what each kind
-- tells apart:
--   visit         the month of the visit's first inspection day; [whether this department leads the visit, how many
--                 departments recorded it]: the joint mode's figures
--   published     the month first published; [resolved, closed] followed by the categories: results, problems,
--                 follow-ups, categories
--   publish_days  the month first published; [days from the inspection to publication]: the median, from these counts
--   close_days    the month first published; [days from publication to closing, resolved] followed by the categories
--   due           the month of the deadline; [published, published by the deadline]: timeliness
CREATE TABLE result_tallies (
    kind        text NOT NULL,
    month       date NOT NULL,
    industry    text NOT NULL,
    department  text NOT NULL,
    region_code text NOT NULL,
    key         text[] NOT NULL,
    n           bigint NOT NULL,
    PRIMARY KEY (kind, month, industry, department, region_code, key)
);
COMMENT ON TABLE result_tallies IS '检查结果按月、行业、部门、区划分类计数（看板用，随 result_facts 同步更新）';

CREATE FUNCTION result_tally_entries(x result_facts) RETURNS TABLE (kind text, month date, key text[])
LANGUAGE sql IMMUTABLE AS $$
    SELECT e.kind, date_trunc('month', e.day)::date, e.key
    FROM (VALUES
        ('visit', x.visit_on, ARRAY[x.visit_lead::text, x.visit_departments::text], x.inspected_on IS NOT NULL),
        ('published', x.first_published, ARRAY[x.resolved::text, (x.closed_on IS NOT NULL)::text] || x.categories, x.published),
        ('publish_days', x.first_published, ARRAY[(x.first_published - x.inspected_on)::text], x.published AND x.inspected_on IS NOT NULL),
        ('close_days', x.first_published, ARRAY[(x.closed_on - x.first_published)::text, x.resolved::text] || x.categories,
         x.published AND x.closed_on IS NOT NULL),
        ('due', x.publish_due, ARRAY[x.published::text, coalesce(x.first_published <= x.publish_due, false)::text], true)
    ) e(kind, day, key, counted)
    WHERE e.counted AND e.day IS NOT NULL
$$;

-- Inserted facts add their entries, deleted ones take theirs away (a refresh deletes and inserts). In key order, so
-- that two writers of the same counts take their rows in one order.
CREATE FUNCTION count_result_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO result_tallies AS t (kind, month, industry, department, region_code, key, n)
        SELECT e.kind, e.month, x.industry, x.department, x.region_code, e.key, %s * count(*)
        FROM %I x CROSS JOIN LATERAL result_tally_entries(x) e
        GROUP BY 1, 2, 3, 4, 5, 6
        ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (kind, month, industry, department, region_code, key) DO UPDATE SET n = t.n + EXCLUDED.n
        $sql$, CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END, CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END);
    RETURN NULL;
END;
$$;

-- Each object's visits per period (the year, its quarter and its month of every inspection day): how many visits (draws
-- with an inspection of it) in the period and in the period's year, in which industries and by which departments, and
-- its shape for coverage. Worked out from the result facts; a trigger on the facts' inserts works out again
-- the objects of the facts a statement inserted.
CREATE VIEW object_visit_periods_source AS
SELECT f.credit_code, p.first, p.last, count(DISTINCT f.draw_id)::int AS visits,
       max(count(DISTINCT f.draw_id) FILTER (WHERE p.whole_year))
           OVER (PARTITION BY f.credit_code, extract(year FROM p.first))::int AS year_visits,
       array_agg(DISTINCT f.industry ORDER BY f.industry) AS industries,
       array_agg(DISTINCT f.department ORDER BY f.department) AS departments,
       min(f.region_code) AS region_code, min(f.object_industries) AS object_industries,
       min(f.supervising_departments) AS supervising_departments, min(f.risk_class) AS risk_class, bool_and(f.listed) AS listed
FROM result_facts f
     CROSS JOIN LATERAL (VALUES
         (date_trunc('year', f.inspected_on)::date, (date_trunc('year', f.inspected_on) + interval '1 year - 1 day')::date, true),
         (date_trunc('quarter', f.inspected_on)::date, (date_trunc('quarter', f.inspected_on) + interval '3 months - 1 day')::date, false),
         (date_trunc('month', f.inspected_on)::date, (date_trunc('month', f.inspected_on) + interval '1 month - 1 day')::date, false)
     ) p(first, last, whole_year)
WHERE f.inspected_on IS NOT NULL
GROUP BY f.credit_code, p.first, p.last;

CREATE TABLE object_visit_periods AS SELECT * FROM object_visit_periods_source WITH NO DATA;
ALTER TABLE object_visit_periods ADD PRIMARY KEY (credit_code, first, last);
COMMENT ON TABLE object_visit_periods IS '对象在每个年、季、月内的检查次数与形态（看板用）';

-- Those counted by period, region, what the visits were (industries, departments, visits up to 3) and the object's
-- shape.
CREATE TABLE object_visit_tallies (
    first                   date NOT NULL,
    last                    date NOT NULL,
    region_code             text NOT NULL,
    industries              text[] NOT NULL,
    departments             text[] NOT NULL,
    visits                  int NOT NULL,
    year_visits             int NOT NULL,
    object_industries       text[] NOT NULL,
    supervising_departments text[] NOT NULL,
    risk_class              text NOT NULL,
    listed                  boolean NOT NULL,
    n                       bigint NOT NULL,
    PRIMARY KEY (first, last, region_code, industries, departments, visits, year_visits, object_industries,
                 supervising_departments, risk_class, listed)
);
COMMENT ON TABLE object_visit_tallies IS '按期间、区划、检查情况与对象形态计数的被检查对象数（看板用）';

CREATE FUNCTION count_object_visit_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO object_visit_tallies AS t (first, last, region_code, industries, departments, visits, year_visits,
                                               object_industries, supervising_departments, risk_class, listed, n)
        SELECT first, last, region_code, industries, departments, least(visits, 3), year_visits, object_industries,
               supervising_departments, risk_class, listed, %s * count(*)
        FROM %I x
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
        ON CONFLICT (first, last, region_code, industries, departments, visits, year_visits, object_industries,
                     supervising_departments, risk_class, listed)
        DO UPDATE SET n = t.n + EXCLUDED.n
        $sql$, CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END, CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END);
    RETURN NULL;
END;
$$;

-- Facts inserted (a refresh deletes and inserts a visit's facts, `refresh_result_facts`, after locking the visit) work
-- out again the visit periods of their objects, under a lock of each object taken after the visits' (or of all
-- objects, for a statement of many).
CREATE FUNCTION refresh_object_visit_periods() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    objects text[] := ARRAY(SELECT DISTINCT credit_code FROM new_rows);
BEGIN
    IF cardinality(objects) > 64 THEN
        PERFORM pg_advisory_xact_lock(7305, 0);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(7305, 0);
        PERFORM pg_advisory_xact_lock(7306, k) FROM (SELECT DISTINCT hashtext(o) AS k FROM unnest(objects) o ORDER BY 1) x;
    END IF;
    DELETE FROM object_visit_periods WHERE credit_code IN (SELECT unnest(objects));
    INSERT INTO object_visit_periods SELECT * FROM object_visit_periods_source WHERE credit_code IN (SELECT unnest(objects));
    RETURN NULL;
END;
$$;

-- The tallies start from what is there (the facts, rewritten, also lose the bloat of their refreshes), and every later
-- change of the facts or the periods is counted.
CREATE TEMPORARY TABLE facts_then ON COMMIT DROP AS SELECT * FROM result_facts;
TRUNCATE result_facts;
CREATE TRIGGER result_facts_tallied_on_insert AFTER INSERT ON result_facts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_result_tallies();
CREATE TRIGGER result_facts_tallied_on_delete AFTER DELETE ON result_facts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_result_tallies();
CREATE TRIGGER result_facts_object_periods_on_insert AFTER INSERT ON result_facts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION refresh_object_visit_periods();
CREATE TRIGGER object_visit_periods_tallied_on_insert AFTER INSERT ON object_visit_periods REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_object_visit_tallies();
CREATE TRIGGER object_visit_periods_tallied_on_delete AFTER DELETE ON object_visit_periods REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_object_visit_tallies();
INSERT INTO result_facts SELECT * FROM facts_then;
