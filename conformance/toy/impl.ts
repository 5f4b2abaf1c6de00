/**
 * Toy implementations: a faithful one, and deliberately broken ones the harness must catch (each bug
 * shows up only after a few steps, so shrinking has something to do).
 */
import { canonicalJson } from '../../spec/canonical.js';
import { type ProtocolDefinition, standardCluster } from '../../spec/protocol.js';
import type { NodeId, NodeInfo } from '../../spec/node.js';
import type { Input, NodeBehaviour, NodeSetup, Output, StepResult } from '../../spec/step.js';
import { nextFloat } from '../../spec/prng.js';
import { TOY_DEFAULTS, TOY_TICK, type ToyConfig, type ToyMessage } from './messages.js';
import { toyView } from './model.js';

export type ToyBug =
  /** The third pong from a peer is counted twice. */
  | 'double-count'
  /** From the second tick on, the node may ping itself (a choice the model never enables). */
  | 'ping-self'
  /** A pong answering a ping with seq ≥ 2 carries seq + 1. */
  | 'wrong-seq';

export interface ToyState {
  readonly setup: NodeSetup<ToyConfig>;
  readonly up: boolean;
  readonly seq: number;
  readonly pongs: Readonly<Record<NodeId, number>>;
  readonly rng: number;
}

type Out = Output<ToyMessage>;

export function toyImpl(bug?: ToyBug): NodeBehaviour<ToyState, ToyMessage, ToyConfig> {
  const start = (setup: NodeSetup<ToyConfig>, rng: number): StepResult<ToyState, ToyMessage> => ({
    state: { setup, up: true, seq: 0, pongs: {}, rng },
    outputs: [
      { type: 'notify', event: { kind: 'announced', info: setup.info as NodeInfo, version: 0 } },
      { type: 'setTimer', timer: TOY_TICK, after: setup.config.tickMs },
    ],
  });
  const step = (s: ToyState, input: Input<ToyMessage>): StepResult<ToyState, ToyMessage> => {
    if (input.type === 'restart') return s.up ? { state: s, outputs: [] } : start(s.setup, s.rng);
    if (!s.up) return { state: s, outputs: [] };
    if (input.type === 'crash') return { state: { ...s, up: false, seq: 0, pongs: {} }, outputs: [] };
    if (input.type === 'receive' && input.message.kind === 'ping') {
      const seq = bug === 'wrong-seq' && input.message.seq >= 2 ? input.message.seq + 1 : input.message.seq;
      return { state: s, outputs: [{ type: 'send', to: input.from, message: { kind: 'pong', seq } }] };
    }
    if (input.type === 'receive' && input.message.kind === 'pong') {
      const had = s.pongs[input.from] ?? 0;
      const n = had + (bug === 'double-count' && had === 2 ? 2 : 1);
      const outputs: Out[] = had === 0 ? [{ type: 'notify', event: { kind: 'alive', member: input.from } }] : [];
      return { state: { ...s, pongs: { ...s.pongs, [input.from]: n } }, outputs };
    }
    if (input.type === 'timer' && input.timer === TOY_TICK && s.setup.seeds.length > 0) {
      const [r, rng] = nextFloat(s.rng);
      // A runtime-resolved choice wins; otherwise the node draws from its own seeded generator.
      const drawn = input.choice?.[0] ?? s.setup.seeds[Math.floor(r * s.setup.seeds.length)];
      const to = bug === 'ping-self' && s.seq >= 1 ? s.setup.id : drawn;
      return {
        state: { ...s, seq: s.seq + 1, rng },
        outputs: [
          { type: 'send', to, message: { kind: 'ping', seq: s.seq } },
          { type: 'setTimer', timer: TOY_TICK, after: s.setup.config.tickMs },
        ],
        choice: [to],
      };
    }
    return { state: s, outputs: [] };
  };
  return {
    protocol: 'toy',
    init: (setup) => start(setup, setup.rngSeed),
    step,
    view: (s) => toyView(s.setup.id, s.setup.info, s.pongs),
    encode: canonicalJson,
  };
}

export function toyImplProtocol(bug?: ToyBug): ProtocolDefinition<ToyState, ToyMessage, ToyConfig> {
  return { name: 'toy', behaviour: toyImpl(bug), properties: [], cluster: (n, options) => standardCluster(n, TOY_DEFAULTS, options) };
}
