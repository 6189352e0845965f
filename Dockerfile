# One image for every process; the compose file picks the command. The image is the sources plus
# production dependencies, and the apps' compiled dist/ (scripts/compile.ts: Node's own type stripping,
# done once at build time instead of in every process).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# Only the manifests, so the dependency layer is rebuilt when they change, not on every edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name pnpm-lock.yaml ! -name pnpm-workspace.yaml ! -path "./patches/*" -delete \
  && find . -type d -empty -delete

FROM ${NODE_IMAGE} AS deps
RUN npm i -g pnpm@12.21.0 --allow-scripts=pnpm --no-audit --no-fund
WORKDIR /app
COPY --from=manifests /app ./
# Production dependencies of what the containers run: the apps (and the packages they use) and
# the demo profile's sample-recording server. Tests, bench and dev tools stay out.
RUN CI=true pnpm install --frozen-lockfile --prod \
  --filter "@anura/ingester-app..." --filter "@anura/worker-app..." --filter "@anura/dashboard-app..." \
  --filter "@anura/cli-app..." --filter "@anura/db..." --filter "@anura/dev-recordings..."

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# @anura packages resolved to their compiled dist/. Each app's own node flags (scripts/app-process.ts) are in
# its command: NODE_OPTIONS refuses some of them.
ENV NODE_OPTIONS="--conditions=anura-compiled"
WORKDIR /app
# Owned by root and only read by the apps: a compromised process cannot rewrite the code it runs.
COPY --from=deps /app ./
COPY . .
RUN node --disable-warning=ExperimentalWarning scripts/compile.ts
USER node
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=200", "--no-allocation-site-pretenuring", "apps/ingester/dist/main.js"]
