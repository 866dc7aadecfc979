-- Deadlines given in working days keep the day their count started and how many working days it counts, so that
-- they are counted again when the office enters or corrects a year of the calendar. A year the office has not entered
-- is counted provisionally and the office is asked, once per year, to enter it.

ALTER TABLE whistle_calls
    ADD COLUMN deadline_from date,
    ADD COLUMN deadline_working_days integer CHECK (deadline_working_days >= 0),
    ADD CHECK ((deadline_from IS NULL) = (deadline_working_days IS NULL));
ALTER TABLE clue_routes
    ADD COLUMN deadline_from date,
    ADD COLUMN deadline_working_days integer CHECK (deadline_working_days >= 0),
    ADD CHECK ((deadline_from IS NULL) = (deadline_working_days IS NULL));
ALTER TABLE draw_confirmations
    ADD COLUMN deadline_from date,
    ADD COLUMN deadline_working_days integer CHECK (deadline_working_days >= 0),
    ADD CHECK ((deadline_from IS NULL) = (deadline_working_days IS NULL));

-- Confirmations made before this kept their count implicitly: one working day from the draw's execution.
UPDATE draw_confirmations c SET deadline_from = (d.executed_at AT TIME ZONE 'Asia/Shanghai')::date, deadline_working_days = 1
FROM draws d WHERE d.id = c.draw_id AND d.executed_at IS NOT NULL AND c.confirmed_at IS NULL;

-- An open confirmation's deadline may be counted again; a given one never changes.
CREATE OR REPLACE FUNCTION refuse_settled_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% 只可追加，不可删除', TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    IF TG_TABLE_NAME = 'draw_changes' THEN
        IF OLD.status <> 'pending' OR (to_jsonb(NEW) - '{status,decided_by,decided_at,decision_note}'::text[])
                                     <> (to_jsonb(OLD) - '{status,decided_by,decided_at,decision_note}'::text[]) THEN
            RAISE EXCEPTION '变更申请已决定或内容不可修改 (change %)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
    ELSIF OLD.confirmed_at IS NOT NULL THEN
        RAISE EXCEPTION '派单确认已完成，不可修改' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

-- The years the office was asked to enter (each asked once).
CREATE TABLE calendar_requests (
    year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    requested_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calendar_requests IS '已提请领导小组办公室录入的工作日历年份';

ALTER TABLE notifications DROP CONSTRAINT notifications_subject_type_check,
    ADD CONSTRAINT notifications_subject_type_check CHECK (subject_type IN ('call', 'draw', 'meeting', 'clue', 'calendar'));
