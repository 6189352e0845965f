-- Calls stored before 0007 have no facts: rebuild them once from their events, as mergeEvent() in
-- packages/call-domain/src/merge-event.ts does. Each field keeps its value from the event of highest
-- precedence "stage|received at (ISO, UTC)|event id"; a field an event lacks (or sends as null) never wins.
WITH old_events AS (
  SELECT e.cdrid, e.trigger, e.payload,
    (CASE e.trigger WHEN 'ORIGINATE' THEN 0 WHEN 'START' THEN 1 WHEN 'TALK' THEN 2 WHEN 'END' THEN 3 WHEN 'RECORDING' THEN 4 ELSE 2 END)::text
      || '|' || to_char(e.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || e.id::text AS precedence
  FROM "anura_events" e JOIN "anura_calls" c ON c.cdrid = e.cdrid
  WHERE c.facts IS NULL
),
held AS (
  SELECT DISTINCT ON (o.cdrid, f.name) o.cdrid, f.name, jsonb_build_array(o.payload -> f.name, o.precedence) AS value
  FROM old_events o
  CROSS JOIN unnest(ARRAY['dialtime', 'direction', 'calling', 'called', 'duration', 'billseconds', 'wasrecorded',
    'recordingUrl', 'accounttags', 'queueagentname', 'queueagentextension', 'answerextension']) AS f(name)
  WHERE jsonb_typeof(o.payload -> f.name) IS DISTINCT FROM 'null' AND o.payload ? f.name
  ORDER BY o.cdrid, f.name, o.precedence COLLATE "C" DESC
),
facts AS (
  SELECT o.cdrid,
    jsonb_build_object(
      'cdrid', o.cdrid,
      'triggers', (SELECT jsonb_agg(DISTINCT t.trigger ORDER BY t.trigger) FROM old_events t WHERE t.cdrid = o.cdrid),
      'fields', coalesce((SELECT jsonb_object_agg(h.name, h.value) FROM held h WHERE h.cdrid = o.cdrid), '{}'::jsonb)
    ) AS facts
  FROM (SELECT DISTINCT cdrid FROM old_events) o
)
-- A new version, so a worker's memory of the call from before is not taken for the saved row.
UPDATE "anura_calls" c SET facts = f.facts, version = c.version + 1
FROM facts f WHERE c.cdrid = f.cdrid AND c.facts IS NULL;
