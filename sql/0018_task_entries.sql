-- A task names the joint-list entries it checks. Tasks stored with none (which meant "every included entry") get
-- them spelled out from their joint-list version, so that no answer says [] for "all".
UPDATE tasks t SET entries = coalesce((
    SELECT array_agg((e ->> 'number')::integer ORDER BY (e ->> 'number')::integer)
    FROM list_versions v, jsonb_array_elements(v.document -> 'entries') AS e
    WHERE v.kind = 'joint_list' AND v.owner = t.industry_code AND v.version = t.joint_list_version
      AND (e ->> 'included')::boolean
), '{}')
WHERE cardinality(t.entries) = 0;
