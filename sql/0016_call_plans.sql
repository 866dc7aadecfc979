-- A whistle call may be raised on an annual plan (方案制定) as well as on an industry or a task.
ALTER TABLE whistle_calls ADD COLUMN plan_id bigint REFERENCES plans (id);
