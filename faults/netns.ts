/**
 * The fault suite's network: one hub namespace holding a bridge, and one namespace per agent joined
 * to it by a veth pair whose both ends are created inside namespaces (the hub's end on the bridge, the
 * agent's end named eth0). Nothing is created on, or routed to, the host's interfaces: the addresses
 * (10.213.0.0/24) exist only inside these namespaces, and the suite reaches the agents' HTTP endpoints
 * through a poller process inside the hub (poller.ts), whose bridge holds 10.213.0.1.
 *
 * The command lists are pure (tested in test/faults/); `sh` runs them. Names carry the pid of the run
 * that made them (`alice-f-<pid>-…`), so a later run removes what a crashed one left behind without
 * touching a run that is still going.
 */
import { execFile } from 'node:child_process';
import { AliceError } from '../spec/errors.js';
import { type NeighbourLimits, neighbourLimitsFor, readNeighbourLimits, writeNeighbourLimits } from './neighbours.js';

export const NS_PREFIX = 'alice-f-';
export const SUBNET = '10.213.0';
export const HUB_ADDRESS = `${SUBNET}.1`;
/** Locally administered (02:…), so it cannot collide with a real card's. */
export const HUB_MAC = '02:00:0a:d5:00:01';
/** Agent addresses are .10 onwards; slots 0..239 fit the /24 (the hub is .1). */
export const FIRST_HOST = 10;
export const MAX_SLOTS = 245 - FIRST_HOST;

/** A command the suite could not run: names it, with its stderr, and what to check. */
export class FaultSetupError extends AliceError {
  constructor(message: string) {
    super('FAULTS_SETUP', message);
  }
}

export interface Topology {
  /** The pid of the run, in every name it creates. */
  readonly tag: string;
  readonly hub: string;
}

export function topology(tag: string = String(process.pid)): Topology {
  return { tag, hub: `${NS_PREFIX}${tag}-hub` };
}

export function memberNs(t: Topology, slot: number): string {
  return `${NS_PREFIX}${t.tag}-a${slot}`;
}

export function slotAddress(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) throw new RangeError(`slot ${slot} outside 0..${MAX_SLOTS - 1}: the /24 holds no more agents`);
  return `${SUBNET}.${FIRST_HOST + slot}`;
}

/** The hub: a namespace with a bridge that holds the poller's address. */
export function hubCommands(t: Topology): string[][] {
  return [
    ['ip', 'netns', 'add', t.hub],
    ['ip', '-n', t.hub, 'link', 'set', 'lo', 'up'],
    ['ip', '-n', t.hub, 'link', 'add', 'br0', 'type', 'bridge'],
    // A bridge takes the lowest MAC of its ports unless given one, so each new port could move the
    // poller's address to another MAC while agents still hold the old one in their ARP entries.
    ['ip', '-n', t.hub, 'link', 'set', 'br0', 'address', HUB_MAC],
    ['ip', '-n', t.hub, 'addr', 'add', `${HUB_ADDRESS}/24`, 'dev', 'br0'],
    ['ip', '-n', t.hub, 'link', 'set', 'br0', 'up'],
  ];
}

/** One agent's namespace, wired to the hub's bridge; its address is assigned inside it only. */
export function memberCommands(t: Topology, slot: number): string[][] {
  const ns = memberNs(t, slot);
  const port = `v${slot}`;
  return [
    ['ip', 'netns', 'add', ns],
    ['ip', '-n', ns, 'link', 'set', 'lo', 'up'],
    // Created in the hub with its peer moved straight into the agent's namespace: never on the host.
    ['ip', '-n', t.hub, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns],
    ['ip', '-n', t.hub, 'link', 'set', port, 'master', 'br0', 'up'],
    ['ip', '-n', ns, 'addr', 'add', `${slotAddress(slot)}/24`, 'dev', 'eth0'],
    ['ip', '-n', ns, 'link', 'set', 'eth0', 'up'],
  ];
}

/** Deleting a namespace removes its veth ends too (and so the peer in the hub). */
export function deleteCommand(ns: string): string[] {
  return ['ip', 'netns', 'delete', ns];
}

/** Names from `ip netns list` output ("name (id: 3)" or "name" per line). */
export function parseNetnsList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

/** The suite's namespaces a run that no longer lives left behind (its pid is in the name). */
export function leftovers(names: readonly string[], isRunning: (pid: number) => boolean): string[] {
  return names.filter((n) => {
    const m = /^alice-f-(\d+)-/.exec(n);
    if (!m) return n.startsWith(NS_PREFIX); // a name of ours without a pid: never made by this code, remove
    return !isRunning(Number(m[1]));
  });
}

export function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs one command; throws FaultSetupError naming it. */
export function sh(argv: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(argv[0] as string, argv.slice(1), { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new FaultSetupError(`\`${argv.join(' ')}\` failed: ${String(stderr).trim() || err.message}. The suite needs root, iproute2 and nftables (it installs them with apt-get when missing).`));
      else resolve(String(stdout));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function listNamespaces(): Promise<string[]> {
  return parseNetnsList(await sh(['ip', 'netns', 'list']));
}

/** Kills what still runs inside a namespace (a crashed run's agents), then deletes it. */
export async function removeNamespace(ns: string): Promise<void> {
  const pids = (await sh(['ip', 'netns', 'pids', ns]).catch(() => '')).split(/\s+/).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await sh(deleteCommand(ns)).catch(() => undefined);
}

export async function cleanLeftovers(): Promise<string[]> {
  const stale = leftovers(await listNamespaces(), pidRunning);
  for (const ns of stale) await removeNamespace(ns);
  return stale;
}

export class Network {
  private readonly made = new Set<string>();
  /** The host's ARP thresholds before this run raised them (neighbours.ts), to put back. */
  private hostLimits: NeighbourLimits | undefined;
  constructor(readonly t: Topology) {}

  /** Makes the host's ARP table hold every pair of `slots` namespaces; teardown restores it. */
  raiseNeighbourTable(slots: number): NeighbourLimits | null {
    try {
      const current = readNeighbourLimits();
      const next = neighbourLimitsFor(slots, current);
      if (next === null) return null;
      this.hostLimits ??= current;
      writeNeighbourLimits(next, current);
      return next;
    } catch (e) {
      throw new FaultSetupError(`cannot raise the host's ARP table thresholds (/proc/sys/net/ipv4/neigh/default/gc_thresh1..3): ${(e as Error).message}. The suite needs root; at 50+ agents the default table (1,024 entries for all namespaces) overflows.`);
    }
  }

  private restoreNeighbourTable(): void {
    const before = this.hostLimits;
    if (before === undefined) return;
    this.hostLimits = undefined;
    writeNeighbourLimits(before, readNeighbourLimits());
  }

  async createHub(): Promise<void> {
    this.made.add(this.t.hub);
    for (const c of hubCommands(this.t)) await sh(c);
  }

  async addMember(slot: number): Promise<{ ns: string; address: string }> {
    const ns = memberNs(this.t, slot);
    this.made.add(ns);
    for (const c of memberCommands(this.t, slot)) await sh(c);
    return { ns, address: slotAddress(slot) };
  }

  async removeMember(slot: number): Promise<void> {
    const ns = memberNs(this.t, slot);
    await removeNamespace(ns);
    this.made.delete(ns);
  }

  /** Everything this run created, agents first (a namespace lives while a process is inside). */
  async teardown(): Promise<void> {
    const names = [...this.made].reverse();
    for (const ns of names) await removeNamespace(ns);
    this.made.clear();
    const rest = (await listNamespaces().catch(() => [])).filter((n) => n.startsWith(`${NS_PREFIX}${this.t.tag}-`));
    for (const ns of rest) await removeNamespace(ns);
    this.restoreNeighbourTable();
  }

  /** Last resort from an 'exit' handler, where nothing asynchronous runs. */
  teardownSync(spawnSync: (cmd: string, args: string[]) => unknown): void {
    for (const ns of [...this.made].reverse()) spawnSync('ip', ['netns', 'delete', ns]);
    this.made.clear();
    this.restoreNeighbourTable();
  }

  get namespaces(): readonly string[] {
    return [...this.made];
  }
}
