-- Annual plans (年度工作计划): an industry's tasks for a year, made by its originating department, filed with the
-- leadership office and published. A task's work plan (抽查工作方案): responsibilities and schedule.

CREATE TABLE plans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry_code text NOT NULL REFERENCES industries (code),
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    note          text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'filed', 'published')),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    filed_by      text,
    filed_at      timestamptz,
    published_by  text,
    published_at  timestamptz,
    UNIQUE (industry_code, year),
    CHECK ((status = 'draft') = (filed_at IS NULL)),
    CHECK ((status = 'published') = (published_at IS NOT NULL))
);
COMMENT ON TABLE plans IS '年度工作计划';

ALTER TABLE tasks ADD COLUMN plan_id bigint REFERENCES plans (id);
ALTER TABLE tasks ADD COLUMN work_plan jsonb;
CREATE INDEX tasks_plan ON tasks (plan_id);

-- A filed plan only moves on to published; a published one never changes.
CREATE FUNCTION refuse_settled_plan_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status = 'published' OR (OLD.status = 'filed' AND NEW.status <> 'published') THEN
        RAISE EXCEPTION '已报备或已公布的计划不可修改 (plan %)', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER plans_settled BEFORE UPDATE OR DELETE ON plans FOR EACH ROW EXECUTE FUNCTION refuse_settled_plan_change();
