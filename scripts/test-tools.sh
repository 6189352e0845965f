# Sourced by run.sh before the tests: installs the machine tools they drive (Debian's Chromium for
# the browser tests, Prometheus/promtool for the alert-rule tests, PgBouncer and redis-cli for the
# scale-out tests, Docker Engine, docker-compose and debootstrap for the container test), or stops and says how.
missing=()
has() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$CHROMIUM_PATH" ]; then
  echo "run.sh: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable: point it at a Chromium or unset it" >&2
  exit 1
fi
[ -x "$chromium_path" ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-liberation)
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || missing+=(prometheus)
has pgbouncer || missing+=(pgbouncer)
has redis-cli || missing+=(redis-tools)
{ has dockerd && has docker; } || missing+=(docker.io)
has docker-compose || missing+=(docker-compose)
has debootstrap || missing+=(debootstrap)

if [ "${#missing[@]}" -gt 0 ]; then
  install="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "run.sh: the tests need ${missing[*]} (Debian package names) and this machine has no apt-get: install them, then run ./run.sh test again" >&2
    exit 1
  elif [ "$(id -u)" -eq 0 ]; then as_root=(sh -c)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo sh -c)
  else
    echo "run.sh: the tests need ${missing[*]}, and installing them needs root. Run this, then ./run.sh test again:" >&2
    echo "  sudo sh -c '$install'" >&2
    exit 1
  fi
  echo "run.sh: installing ${missing[*]} for the tests (apt-get, about a minute)"
  if ! "${as_root[@]}" "($install) >/dev/null"; then
    echo "run.sh: apt-get failed. Run this yourself, then ./run.sh test again:" >&2
    echo "  sudo sh -c '$install'" >&2
    exit 1
  fi
fi
