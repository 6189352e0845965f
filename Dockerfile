# One image for every process; the compose file picks the command. Node 24 runs the TypeScript
# sources directly (type stripping), so there is no build step to keep in sync.
FROM node:24-bookworm-slim
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH NODE_ENV=production
RUN npm i -g pnpm@12 --allow-scripts=pnpm
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY patches/ patches/
COPY apps/ingester/package.json apps/ingester/
COPY apps/worker/package.json apps/worker/
COPY apps/dashboard/package.json apps/dashboard/
COPY apps/cli/package.json apps/cli/
COPY packages/ packages/
COPY e2e/package.json e2e/
RUN pnpm install --frozen-lockfile --prod=false
COPY . .
USER node
CMD ["node", "apps/ingester/src/main.ts"]
