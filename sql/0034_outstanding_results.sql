-- The results each executed draw still owes (一公开): a row per (object, department) of its teams as they stand
-- whose result is not published yet, kept by the writes that change them (YiyeStore's DrawCompletion): execution
-- adds every owed result, a publication takes its own away, an approved change works the draw out again. The
-- overdue list and the deadline sweep read the late ones here instead of working out every draw's teams each time;
-- the dashboard counts a task completed when its draw has none left.
--
-- A draw has rows here only once `draw_completion` holds its row (both are written together). Draws kept as
-- incomplete before this migration have no rows yet: their marks go, and the first reader works them out again.
CREATE TABLE draw_outstanding (
    draw_id     bigint NOT NULL REFERENCES draws (id),
    credit_code text   NOT NULL,
    department  text   NOT NULL,
    PRIMARY KEY (draw_id, credit_code, department)
);
COMMENT ON TABLE draw_outstanding IS '抽取尚未公示的检查结果（应公示未公示）';

DELETE FROM draw_completion WHERE NOT complete;
