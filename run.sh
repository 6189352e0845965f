#!/usr/bin/env bash
# The two commands: `./run.sh start` runs the whole system, `./run.sh test` runs every test.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/bootstrap.sh
case "${1:-}" in
  start) exec pnpm start ;;
  test)
    shift
    source scripts/test-tools.sh
    exec pnpm test "$@"
    ;;
  *) echo "usage: ./run.sh start | ./run.sh test" >&2; exit 2 ;;
esac
