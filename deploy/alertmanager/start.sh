#!/bin/sh
# The alertmanager service's entrypoint: writes ALERT_WEBHOOK_URL into the shipped config, then runs it.
set -eu
: "${ALERT_WEBHOOK_URL:?set ALERT_WEBHOOK_URL in .env: where Alertmanager posts alerts}"
# index/substr, not sed: the URL may hold any of sed's special characters.
awk '{ i = index($0, "\"ALERT_WEBHOOK_URL\""); if (i) $0 = substr($0, 1, i) ENVIRON["ALERT_WEBHOOK_URL"] substr($0, i + 18); print }' \
  /etc/alertmanager/alertmanager.yml >/alertmanager/alertmanager.yml
# One instance: no HA gossip (add --cluster.* flags to run a pair).
exec /bin/alertmanager --config.file=/alertmanager/alertmanager.yml --storage.path=/alertmanager --cluster.listen-address= "$@"
