export const USAGE = `usage: pnpm cli <command> [options]

API keys (for the Anura webhook's x-api-key header)
  api-keys create --name <name>        create a key; the plain key is printed once, alone on the last line
  api-keys list                        id, name, prefix, active, created, last used
  api-keys revoke <id|prefix>          deactivate a key

Campaigns (AuditorIA's campaigns table)
  campaigns create --name <name> [--id <n>] [--description <text>]
  campaigns list

Calls and events
  calls remap [--limit <n>]            map unmapped calls without a task again (after adding a campaign)
  replay --since <iso> [--until <iso>] [--call <cdrid>] [--trigger END] [--dry-run]
                                       queue stored events again (--until is exclusive)

Missed webhooks (Anura's CDR list)
  cdrs reconcile --since <iso> [--until <iso>] [--dry-run]
                                       check that stretch of Anura's CDR list now (after an outage) and recover
                                       the calls we lack; needs ANURA_API_CLIENT_ID and ANURA_API_CLIENT_SECRET
  cdrs check --csv <file>              list the calls of a CDR export from Anura's panel that we lack
                                       (\`;\` or \`,\`, Spanish headers; no API credentials needed)

Trying it
  simulate-call [--cdrid <id>] [--seconds <n>] [--no-recording] [--webhook-lost] [--url <ingester>] [--recording-url <url>] [--api-key <key>] [--timeout <s>]
                                       play one Anura call (START, TALK, END with a recording) and wait for its
                                       task; the task id is the last line. In development the recording is a
                                       generated MP3 from \`./run.sh start\`'s sample server; elsewhere pass --recording-url
                                       --webhook-lost sends no webhook: only the stand-in's CDR list knows the call,
                                       and it waits until reconciliation makes its task (default timeout 120 s)

Queues
  jobs retry-failed --queue <call.event|recording.fetch|task.create> [--reason <text>]
                                       retry failed jobs, optionally only those whose reason contains <text>

Personal data (numbers, names and free fields; cdrid, times, mapping, recording and task stay)
  personal-data scrub [--older-than-days <n>]
                                       scrub calls first stored more than n days ago (default
                                       PERSONAL_DATA_RETENTION_DAYS, 90); prints how many
  personal-data forget --call <cdrid>  scrub one call now, in Postgres and in Redis's job copies

  help                                 this text

Environment: DATABASE_URL, REDIS_URL (or REDIS_CLUSTER_NODES), QUEUE_PREFIX, for cdrs ANURA_API_* and ANURA_CDR_SETTLE_SECONDS (read from .env when present).`;
