-- A draw's teams live in rows, no longer inside its record: a province-wide draw's teams run to hundreds of megabytes of
-- JSON (10,000,000 objects and 20 departments: about 1.8 GB), beyond what one jsonb value may hold (255 MB), and every
-- reader of the record paid for decoding them. Each drawn object keeps what its team needs and why it went unstaffed,
-- each team place the rank that picked it and its place in the team; the record keeps the rest.
ALTER TABLE drawn_objects ADD COLUMN needs jsonb, ADD COLUMN unstaffed text;
ALTER TABLE team_members ADD COLUMN rank text, ADD COLUMN place smallint;

-- Draws executed before: their teams move out of the record (written once, here, by the migration).
ALTER TABLE draws DISABLE TRIGGER draws_executed_final;
ALTER TABLE drawn_objects DISABLE TRIGGER drawn_objects_append_only;
ALTER TABLE team_members DISABLE TRIGGER team_members_append_only;
UPDATE drawn_objects o SET needs = t.team -> 'needs', unstaffed = t.team ->> 'unstaffed'
FROM draws d, jsonb_array_elements(d.record -> 'teams') AS t (team)
WHERE d.id = o.draw_id AND t.team ->> 'objectID' = o.credit_code AND o.rank <> 'appointed';
UPDATE team_members m SET rank = x.member ->> 'rank', place = x.place - 1
FROM draws d, jsonb_array_elements(d.record -> 'teams') AS t (team),
     jsonb_array_elements(t.team -> 'members') WITH ORDINALITY AS x (member, place)
WHERE d.id = m.draw_id AND t.team ->> 'objectID' = m.credit_code AND x.member ->> 'department' = m.department
  AND x.member ->> 'inspectorID' = m.inspector_id::text;
UPDATE draws SET record = record - 'teams' WHERE record ? 'teams';
ALTER TABLE draws ENABLE TRIGGER draws_executed_final;
ALTER TABLE drawn_objects ENABLE TRIGGER drawn_objects_append_only;
ALTER TABLE team_members ENABLE TRIGGER team_members_append_only;

-- An object appointed by an approved change was not drawn: it has no needs of its own.
ALTER TABLE drawn_objects ADD CHECK ((rank = 'appointed') = (needs IS NULL));
ALTER TABLE team_members ALTER COLUMN rank SET NOT NULL, ALTER COLUMN place SET NOT NULL;
