-- The dashboard's 风险预警 figures follow each triggered task's draw to its results.
CREATE INDEX result_facts_draw ON result_facts (draw_id);
