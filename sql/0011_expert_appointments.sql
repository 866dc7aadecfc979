-- The originator may appoint an external expert to a drawn object's team: a change of its own kind, decided by
-- the originator when made.
ALTER TABLE draw_changes DROP CONSTRAINT draw_changes_kind_check;
ALTER TABLE draw_changes ADD CONSTRAINT draw_changes_kind_check
    CHECK (kind IN ('replace_inspector', 'replace_object', 'appoint_expert'));
ALTER TABLE draw_changes ADD CONSTRAINT draw_changes_expert_check
    CHECK (kind <> 'appoint_expert' OR replacement_inspector IS NOT NULL);
