/**
 * The local runtime's network as pure data: the run's namespaces, veth links and addresses
 * (`planTopology`), the `ip` commands that make them, and the nftables / tc text of each network fault
 * on an arm's path (`renderFaultStart`, `renderFaultHeal`). No I/O: netfault/edge.ts runs what this
 * renders. See docs/network-faults.md for the layout.
 *
 * Every name carries the run's id, so cleanup (the end of the run, the crash reaper, `pushpull report
 * DIR`, the next run's stale sweep) removes exactly the run's own. Deleting a namespace deletes its veth
 * ends (and so their peers) and its nft tables and qdiscs: the namespaces are the whole cleanup.
 */
import type { ArmName, NetworkDirection, NetworkFault } from '../api/v1alpha1/schema.ts';

/** Namespaces of pushpull runs: `pushpull-<id>-<role>`. */
export const NETNS_PREFIX = 'pushpull-';
const ARM_LETTER: Record<ArmName, string> = { pull: 'p', statsd: 's', otlp: 'o' };
const ARM_ORDER: readonly ArmName[] = ['pull', 'statsd', 'otlp'];

/**
 * A run id: the rig's pid in base 36 (5 characters) and one more character, so a namespace whose pid
 * is gone is a crashed run's. 6 characters keep link names within Linux's 15.
 */
export function netRunId(pid: number, salt: number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `${pid.toString(36).padStart(5, '0').slice(-5)}${alphabet[Math.abs(Math.trunc(salt)) % 36]}`;
}

/** The pid in a run id, or null when the name is not one of ours. */
export function pidOfRunId(id: string): number | null {
  if (!/^[0-9a-z]{6}$/.test(id)) return null;
  return Number.parseInt(id.slice(0, 5), 36);
}

/** The run ids of pushpull namespaces among `names` (`ip netns list`). */
export function runIdsOf(names: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of names) {
    const m = /^pushpull-([0-9a-z]{6})-[a-z]+$/.exec(n);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), n]);
  }
  return out;
}

/** One veth pair: end `a` in `nsA` (null: the rig's own namespace), end `b` in `nsB`. */
export interface VethLink {
  a: string;
  b: string;
  nsA: string | null;
  nsB: string;
  /** `10.x.y.z` without the prefix length; both are in one /30. */
  addressA: string;
  addressB: string;
}

/** One arm's side of the network. */
export interface ArmNetwork {
  arm: ArmName;
  ns: string;
  /** Where the rig reaches the producers (ledger, start, hang): the producers' end of their rig link. */
  rigAddress: string;
  /** The producers' end of the path to the collectors (a pull target's address). */
  pathAddress: string;
  /** The collectors' end of this arm's path (where StatsD datagrams and OTLP exports go). */
  collectorAddress: string;
  /** The path's devices: in the arm's namespace, in the collectors'. */
  armDevice: string;
  collectorDevice: string;
}

/** The run's whole layout: the collectors' namespace, one per arm, and their links. */
export interface NetTopology {
  runId: string;
  collectorsNs: string;
  /** Where the rig reaches every collector (the collectors' end of their rig link). */
  collectorsAddress: string;
  /** The /24 the links' /30s are cut from, e.g. `10.231.7`. */
  subnet: string;
  arms: Partial<Record<ArmName, ArmNetwork>>;
  links: VethLink[];
}

/**
 * Candidate /24s for a run, 10.230.0.0–10.239.255.0: private, inside the namespaces (only the rig
 * links' host ends are seen by this namespace), and never the real node's 10.213.47.0/24. The edge
 * takes the first one no address or route of this namespace uses.
 */
export function subnetCandidates(runId: string, count = 16): string[] {
  let h = 2166136261;
  for (const c of runId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = (h + i * 7919) % 2560;
    out.push(`10.${230 + Math.floor(n / 256)}.${n % 256}`);
  }
  return out;
}

/** The run's namespaces, links and addresses for these arms. */
export function planTopology(runId: string, subnet: string, arms: readonly ArmName[]): NetTopology {
  const collectorsNs = `${NETNS_PREFIX}${runId}-collectors`;
  const address = (link: number, end: 1 | 2) => `${subnet}.${link * 4 + end}`;
  const links: VethLink[] = [
    {
      a: `pp${runId}rc`,
      b: `pp${runId}cr`,
      nsA: null,
      nsB: collectorsNs,
      addressA: address(0, 1),
      addressB: address(0, 2),
    },
  ];
  const out: NetTopology = {
    runId,
    collectorsNs,
    collectorsAddress: address(0, 2),
    subnet,
    arms: {},
    links,
  };
  for (const arm of ARM_ORDER.filter((a) => arms.includes(a))) {
    const x = ARM_LETTER[arm];
    const k = 1 + ARM_ORDER.indexOf(arm) * 2;
    const ns = `${NETNS_PREFIX}${runId}-${arm}`;
    links.push({
      a: `pp${runId}r${x}`,
      b: `pp${runId}${x}r`,
      nsA: null,
      nsB: ns,
      addressA: address(k, 1),
      addressB: address(k, 2),
    });
    links.push({
      a: `pp${runId}${x}c`,
      b: `pp${runId}c${x}`,
      nsA: ns,
      nsB: collectorsNs,
      addressA: address(k + 1, 1),
      addressB: address(k + 1, 2),
    });
    out.arms[arm] = {
      arm,
      ns,
      rigAddress: address(k, 2),
      pathAddress: address(k + 1, 1),
      collectorAddress: address(k + 1, 2),
      armDevice: `pp${runId}${x}c`,
      collectorDevice: `pp${runId}c${x}`,
    };
  }
  return out;
}

/** Every namespace of the topology. */
export function namespacesOf(t: NetTopology): string[] {
  return [t.collectorsNs, ...ARM_ORDER.flatMap((a) => (t.arms[a] ? [t.arms[a].ns] : []))];
}

const inNs = (ns: string | null, args: string[]) => (ns === null ? args : ['-n', ns, ...args]);

/** The `ip` argument lists that make the topology, in order. */
export function setupCommands(t: NetTopology): string[][] {
  const cmds: string[][] = namespacesOf(t).map((ns) => ['netns', 'add', ns]);
  for (const ns of namespacesOf(t)) cmds.push(['-n', ns, 'link', 'set', 'lo', 'up']);
  for (const l of t.links) {
    cmds.push(['link', 'add', l.a, 'type', 'veth', 'peer', 'name', l.b]);
    if (l.nsA !== null) cmds.push(['link', 'set', l.a, 'netns', l.nsA]);
    cmds.push(['link', 'set', l.b, 'netns', l.nsB]);
    cmds.push(inNs(l.nsA, ['addr', 'add', `${l.addressA}/30`, 'dev', l.a]));
    cmds.push(inNs(l.nsB, ['addr', 'add', `${l.addressB}/30`, 'dev', l.b]));
    cmds.push(inNs(l.nsA, ['link', 'set', l.a, 'up']));
    cmds.push(inNs(l.nsB, ['link', 'set', l.b, 'up']));
  }
  return cmds;
}

/**
 * The `ip` argument lists that remove the topology: the host ends of the rig links first (a deleted
 * namespace takes its own ends, their peers, its rules and qdiscs, but the kernel does so later, in
 * its cleanup work), then the namespaces.
 */
export function teardownCommands(t: NetTopology): string[][] {
  return [
    ...t.links.filter((l) => l.nsA === null).map((l) => ['link', 'del', l.a]),
    ...namespacesOf(t).map((ns) => ['netns', 'del', ns]),
  ];
}

/** A command run inside a namespace, as a start spec's command and args. */
export function inNamespace<T extends { command: string; args: readonly string[] }>(
  spec: T,
  ns: string,
  ipPath = 'ip',
): T {
  return { ...spec, command: ipPath, args: ['netns', 'exec', ns, spec.command, ...spec.args] };
}

/** The nft table of the run in each namespace. */
export const tableName = (runId: string) => `pushpull_${runId}`;

/** Which side a fault's rule sits on: the receiving end's ingress, so the sender never sees an error. */
export interface FaultLeg {
  /** `to-collector`: packets from the producers; `from-collector`: packets to them. */
  direction: Exclude<NetworkDirection, 'both'>;
  ns: string;
  /** nft: the ingress device of the receiver; tc: the egress device of the sender. */
  device: string;
  /** The named nft counter (loss, partition) of this leg. */
  counter: string;
}

const DIRECTIONS = (d: NetworkDirection): FaultLeg['direction'][] =>
  d === 'both' ? ['to-collector', 'from-collector'] : [d];

/**
 * The legs of fault `index` on `arm`'s path. loss/partition drop at the receiver's ingress (netdev
 * hook: the sender's stack sees nothing, as on a wire); bandwidth (tbf) and delay (netem, where the
 * kernel has it) act at the sender's egress.
 */
export function faultLegs(t: NetTopology, index: number, fault: NetworkFault): FaultLeg[] {
  const a = t.arms[fault.arm];
  if (!a) throw new RangeError(`network fault ${index}: the topology has no ${fault.arm} arm`);
  const shaped = fault.kind === 'bandwidth' || fault.kind === 'delay';
  return DIRECTIONS(fault.direction ?? 'both').map((direction) => {
    const toCollector = direction === 'to-collector';
    const receiverSide = toCollector
      ? { ns: t.collectorsNs, device: a.collectorDevice }
      : { ns: a.ns, device: a.armDevice };
    const senderSide = toCollector
      ? { ns: a.ns, device: a.armDevice }
      : { ns: t.collectorsNs, device: a.collectorDevice };
    return {
      direction,
      ...(shaped ? senderSide : receiverSide),
      counter: `f${index}_${toCollector ? 'to' : 'from'}`,
    };
  });
}

/** What a fault's path carries that a rule should match: StatsD's datagrams, or every IPv4 packet. */
export interface FaultMatch {
  /** StatsD: only UDP to the exporter's port, so the counter counts exactly the datagrams lost. */
  statsdUdpPort?: number;
}

const SHARE_SCALE = 10_000;

/** The nft rule body of a loss or partition leg (after the chain name). */
export function ruleBody(fault: NetworkFault, leg: FaultLeg, match: FaultMatch): string {
  const scope =
    fault.arm === 'statsd' && match.statsdUdpPort !== undefined && leg.direction === 'to-collector'
      ? `meta protocol ip udp dport ${match.statsdUdpPort}`
      : 'meta protocol ip';
  if (fault.kind === 'partition') return `${scope} counter name ${leg.counter} drop`;
  if (fault.kind === 'loss') {
    const below = Math.round((fault.lossShare ?? 0) * SHARE_SCALE);
    return `${scope} numgen random mod ${SHARE_SCALE} < ${below} counter name ${leg.counter} drop`;
  }
  throw new RangeError(`network fault kind ${fault.kind} has no nft rule`);
}

/** The nft script that makes the run's table (empty: counters and chains come with each fault). */
export function renderTable(runId: string): string {
  return `table netdev ${tableName(runId)} {\n}\n`;
}

/** tbf's burst: at least one MTU-sized packet, else 10 ms at the rate. */
export function tbfBurstBytes(bitsPerSecond: number): number {
  return Math.max(3200, Math.ceil(bitsPerSecond / 8 / 100));
}

/** One step of a fault's start or heal: an nft script in a namespace, or a tc argument list there. */
export type NetStep =
  | { tool: 'nft'; ns: string; script: string }
  | { tool: 'tc'; ns: string; args: string[] };

/** The steps that start fault `index` (its chain and counter in the receiver's table, or a tbf). */
export function renderFaultStart(
  t: NetTopology,
  index: number,
  fault: NetworkFault,
  match: FaultMatch = {},
): NetStep[] {
  const table = tableName(t.runId);
  return faultLegs(t, index, fault).map((leg): NetStep => {
    if (fault.kind === 'bandwidth') {
      const rate = fault.bitsPerSecond ?? 0;
      return rootQdisc(leg, 'replace', [
        'tbf',
        'rate',
        `${rate}bit`,
        'burst',
        `${tbfBurstBytes(rate)}`,
        'latency',
        '100ms',
      ]);
    }
    if (fault.kind === 'delay')
      return rootQdisc(leg, 'replace', ['netem', 'delay', `${fault.delayMilliseconds ?? 0}ms`]);
    return {
      tool: 'nft',
      ns: leg.ns,
      script: [
        `add counter netdev ${table} ${leg.counter}`,
        `add chain netdev ${table} ${leg.counter} { type filter hook ingress device "${leg.device}" priority 0; }`,
        `add rule netdev ${table} ${leg.counter} ${ruleBody(fault, leg, match)}`,
        '',
      ].join('\n'),
    };
  });
}

/** A tc step on the root qdisc of a leg's device (`replace` puts a fault on, `change` opens it up). */
function rootQdisc(
  leg: { ns: string; device: string },
  verb: 'replace' | 'change',
  qdisc: string[],
): NetStep {
  return { tool: 'tc', ns: leg.ns, args: ['qdisc', verb, 'dev', leg.device, 'root', ...qdisc] };
}

/** A rate no path of this rig reaches, with a burst to match: a healed tbf that never drops. */
export const HEALED_TBF = ['rate', '10gbit', 'burst', '1048576', 'latency', '100ms'] as const;

/**
 * The steps that heal fault `index`: its chain goes, its named counter stays for the books (read at
 * the cut-off, gone with the namespace). A tbf or netem is not deleted, which would discard what it
 * holds uncounted: it is opened up (a rate no path reaches, no delay), its queue drains, and the edge
 * reads its drops just after.
 */
export function renderFaultHeal(t: NetTopology, index: number, fault: NetworkFault): NetStep[] {
  const table = tableName(t.runId);
  return faultLegs(t, index, fault).map(
    (leg): NetStep =>
      fault.kind === 'bandwidth'
        ? rootQdisc(leg, 'change', ['tbf', ...HEALED_TBF])
        : fault.kind === 'delay'
          ? rootQdisc(leg, 'change', ['netem', 'delay', '0ms'])
          : {
              tool: 'nft',
              ns: leg.ns,
              script: `flush chain netdev ${table} ${leg.counter}\ndelete chain netdev ${table} ${leg.counter}\n`,
            },
  );
}

/** Packets of a named counter in `nft -j list counters` output; null when absent. */
export function parseNftCounter(json: string, name: string): number | null {
  const doc = JSON.parse(json) as { nftables?: Array<{ counter?: { name?: string; packets?: number } }> };
  const c = (doc.nftables ?? []).find((e) => e.counter?.name === name)?.counter;
  return typeof c?.packets === 'number' ? c.packets : null;
}

/** Packets the root tbf/netem qdisc of `tc -s -j qdisc show dev X` dropped; null when there is none. */
export function parseTcDropped(json: string): number | null {
  const rows = JSON.parse(json) as Array<{ root?: boolean; kind?: string; drops?: number }>;
  const ours = (r: { kind?: string }) => r.kind === 'tbf' || r.kind === 'netem';
  const root = rows.find((r) => r.root === true && ours(r)) ?? rows.find(ours);
  return typeof root?.drops === 'number' ? root.drops : null;
}

/** What this machine's kernel can do with a network fault, probed by the edge. */
export interface NetFacilities {
  /** Namespaces and veths can be made (root, `ip` present); the reason when not. */
  namespaces: { ok: true } | { ok: false; reason: string };
  nft: boolean;
  tbf: boolean;
  netem: boolean;
}

/**
 * Why a spec's network faults cannot run here, one sentence per fault naming the field; empty when
 * they all can. A fault the kernel cannot make is refused before anything starts.
 */
export function refusals(faults: readonly NetworkFault[], can: NetFacilities): string[] {
  const out: string[] = [];
  const allowed = [
    can.nft ? 'loss, partition' : null,
    can.tbf ? 'bandwidth' : null,
    can.netem ? 'delay' : null,
  ]
    .filter((s) => s !== null)
    .join(', ');
  faults.forEach((f, i) => {
    const field = `spec.networkFaults[${i}].kind`;
    const why =
      f.kind === 'delay' && !can.netem
        ? 'needs sch_netem (tc qdisc netem), which this kernel does not have'
        : (f.kind === 'loss' || f.kind === 'partition') && !can.nft
          ? 'needs nftables (the nft program, Debian package nftables; tools/setup.sh installs it)'
          : f.kind === 'bandwidth' && !can.tbf
            ? 'needs tc tbf, which this kernel does not have'
            : null;
    if (why)
      out.push(`${field}: ${JSON.stringify(f.kind)} ${why}; allowed on this machine: ${allowed || 'none'}`);
  });
  return out;
}
