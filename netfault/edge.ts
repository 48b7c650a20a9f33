/**
 * The edge of the local runtime's network: runs what netfault/plan.ts renders with `ip`, `nft` and `tc`
 * (iproute2, nftables). `openNetwork` makes the run's namespaces and links, and arms a crash guard (a
 * `sh` on a pipe, process/reaper.ts `runOnDeath`) that deletes them if the rig dies; `applyFault` /
 * `healFault` put a fault on an arm's path and take it off; `readDropped` reads what each rule dropped;
 * `close` removes everything. Called by local/rehearsal.ts; tested for real in edge.itest.ts (root).
 */
import { spawn } from 'node:child_process';
import type { ArmName, NetworkFault } from '../api/v1alpha1/schema.ts';
import { findExecutable } from '../process/parent-death.ts';
import { runOnDeath } from '../process/reaper.ts';
import {
  type FaultMatch,
  faultLegs,
  type NetFacilities,
  type NetStep,
  type NetTopology,
  namespacesOf,
  netRunId,
  parseNftCounter,
  parseTcDropped,
  pidOfRunId,
  planTopology,
  renderFaultHeal,
  renderFaultStart,
  renderTable,
  runIdsOf,
  setupCommands,
  subnetCandidates,
  tableName,
  teardownCommands,
} from './plan.ts';

const TIMEOUT_MS = 15_000;

/** Runs a program to its end (bounded), with optional stdin; rejects with its stderr on failure. */
function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `code ${code}`}): ${err.trim() || out.trim()}`,
          ),
        );
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The `ip` program (iproute2): every namespace, link, nft and tc step goes through it. */
export const IP = findExecutable('ip') ?? findExecutable('/usr/sbin/ip') ?? '/usr/sbin/ip';
const ip = (args: readonly string[], input?: string) => run(IP, args, input);

/** The run's namespaces that exist now (`ip netns list`). */
export async function listNamespaces(): Promise<string[]> {
  const text = await ip(['netns', 'list']).catch(() => '');
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes every namespace of run `runId` and its links here; returns what it deleted. */
export async function removeRunNamespaces(runId: string): Promise<string[]> {
  const names = runIdsOf(await listNamespaces()).get(runId) ?? [];
  for (const link of await runLinks(runId)) await ip(['link', 'del', link]).catch(() => {});
  for (const ns of names) await ip(['netns', 'del', ns]).catch(() => {});
  return names;
}

async function runLinks(runId: string): Promise<string[]> {
  return (await ip(['-o', 'link', 'show']).catch(() => ''))
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1] ?? '')
    .filter((n) => n.startsWith(`pp${runId}`));
}

/**
 * Deletes the namespaces of run `runId` only if its rig is gone (recovery of a crashed run must never
 * take the network of a run still going); returns what it deleted.
 */
export async function removeDeadRunNamespaces(runId: string): Promise<string[]> {
  const pid = pidOfRunId(runId);
  if (pid === null || (pid !== process.pid && alive(pid))) return [];
  return removeRunNamespaces(runId);
}

/** Deletes the namespaces of pushpull runs whose rig is gone (crashed runs the reaper missed). */
export async function removeStaleNamespaces(): Promise<string[]> {
  const removed: string[] = [];
  for (const [id] of runIdsOf(await listNamespaces())) {
    const pid = pidOfRunId(id);
    if (pid !== null && pid !== process.pid && !alive(pid)) removed.push(...(await removeRunNamespaces(id)));
  }
  return removed;
}

/** What of run `runId` is still on this machine: namespaces, links in this namespace. */
export async function leftovers(runId: string): Promise<string[]> {
  const ns = runIdsOf(await listNamespaces()).get(runId) ?? [];
  const links = await runLinks(runId);
  return [...ns.map((n) => `netns ${n}`), ...links.map((l) => `link ${l}`)];
}

/** Probes the kernel in a throwaway namespace: can it make namespaces, nft tables, tbf, netem? */
export async function probeFacilities(): Promise<NetFacilities> {
  const no = (reason: string): NetFacilities => ({
    namespaces: { ok: false, reason },
    nft: false,
    tbf: false,
    netem: false,
  });
  if (process.getuid?.() !== 0) return no('network namespaces need root, and the rig runs as a user');
  if (!findExecutable('ip') && !findExecutable('/usr/sbin/ip'))
    return no('the ip program (Debian package iproute2) is not installed');
  const ns = `pushpull-${netRunId(process.pid, 35)}-probe`;
  try {
    await ip(['netns', 'add', ns]);
  } catch (err) {
    return no(`ip netns add failed: ${(err as Error).message}`);
  }
  try {
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    const works = (args: string[], input?: string) =>
      ip(['netns', 'exec', ns, ...args], input).then(
        () => true,
        () => false,
      );
    const nft = await works(['nft', '-f', '-'], 'table netdev pushpull_probe {\n}\n');
    const tbf = await works([
      'tc',
      'qdisc',
      'add',
      'dev',
      'lo',
      'root',
      'tbf',
      'rate',
      '1mbit',
      'burst',
      '3200',
      'latency',
      '100ms',
    ]);
    if (tbf) await works(['tc', 'qdisc', 'del', 'dev', 'lo', 'root']);
    const netem = await works(['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    return { namespaces: { ok: true }, nft, tbf, netem };
  } finally {
    await ip(['netns', 'del', ns]).catch(() => {});
  }
}

/** What a fault's rules dropped, in all and per leg. */
export interface DroppedReading {
  packets: number;
  source: string;
  legs: { direction: 'to-collector' | 'from-collector'; packets: number; source: string }[];
}

/** The run's network: its layout, and the faults on it. */
export interface RunNetwork {
  topology: NetTopology;
  /** Puts fault `index` on its arm's path. */
  applyFault(index: number, fault: NetworkFault, match?: FaultMatch): Promise<void>;
  /** Takes it off; a tbf's (netem's) drops are read once it is opened up. */
  healFault(index: number, fault: NetworkFault): Promise<void>;
  /** Packets fault `index` dropped so far (every leg), with where they were counted. */
  readDropped(index: number, fault: NetworkFault): Promise<DroppedReading>;
  /** Deletes the namespaces (and so links, tables, qdiscs); returns what could not be removed. */
  close(): Promise<string[]>;
}

const qdiscJson = (ns: string, device: string) =>
  ip(['netns', 'exec', ns, 'tc', '-s', '-j', 'qdisc', 'show', 'dev', device]);

async function runStep(step: NetStep): Promise<void> {
  if (step.tool === 'nft') await ip(['netns', 'exec', step.ns, 'nft', '-f', '-'], step.script);
  else await ip(['netns', 'exec', step.ns, 'tc', ...step.args]);
}

/** Picks the first candidate /24 no address or route of this namespace touches. */
async function freeSubnet(runId: string): Promise<string> {
  const used = `${await ip(['-4', '-o', 'addr', 'show']).catch(() => '')}\n${await ip(['-4', 'route', 'show', 'table', 'all']).catch(() => '')}`;
  const subnet = subnetCandidates(runId).find((s) => !used.includes(`${s}.`));
  if (!subnet) throw new Error(`no free /24 in 10.230.0.0/15–10.239.255.0 for run ${runId}'s links`);
  return subnet;
}

/**
 * Makes the run's namespaces (the collectors' and one per arm), their veth links and an empty nft
 * table in each. A failure part-way removes what was made and throws.
 */
export async function openNetwork(
  arms: readonly ArmName[],
  runId = netRunId(process.pid, Date.now()),
): Promise<RunNetwork> {
  const topology = planTopology(runId, await freeSubnet(runId), arms);
  const namespaces = namespacesOf(topology);
  // If the rig dies (even SIGKILL), the pipe closes and this deletes the namespaces.
  const guard = runOnDeath(
    `while read -r _; do :; done; ${teardownCommands(topology)
      .map((c) => `${IP} ${c.join(' ')} 2>/dev/null`)
      .join('; ')}`,
  );
  const close = async (): Promise<string[]> => {
    for (const c of teardownCommands(topology)) await ip(c).catch(() => {});
    await guard.disposed();
    return leftovers(runId);
  };
  try {
    for (const c of setupCommands(topology)) await ip(c);
    for (const ns of namespaces) await ip(['netns', 'exec', ns, 'nft', '-f', '-'], renderTable(runId));
  } catch (err) {
    await close();
    throw err;
  }
  const tcDrops = new Map<string, number>();
  return {
    topology,
    async applyFault(index, fault, match = {}) {
      for (const step of renderFaultStart(topology, index, fault, match)) await runStep(step);
    },
    async healFault(index, fault) {
      for (const step of renderFaultHeal(topology, index, fault)) await runStep(step);
      // Opened up, the qdisc drops nothing more: its drops now are the fault's (a later fault on the
      // same device replaces it, and its counters with it).
      if (fault.kind === 'bandwidth' || fault.kind === 'delay') {
        for (const leg of faultLegs(topology, index, fault)) {
          tcDrops.set(leg.counter, parseTcDropped(await qdiscJson(leg.ns, leg.device)) ?? 0);
        }
      }
    },
    async readDropped(index, fault) {
      const legs: DroppedReading['legs'] = [];
      for (const leg of faultLegs(topology, index, fault)) {
        if (fault.kind === 'bandwidth' || fault.kind === 'delay') {
          const live = await qdiscJson(leg.ns, leg.device)
            .then((j) => parseTcDropped(j))
            .catch(() => null);
          legs.push({
            direction: leg.direction,
            packets: tcDrops.get(leg.counter) ?? live ?? 0,
            source: `tc ${fault.kind === 'delay' ? 'netem' : 'tbf'} drops on ${leg.device} (${leg.ns})`,
          });
          continue;
        }
        const table = tableName(runId);
        const json = await ip([
          'netns',
          'exec',
          leg.ns,
          'nft',
          '-j',
          'list',
          'counters',
          'table',
          'netdev',
          table,
        ]);
        const n = parseNftCounter(json, leg.counter);
        if (n === null) throw new Error(`nft counter ${leg.counter} is not in ${leg.ns}'s table ${table}`);
        legs.push({
          direction: leg.direction,
          packets: n,
          source: `nft counter ${leg.counter} (${leg.direction}, ingress of ${leg.device} in ${leg.ns})`,
        });
      }
      return {
        packets: legs.reduce((sum, l) => sum + l.packets, 0),
        source: legs.map((l) => l.source).join(' + '),
        legs,
      };
    },
    close,
  };
}
