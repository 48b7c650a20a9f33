/**
 * The real node's teardown, rendered purely from its layout as a POSIX shell script written beside the
 * node's state before anything is started. One script serves every way a node ends: a normal stop
 * (after the pods were deleted), `pushpull dev-cluster down`, a second `up` in the same dir, and the
 * crash reaper (start.ts), which runs it when the owning process dies. Idempotent: each step tolerates
 * what is already gone. Called by start.ts; unit-tested in teardown.test.ts.
 */
import { join } from 'node:path';
import { BRIDGE, GUARD_CHAIN, type NodeLayout } from './layout.ts';

/** Files the starter writes for the teardown: what sysctls were, which host paths it created. */
export const SAVED_SYSCTLS = 'sysctls.saved';
export const CREATED_HOST_PATHS = 'host-paths.created';

/** The cgroup v1 hierarchies kubelet writes pod cgroups into (cgroupfs driver). */
const CGROUP_BASE = '/sys/fs/cgroup';

/** Pure: the teardown script of a node. */
export function teardownScript(l: NodeLayout): string {
  const root = l.root;
  const cg = l.cgroupRoot.replace(/^\//, '');
  return `${[
    '#!/bin/sh',
    `# Tears down the real node under ${root} (rendered by devcluster/real-node/teardown.ts). Idempotent.`,
    `ROOT='${root}'`,
    `export PATH='${l.binaries.debs}/bin':"$PATH"`,
    'me=$$',
    '',
    '# 1. Processes: every pod process (by cgroup), then each process whose command line names ROOT',
    '#    (kubelet, kube-proxy, CoreDNS, containerd and its shims). Bounded retries.',
    'for round in 1 2 3 4 5; do',
    '  found=',
    `  for f in $(find ${CGROUP_BASE}/pids/${cg} ${CGROUP_BASE}/memory/${cg} -name cgroup.procs 2>/dev/null); do`,
    '    for p in $(cat "$f" 2>/dev/null); do kill -9 "$p" 2>/dev/null && found=1; done',
    '  done',
    '  for d in /proc/[0-9]*; do',
    '    p="$(basename "$d")"',
    '    [ "$p" = "$me" ] && continue',
    '    case "$(tr "\\0" " " < "$d/cmdline" 2>/dev/null)" in',
    '      *teardown.sh*) ;;',
    '      *"$ROOT"*) kill -9 "$p" 2>/dev/null && found=1 ;;',
    '    esac',
    '  done',
    '  [ -z "$found" ] && break',
    '  sleep 1',
    'done',
    '',
    '# 2. Mounts under ROOT and under the host paths kubelet/containerd made (deepest first).',
    `created=$(cat "$ROOT/${CREATED_HOST_PATHS}" 2>/dev/null)`,
    'for prefix in "$ROOT" $created; do',
    '  awk \'{print $2}\' /proc/mounts | grep -F "$prefix" | sort -r | while read -r m; do',
    '    case "$m" in "$prefix"|"$prefix"/*) umount -l "$m" 2>/dev/null ;; esac',
    '  done',
    'done',
    '',
    '# 3. Pod cgroups, in every hierarchy, leaves first (a killed process may take a moment to leave).',
    'for round in 1 2 3 4 5 6 7 8 9 10; do',
    '  left=',
    `  for h in ${CGROUP_BASE}/*/; do`,
    `    [ -d "\${h}${cg}" ] || continue`,
    `    find "\${h}${cg}" -depth -type d -exec rmdir {} \\; 2>/dev/null`,
    `    [ -d "\${h}${cg}" ] && left=1`,
    '  done',
    '  [ -z "$left" ] && break',
    '  sleep 0.5',
    'done',
    '',
    '# 4. iptables: the jumps into KUBE-* and our guard chain, then the chains themselves.',
    'for ipt in iptables ip6tables; do',
    '  for t in filter nat mangle; do',
    `    "$ipt" -t "$t" -S 2>/dev/null | grep -E -- '-j (KUBE-|${GUARD_CHAIN})' | grep -vE '^-A (KUBE-|${GUARD_CHAIN})' |`,
    '      sed "s/^-A/-D/" | while read -r rule; do eval "\\"$ipt\\" -t $t $rule" 2>/dev/null; done',
    `    chains=$("$ipt" -t "$t" -S 2>/dev/null | awk '/^-N (KUBE-|${GUARD_CHAIN})/ {print $2}')`,
    '    for c in $chains; do "$ipt" -t "$t" -F "$c" 2>/dev/null; done',
    '    for c in $chains; do "$ipt" -t "$t" -X "$c" 2>/dev/null; done',
    '  done',
    'done',
    '',
    '# 5. The veths on the bridge (their pods are gone), then the bridge.',
    `for v in $(ip -o link show master ${BRIDGE} 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do ip link del "$v" 2>/dev/null; done`,
    `ip link del ${BRIDGE} 2>/dev/null`,
    '',
    '# 6. The sysctls as they were before the node started.',
    `if [ -f "$ROOT/${SAVED_SYSCTLS}" ]; then`,
    '  while read -r key value; do echo "$value" > "/proc/sys/$key" 2>/dev/null; done < "$ROOT/' +
      `${SAVED_SYSCTLS}"`,
    'fi',
    '',
    '# 7. Host paths that did not exist before the node started.',
    'for p in $created; do rm -rf "$p"; done',
    `rm -f "$ROOT/${CREATED_HOST_PATHS}" "$ROOT/${SAVED_SYSCTLS}"`,
    'exit 0',
  ].join('\n')}\n`;
}

/** The sysctls the node changes (kube-proxy needs both), as `/proc/sys` relative paths. */
export const NODE_SYSCTLS = ['net/ipv4/ip_forward', 'net/bridge/bridge-nf-call-iptables'] as const;

/** Pure: where the teardown's saved files live. */
export function savedFiles(l: NodeLayout): { sysctls: string; hostPaths: string } {
  return { sysctls: join(l.root, SAVED_SYSCTLS), hostPaths: join(l.root, CREATED_HOST_PATHS) };
}
