-- Draw v2 (docs/DRAW-SPEC.md §2): the record keeps who entered the public beacon's value and when (after the
-- commitments closed, before any reveal); a draw nobody revealed a secret to by the deadline is voided by the
-- originator, with the reason, and the task may freeze a new one. A voided draw, like an executed one, never changes.

ALTER TABLE draws
    ADD COLUMN beacon_entered_by text,
    ADD COLUMN beacon_entered_at timestamptz,
    ADD COLUMN voided_by   text,
    ADD COLUMN voided_at   timestamptz,
    ADD COLUMN void_reason text,
    ADD CONSTRAINT draws_void_whole CHECK ((voided_at IS NULL) = (void_reason IS NULL) AND (voided_at IS NULL) = (voided_by IS NULL)),
    ADD CONSTRAINT draws_void_unexecuted CHECK (voided_at IS NULL OR record IS NULL);
COMMENT ON COLUMN draws.void_reason IS '作废理由（公开期限届满无任何部门公开随机数）';

-- One live draw per task; voided ones stay, for the record.
ALTER TABLE draws DROP CONSTRAINT draws_task_id_key;
CREATE UNIQUE INDEX draws_one_live_per_task ON draws (task_id) WHERE voided_at IS NULL;
CREATE INDEX draws_task ON draws (task_id);

CREATE OR REPLACE FUNCTION refuse_executed_draw_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'draws' THEN
        IF OLD.executed_at IS NOT NULL THEN
            RAISE EXCEPTION '已执行的抽取不可修改或删除 (draw %)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.voided_at IS NOT NULL THEN
            RAISE EXCEPTION '已作废的抽取不可修改或删除 (draw %)', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION '抽取结果只可追加 (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$;
