/**
 * The running cluster: which agent process holds each id, in which namespace (slot), and the fault
 * rules installed in each namespace. Scenarios act through it; teardown kills every process it
 * started before the namespaces are deleted.
 */
import { AgentProcess, type AgentSpec, EventLog } from './agents.js';
import type { HubClient } from './hub-client.js';
import { type Network, sh } from './netns.js';
import { type FaultRules, nftCommand, nftScript } from './nft.js';

export class Cluster {
  readonly log = new EventLog();
  private readonly current = new Map<string, AgentProcess>();
  private readonly slotOf = new Map<string, number>();
  private readonly everStarted: AgentProcess[] = [];
  private nextSlot = 0;

  constructor(
    readonly net: Network,
    readonly client: HubClient,
    private readonly root: string,
    private readonly preset: AgentSpec['preset'],
  ) {}

  /** Every id's current process, in id order. */
  all(): AgentProcess[] {
    return [...this.current.values()];
  }

  running(): AgentProcess[] {
    return this.all().filter((a) => a.state === 'running');
  }

  get(id: string): AgentProcess {
    const a = this.current.get(id);
    if (a === undefined) throw new RangeError(`no agent ${id}`);
    return a;
  }

  nsOf(id: string): string {
    return this.get(id).spec.ns;
  }

  /** Agents that exited without the suite killing them: each one is a crash of the agent itself. */
  crashed(): AgentProcess[] {
    return this.everStarted.filter((a) => a.crashedUnexpectedly);
  }

  private async launch(id: string, slot: number, seed: number): Promise<AgentProcess> {
    const { ns, address } = await this.net.addMember(slot);
    this.slotOf.set(id, slot);
    // Two running members as seeds (the oldest: they are the ones a deployment would list).
    const seeds = this.running().filter((a) => a.id !== id).slice(0, 2).map((a) => `${a.address}:7946`);
    const agent = await AgentProcess.start({ id, ns, address, seeds, seed, preset: this.preset }, this.log, this.root);
    this.everStarted.push(agent);
    this.current.set(id, agent);
    return agent;
  }

  /** Starts n agents: the first alone, then the rest joining through the first two, a few at a time. */
  async startAll(n: number, concurrency: number, progress: (started: number) => void): Promise<void> {
    const ids = Array.from({ length: n }, (_, i) => `m${String(i).padStart(2, '0')}`);
    await this.launch(ids[0] as string, this.nextSlot++, 1);
    let started = 1;
    const queue = ids.slice(1);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const slot = this.nextSlot++;
        await this.launch(id, slot, slot + 1);
        progress(++started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /**
   * Replaces `id`'s process with a fresh one (incarnation 0, empty table) that joins through the
   * seeds. With `newAddress`, the new process lives in a new namespace with a new address and the
   * old namespace is deleted: the other members must learn where it went.
   */
  async restart(id: string, newAddress: boolean): Promise<AgentProcess> {
    const old = this.get(id);
    if (old.state !== 'killed') old.kill9();
    await old.exited();
    const oldSlot = this.slotOf.get(id) as number;
    if (newAddress) {
      await this.net.removeMember(oldSlot);
      return this.launch(id, this.nextSlot++, 1000 + oldSlot);
    }
    await this.net.removeMember(oldSlot);
    return this.launch(id, oldSlot, 2000 + oldSlot);
  }

  /** Installs `rules` in each given agent's namespace (atomically per namespace). */
  async setRules(rules: ReadonlyMap<string, FaultRules>): Promise<void> {
    await Promise.all([...rules].map(([id, r]) => sh(nftCommand(this.nsOf(id)), nftScript(r))));
  }

  async clearRules(ids: readonly string[] = this.all().map((a) => a.id)): Promise<void> {
    await this.setRules(new Map(ids.map((id) => [id, { kind: 'none' } as FaultRules])));
  }

  /** SIGKILLs every process this run started (stopped ones included: SIGKILL needs no SIGCONT). */
  async killAll(): Promise<void> {
    for (const a of this.everStarted) if (a.state !== 'killed') a.kill9();
    await Promise.all(this.everStarted.map((a) => Promise.race([a.exited(), new Promise((r) => setTimeout(r, 3000))])));
  }
}
