/**
 * A SWIM cluster of real nodes on loopback, in one process: what `alice cluster`, the loopback tests
 * and the network benchmarks start. Every socket binds 127.0.0.1; node 1 is the seed the others join
 * through; node 1 is a proxy, the others backends.
 */
import { makeNodeInfo } from '../../spec/node.js';
import { Rng } from '../../spec/prng.js';
import type { MemberStatus } from '../../spec/view.js';
import type { SwimCoreConfig } from './config.js';
import type { Keyring } from './keyring.js';
import { type MemberEventName, type MemberEvents, type SwimNode, createSwimNode } from './node.js';

export interface LoopbackClusterOptions {
  readonly config: SwimCoreConfig;
  /** First port; node i binds basePort + i. Default 0: every node takes a free port. */
  readonly basePort?: number;
  readonly keyring?: Keyring;
  /** Probability each outgoing datagram is dropped (loss experiments). Default 0; change it with setLoss. */
  readonly lossRate?: number;
  /** Seed of the cluster's generators (core choices and loss). Default 1. */
  readonly seed?: number;
  readonly onEvent?: (node: string, name: MemberEventName, event: MemberEvents[MemberEventName]) => void;
  readonly leaveGraceMs?: number;
}

export class LoopbackCluster {
  private constructor(
    readonly nodes: SwimNode[],
    private readonly loss: { rate: number },
  ) {}

  /** Sets the probability each outgoing datagram is dropped, from now on. */
  setLoss(rate: number): void {
    this.loss.rate = rate;
  }

  static async start(n: number, o: LoopbackClusterOptions): Promise<LoopbackCluster> {
    const seed = o.seed ?? 1;
    // Loss injection draws from the project's one generator, apart from the nodes' own streams.
    const random = Rng.seeded(seed);
    const loss = { rate: o.lossRate ?? 0 };
    const make = (i: number, seeds: string[]) => {
      const id = `n${i + 1}`;
      const node = createSwimNode({
        id,
        info: makeNodeInfo(id, `127.0.0.1:${3000 + i}`, 9000 + i, i === 0 ? 'proxy' : 'backend', Date.now()),
        bind: `127.0.0.1:${o.basePort ? o.basePort + i : 0}`,
        seeds,
        config: o.config,
        rngSeed: seed * 100_003 + i,
        ...(o.keyring ? { keyring: o.keyring } : {}),
        dropOutgoing: () => random.chance(loss.rate),
        ...(o.leaveGraceMs !== undefined ? { leaveGraceMs: o.leaveGraceMs } : {}),
      });
      if (o.onEvent) node.onAny((name, e) => o.onEvent!(id, name, e));
      return node;
    };
    const first = make(0, []);
    await first.start();
    const seedAddress = first.transport.boundAddress;
    const rest = Array.from({ length: n - 1 }, (_, i) => make(i + 1, [seedAddress]));
    await Promise.all(rest.map((node) => node.start()));
    return new LoopbackCluster([first, ...rest], loss);
  }

  node(id: string): SwimNode {
    const node = this.nodes.find((x) => x.id === id);
    if (!node) throw new RangeError(`no node ${id} in this cluster`);
    return node;
  }

  /** The status `observer` holds for `member`, or undefined when it does not know it. */
  statusOf(observer: string, member: string): MemberStatus | undefined {
    return this.node(observer).view().members[member]?.status;
  }

  /** Nodes still running. */
  running(): SwimNode[] {
    return this.nodes.filter((x) => x.isRunning);
  }

  /** Bytes and datagrams the running nodes have sent so far, from their own counters. */
  sentTotals(): { bytes: number; packets: number } {
    let bytes = 0;
    let packets = 0;
    for (const n of this.running()) {
      bytes += n.metrics.get('bytes_out_total');
      packets += n.metrics.get('packets_out_total');
    }
    return { bytes, packets };
  }

  /** True when every running node holds every running node alive. */
  converged(): boolean {
    const live = this.running();
    return live.every((obs) => {
      const v = obs.view().members;
      return live.every((m) => v[m.id]?.status === 'alive');
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((x) => x.kill()));
  }
}

/** Polls `cond` every `everyMs` until it holds or `timeoutMs` passes; resolves with whether it held. */
export async function waitFor(cond: () => boolean, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  // Bounded by the deadline.
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return cond();
}
