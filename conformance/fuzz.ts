/**
 * Random input sequences (implementation → model): fast-check draws a node and a sequence of inputs
 * from what the protocol's own runs produced (every message and timer a model cluster emitted, with
 * senders that may be forged), plus operator commands, crashes and restarts. A failing sequence is
 * shrunk by fast-check, then by delta debugging, before it is reported.
 */
import fc from 'fast-check';
import type { ProtocolDefinition } from '../spec/protocol.js';
import type { Input, NodeBehaviour } from '../spec/step.js';
import { commandsFor } from './environment.js';
import type { Corpus } from './explore.js';
import { type Divergence, type ModelObserver, type NodeTrace, checkTrace } from './lockstep.js';
import type { NodeSource } from './node-under-test.js';
import { shrinkTrace } from './shrink.js';

export interface FuzzOptions {
  readonly nodes: number;
  readonly runs: number;
  readonly maxLength: number;
  readonly seed: number;
}

type Raw<M> = { readonly dt: number; readonly input: Input<M> };

function inputArb<M>(protocol: ProtocolDefinition<unknown, unknown, unknown>, corpus: Corpus<M>, ids: readonly string[], self: string): fc.Arbitrary<Raw<M>> {
  const now = 0;
  const options: fc.WeightedArbitrary<Input<M>>[] = [];
  if (corpus.messages.length > 0) {
    // Mostly genuine senders; sometimes a forged one, which a node must refuse or tolerate as its spec says.
    const receive = fc
      .tuple(fc.constantFrom(...corpus.messages), fc.option(fc.constantFrom(...ids), { freq: 6 }))
      .map(([m, forged]): Input<M> => ({ type: 'receive', from: forged ?? m.from, message: m.message, now }));
    options.push({ weight: 8, arbitrary: receive });
  }
  if (corpus.timers.length > 0) options.push({ weight: 4, arbitrary: fc.constantFrom(...corpus.timers).map((timer): Input<M> => ({ type: 'timer', timer, now })) });
  const commands = commandsFor(protocol, self, ids);
  options.push({ weight: 2, arbitrary: fc.constantFrom(...commands).map((command): Input<M> => ({ type: 'command', command, now })) });
  options.push({ weight: 1, arbitrary: fc.constantFrom<Input<M>>({ type: 'crash', now }, { type: 'restart', now }) });
  return fc.record({ dt: fc.constantFrom(0, 1, 250, 1_000, 5_000), input: fc.oneof(...options) });
}

function toTrace<M>(protocol: ProtocolDefinition<unknown, unknown, unknown>, nodes: number, who: number, raw: readonly Raw<M>[]): NodeTrace<M> {
  const setup = protocol.cluster(nodes, { now: 1_000_000, seed: 7 })[who];
  let now = setup.now;
  const inputs = raw.map((r) => {
    now += r.dt;
    return { ...r.input, now } as Input<M>;
  });
  return { setup, inputs, origin: 'fast-check random inputs' };
}

export interface FuzzResult<M> {
  readonly runs: number;
  /** Steps taken over all runs, shrinking included. */
  readonly steps: number;
  readonly divergence: Divergence<M> | null;
}

export async function fuzz<S, M>(
  model: NodeBehaviour<S, M, unknown>,
  protocol: ProtocolDefinition<unknown, unknown, unknown>,
  source: NodeSource<M>,
  corpus: Corpus<M>,
  options: FuzzOptions,
  observer?: ModelObserver,
): Promise<FuzzResult<M>> {
  const ids = protocol.cluster(options.nodes).map((s) => s.id);
  const arb = fc.integer({ min: 0, max: ids.length - 1 }).chain((who) =>
    fc.tuple(fc.constant(who), fc.array(inputArb(protocol, corpus, ids, ids[who]), { maxLength: options.maxLength, size: 'max' })),
  );
  let steps = 0;
  const property = fc.asyncProperty(arb, async ([who, raw]) => {
    steps += raw.length + 1;
    const d = await checkTrace(model, source, toTrace(protocol, options.nodes, who, raw), observer);
    // fast-check shrinks on a thrown error; the divergence itself is rebuilt from the counterexample.
    if (d) throw new Error(d.detail);
  });
  const out = await fc.check(property, { numRuns: options.runs, seed: options.seed });
  if (!out.failed || !out.counterexample) return { runs: out.numRuns, steps, divergence: null };
  const [who, raw] = out.counterexample[0];
  const trace = toTrace(protocol, options.nodes, who, raw);
  const first = await checkTrace(model, source, trace);
  if (!first) return { runs: out.numRuns, steps, divergence: null };
  return { runs: out.numRuns, steps, divergence: await shrinkTrace(trace, first, (t) => checkTrace(model, source, t)) };
}
