# Stands in for node:<version>-bookworm-slim: the same Node binary, npm, and the `node` user (uid 1000).
ARG BASE
FROM ${BASE}
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
# The registry this machine's npm uses, and the host's trust store (Node ignores the system's by default).
ARG NPM_REGISTRY
ENV npm_config_registry=${NPM_REGISTRY} NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
  && node --version && npm --version
CMD ["node"]
