#!/usr/bin/env bash
# Installs everything pushpull needs outside npm: Debian packages (openssl for the dev cluster's
# certificates, chromium for the report's browser test, nftables and iproute2 for the local runtime's
# network faults) and the Go-built real programs (tools/build.sh).
# Idempotent and quiet when everything is already there. Usage: tools/setup.sh [collectors|all|real-node]
# (real-node: the worker node's parts, tools/node-debs.sh and tools/build.sh real-node)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
want=${1:-all}

need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# Network faults need root (namespaces), so only root needs their tools (/usr/sbin may not be on PATH).
if [ "$(id -u)" = 0 ]; then
  { command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ]; } || need+=(nftables)
  { command -v tc >/dev/null 2>&1 || [ -x /usr/sbin/tc ]; } || need+=(iproute2)
fi
if [ "$want" = all ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "[setup] installing Debian packages: ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "[setup] pushpull needs the Debian packages ${need[*]}, which are not installed, and only root can install them: run \`sudo apt-get install -y ${need[*]}\` (or run this as root), then try again." >&2
    exit 1
  fi
fi

case "$want" in
  collectors) bash "$here/build.sh" collectors ;;
  # As root, `all` also readies the real worker node, so the test suite runs its e2e (it skips elsewhere).
  all)
    bash "$here/build.sh" all
    if [ "$(id -u)" = 0 ]; then bash "$here/node-debs.sh" && bash "$here/build.sh" real-node; fi
    ;;
  real-node) bash "$here/node-debs.sh" && bash "$here/build.sh" real-node ;;
  *) echo "tools/setup.sh: unknown argument '$want' (allowed: collectors, all, real-node)" >&2; exit 2 ;;
esac
