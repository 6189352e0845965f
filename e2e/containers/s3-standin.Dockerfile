# Test-only stand-in for MinIO (no MinIO build is reachable here): the embedded development S3
# (packages/dev/s3, s3rver) on :9000, its data in /data. One fixed key (S3RVER), no users or policies.
ARG NODE_IMAGE
FROM ${NODE_IMAGE}
WORKDIR /s3
RUN npm i --no-audit --no-fund --no-save @20minutes/s3rver@5.0.0 && mkdir -p node_modules/@anura /data && chown node:node /data
COPY packages/dev/s3 packages/dev/s3
COPY e2e/containers/s3-standin.ts e2e/containers/s3-standin.ts
# As pnpm links a workspace package: the import of @anura/dev-s3 resolves to its source, outside node_modules.
RUN ln -s ../../packages/dev/s3 node_modules/@anura/dev-s3
USER node
VOLUME /data
CMD ["node", "e2e/containers/s3-standin.ts"]
