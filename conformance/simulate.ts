/**
 * Simulator runs of the implementation (implementation → model): a cluster of nodes under test in
 * virtual time, with a seeded network (latency, loss, duplication) and seeded faults (crash and
 * restart, operator updates). Every node is stepped in lockstep with its model, so the first step the
 * model does not allow stops the run with that node's inputs so far as the failing trace.
 */
import type { NodeId } from '../spec/node.js';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Input, NodeBehaviour, Output } from '../spec/step.js';
import { commandsFor } from './environment.js';
import { type Divergence, LockstepNode, type ModelObserver, catchDivergence } from './lockstep.js';
import type { NodeSource, NodeUnderTest } from './node-under-test.js';
import { Rng } from '../spec/prng.js';

export interface SimOptions {
  readonly nodes: number;
  readonly seed: number;
  /** Virtual time simulated, ms. */
  readonly durationMs: number;
  /** One-way latency is drawn uniformly from [1, maxLatencyMs]. */
  readonly maxLatencyMs: number;
  readonly lossRate: number;
  readonly duplicateRate: number;
  /** Mean virtual time between faults (a crash, a restart, or an operator command), ms. */
  readonly faultEveryMs: number;
}

interface Event<M> {
  readonly at: number;
  readonly seq: number;
  readonly node: number;
  readonly kind: 'deliver' | 'timer' | 'fault';
  readonly from?: NodeId;
  readonly message?: M;
  readonly timer?: string;
  readonly generation?: number;
}

export interface SimResult<M> {
  readonly steps: number;
  readonly divergence: Divergence<M> | null;
}

export async function simulate<S, M>(
  model: NodeBehaviour<S, M, unknown>,
  protocol: ProtocolDefinition<unknown, unknown, unknown>,
  source: NodeSource<M>,
  options: SimOptions,
  observer?: ModelObserver,
): Promise<SimResult<M>> {
  const rng = new Rng(options.seed);
  const start = 1_000_000;
  const setups = protocol.cluster(options.nodes, { now: start, seed: options.seed });
  const ids = setups.map((s) => s.id);
  const handles: NodeUnderTest<M>[] = [];
  for (let i = 0; i < setups.length; i++) handles.push(await source.acquire());
  const nodes = handles.map((h, i) => new LockstepNode(model, h, observer, `simulator run seed ${options.seed}, node ${ids[i]}`));
  const up = setups.map(() => true);
  const timerGen = new Map<string, number>();
  const queue: Event<M>[] = [];
  let seq = 0;
  let steps = 0;
  const push = (e: Event<M>) => {
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (queue[mid].at < e.at || (queue[mid].at === e.at && queue[mid].seq < e.seq)) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, e);
  };
  const apply = (n: number, now: number, outputs: readonly Output<M>[]) => {
    for (const o of outputs) {
      if (o.type === 'send') {
        const to = ids.indexOf(o.to);
        if (to < 0 || rng.chance(options.lossRate)) continue;
        const copies = rng.chance(options.duplicateRate) ? 2 : 1;
        for (let c = 0; c < copies; c++) push({ at: now + 1 + rng.int(options.maxLatencyMs), seq: seq++, node: to, kind: 'deliver', from: ids[n], message: o.message });
      } else if (o.type === 'setTimer') {
        const generation = seq++;
        timerGen.set(`${n}/${o.timer}`, generation);
        push({ at: now + o.after, seq: generation, node: n, kind: 'timer', timer: o.timer, generation });
      } else if (o.type === 'cancelTimer') timerGen.delete(`${n}/${o.timer}`);
    }
  };
  const step = async (n: number, input: Input<M>) => {
    steps++;
    const outputs = await nodes[n].step(input);
    if (input.type === 'crash') {
      for (const k of [...timerGen.keys()]) if (k.startsWith(`${n}/`)) timerGen.delete(k);
      return;
    }
    apply(n, input.now, outputs);
  };
  const nextFault = () => push({ at: (queue.length ? Math.min(...queue.map((q) => q.at)) : start) + 1 + rng.int(2 * options.faultEveryMs), seq: seq++, node: rng.int(ids.length), kind: 'fault' });

  try {
    const r = await catchDivergence<M, void>(async () => {
      for (let n = 0; n < nodes.length; n++) apply(n, start, await nodes[n].init(setups[n]));
      nextFault();
      while (queue.length > 0 && queue[0].at <= start + options.durationMs) {
        const e = queue.shift() as Event<M>;
        if (e.kind === 'deliver') {
          if (up[e.node]) await step(e.node, { type: 'receive', from: e.from as NodeId, message: e.message as M, now: e.at });
        } else if (e.kind === 'timer') {
          const k = `${e.node}/${e.timer}`;
          if (timerGen.get(k) !== e.generation) continue;
          timerGen.delete(k);
          await step(e.node, { type: 'timer', timer: e.timer as string, now: e.at });
        } else {
          const n = e.node;
          if (!up[n]) {
            up[n] = true;
            await step(n, { type: 'restart', now: e.at });
          } else if (rng.chance(0.4)) {
            up[n] = false;
            await step(n, { type: 'crash', now: e.at });
          } else {
            const commands = commandsFor(protocol, ids[n], ids);
            await step(n, { type: 'command', command: rng.pick(commands), now: e.at });
          }
          nextFault();
        }
      }
    });
    return { steps, divergence: 'divergence' in r ? r.divergence : null };
  } finally {
    for (const h of handles) source.release(h);
  }
}
