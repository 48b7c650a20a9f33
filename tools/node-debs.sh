#!/usr/bin/env bash
# The real node's runtime parts from Debian 12 at the versions pinned in tools/versions.env: containerd,
# runc, the CNI plugins and iptables (with the libraries it links), fetched with `apt-get download` and
# unpacked with `dpkg -x` into ${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}/node-debs-<containerd>/.
# Nothing is installed system-wide: the machine is shared, and a packaged containerd or iptables would
# change it for everyone (services, /etc, alternatives). iptables runs through small wrappers that point
# it at its unpacked libraries. Called by tools/setup.sh real-node; idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
TOOLS_DIR=${PUSHPULL_TOOLS_DIR:-$HOME/.cache/pushpull/tools}
out="$TOOLS_DIR/node-debs-${DEB_CONTAINERD_VERSION%%~*}"
log() { printf '[node-debs %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [ -x "$out/bin/containerd" ] && [ -x "$out/bin/iptables" ] && "$out/bin/runc" --version >/dev/null 2>&1; then
  log "cached in $out"; exit 0
fi
pkgs=(
  "containerd=$DEB_CONTAINERD_VERSION"
  "runc=$DEB_RUNC_VERSION"
  "containernetworking-plugins=$DEB_CNI_PLUGINS_VERSION"
  "iptables=$DEB_IPTABLES_VERSION"
  "libip4tc2=$DEB_IPTABLES_VERSION"
  "libip6tc2=$DEB_IPTABLES_VERSION"
  "libxtables12=$DEB_IPTABLES_VERSION"
  libnftnl11 libmnl0 libnetfilter-conntrack3 libnfnetlink0
)
rm -rf "$out.tmp" && mkdir -p "$out.tmp/debs" "$out.tmp/root" "$out.tmp/bin"
log "downloading ${pkgs[*]}"
(cd "$out.tmp/debs" && apt-get download -qq "${pkgs[@]}")
for deb in "$out.tmp"/debs/*.deb; do dpkg -x "$deb" "$out.tmp/root"; done
root="$out/root" lib="$out/root/usr/lib/x86_64-linux-gnu"
for b in containerd containerd-shim-runc-v2 ctr; do ln -s "../root/usr/bin/$b" "$out.tmp/bin/$b"; done
ln -s ../root/usr/sbin/runc "$out.tmp/bin/runc"
# The legacy (x_tables) backend: this kernel exposes /proc/net/ip_tables_names; kubelet and kube-proxy
# find these names on their PATH.
for name in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  printf '#!/bin/bash\nexport LD_LIBRARY_PATH=%s XTABLES_LIBDIR=%s/xtables\nexec -a %s %s/usr/sbin/xtables-legacy-multi "$@"\n' \
    "$lib" "$lib" "$name" "$root" > "$out.tmp/bin/$name"
  chmod +x "$out.tmp/bin/$name"
done
rm -rf "$out.tmp/debs" "$out" && mv "$out.tmp" "$out"
"$out/bin/runc" --version >/dev/null
log "ready in $out"
