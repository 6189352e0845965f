-- Personal data of a scrubbed call (anura_calls.scrubbed_at set) never comes back: whatever path writes
-- to it (a late event, a replay, a remap, a redelivered job), these triggers scrub the row on the way in.
-- anura_scrub_personal is the one definition of what is personal in our JSON documents:
--   calling, called, aniTel                → null (phone numbers)
--   queueagentname                         → its first number only (the operator id the mapping reads), else null
--   extra                                  → {} (fields we never read: callingname, calledname, custom1..6, ...)
--   fields.* (stored call facts)           → the same rules, on [value, precedence] pairs
CREATE OR REPLACE FUNCTION anura_scrub_personal(doc jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  k text;
  digits text;
BEGIN
  IF doc IS NULL OR jsonb_typeof(doc) <> 'object' THEN
    RETURN doc;
  END IF;
  FOREACH k IN ARRAY ARRAY['calling', 'called', 'aniTel'] LOOP
    IF doc ? k THEN
      doc := jsonb_set(doc, ARRAY[k], 'null'::jsonb);
    END IF;
  END LOOP;
  IF doc ? 'queueagentname' THEN
    doc := jsonb_set(doc, '{queueagentname}', coalesce(to_jsonb(substring(doc->>'queueagentname' from '\d{1,9}')), 'null'::jsonb));
  END IF;
  IF doc ? 'extra' THEN
    doc := jsonb_set(doc, '{extra}', '{}'::jsonb);
  END IF;
  IF jsonb_typeof(doc->'fields') = 'object' THEN
    doc := jsonb_set(doc, '{fields}', (doc->'fields') - 'calling' - 'called');
    digits := substring(doc#>>'{fields,queueagentname,0}' from '\d{1,9}');
    doc := CASE
      WHEN digits IS NULL THEN jsonb_set(doc, '{fields}', (doc->'fields') - 'queueagentname')
      ELSE jsonb_set(doc, '{fields,queueagentname,0}', to_jsonb(digits))
    END;
  END IF;
  RETURN doc;
END
$$;
--> statement-breakpoint
-- The shared lock waits out a scrub of this call in progress (it holds the exclusive one), and the check
-- below then reads with a fresh snapshot: an event racing a scrub is either seen by it or scrubbed here.
CREATE OR REPLACE FUNCTION anura_events_keep_scrubbed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended(NEW.cdrid, 0));
  IF EXISTS (SELECT 1 FROM anura_calls WHERE cdrid = NEW.cdrid AND scrubbed_at IS NOT NULL) THEN
    NEW.payload := anura_scrub_personal(NEW.payload);
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER anura_events_keep_scrubbed BEFORE INSERT OR UPDATE OF payload ON anura_events
  FOR EACH ROW EXECUTE FUNCTION anura_events_keep_scrubbed();
--> statement-breakpoint
-- Scrubs every JSON column of the row, present or future (state, facts, ...), without naming them.
CREATE OR REPLACE FUNCTION anura_calls_keep_scrubbed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  scrubbed jsonb := '{}'::jsonb;
  col record;
BEGIN
  IF NEW.scrubbed_at IS NULL THEN
    RETURN NEW;
  END IF;
  FOR col IN SELECT key, value FROM jsonb_each(to_jsonb(NEW)) WHERE jsonb_typeof(value) = 'object' LOOP
    scrubbed := scrubbed || jsonb_build_object(col.key, anura_scrub_personal(col.value));
  END LOOP;
  NEW := jsonb_populate_record(NEW, scrubbed);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER anura_calls_keep_scrubbed BEFORE INSERT OR UPDATE ON anura_calls
  FOR EACH ROW EXECUTE FUNCTION anura_calls_keep_scrubbed();
