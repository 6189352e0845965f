#!/bin/bash
# Run once by the postgres image on a fresh volume: the apps' login owns their database and is no superuser.
set -euo pipefail
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD in .env: the password the apps log in with}"
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  --set user="${POSTGRES_APP_USER:-anura}" --set password="$POSTGRES_APP_PASSWORD" --set db="${POSTGRES_APP_DB:-auditoria}" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
