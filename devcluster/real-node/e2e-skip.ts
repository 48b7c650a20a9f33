/**
 * Why the real-node e2e cannot run on this machine (not root, no br_netfilter, the node's programs not
 * built, another real node running), or false when it can. The real-node itests skip with this reason.
 */
import { existsSync } from 'node:fs';
import { locateNodeBinaries } from './binaries.ts';
import { hostUnsupported } from './host.ts';
import { BRIDGE } from './layout.ts';

export function realNodeUnavailable(): string | false {
  const host = hostUnsupported();
  if (host) return host;
  const found = locateNodeBinaries();
  if ('missing' in found) return found.missing;
  if (existsSync(`/sys/class/net/${BRIDGE}`)) return `another real node runs here (bridge ${BRIDGE})`;
  return false;
}
