/**
 * Small hand-written models for the partial-order reduction tests: one per POR condition, on which
 * dropping that condition loses a violation (and the relay example, on which POR must reduce).
 * Plain step functions, not XState: each model is a few lines of rules.
 */
import { type Input, type NodeBehaviour, type Observation, type Output, type Property, type ProtocolDefinition, makeNodeInfo, standardCluster } from 'alice';

type Msg = { readonly kind: string; readonly item?: number };
type Local = Readonly<Record<string, number | string | boolean>> & { readonly id: string };
type Result = { state: Local; outputs: Output<Msg>[] };

const anyNetwork = { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' } as const;
const placeholderView = (s: Local) => ({ self: s.id, members: { [s.id]: { status: 'alive' as const, version: 0, info: makeNodeInfo(s.id, '', 1, 'backend', 0) } } });

function model(
  name: string,
  init: (id: string) => { state: Local; outputs: Output<Msg>[] },
  step: (s: Local, input: Input<Msg>) => { state: Local; outputs: Output<Msg>[] },
  properties: Property[],
  sendsTo: Record<string, string[]>,
  nodes = 2,
): ProtocolDefinition<Local, Msg, null> {
  const behaviour: NodeBehaviour<Local, Msg, null> = {
    protocol: name,
    init: (setup) => init(setup.id),
    step,
    view: placeholderView,
    encode: (s) => JSON.stringify(s),
    decode: (t) => JSON.parse(t) as Local,
  };
  return { name, behaviour, properties, nodes, isFinal: () => true, cluster: (n, o) => standardCluster(n, null, o), independence: { sendsTo: (id) => sendsTo[id] ?? [] } };
}

const state = (obs: Observation, id: string) => obs.states![id] as Local;
const always = (name: string, bad: (obs: Observation) => boolean): Property => ({
  name,
  temporal: 'always',
  meaning: name,
  assumptions: anyNetwork,
  check: (obs) => (bad(obs) ? { property: name, detail: `${name} fails` } : null),
});
const unchanged = (s: Local) => ({ state: s, outputs: [] as Output<Msg>[] });

/** The model on which POR must reduce is the relay example (examples/relay/model.ts). */
export { relayPipeline } from '../../examples/relay/model.js';

/**
 * The ignoring problem (needs C3): n1's timer re-arms itself and changes nothing, forever; n2's timer
 * fires once and sets `gone`, which `neverGone` forbids. An ample set of n1's step alone closes a
 * cycle at once; without the cycle proviso n2's step is postponed for ever and the violation missed.
 */
export const spinner = model(
  'spinner',
  (id) => ({ state: { id, gone: false }, outputs: [{ type: 'setTimer', timer: id === 'n1' ? 'spin' : 'go', after: 1 }] }),
  (s, input) => {
    if (input.type === 'timer' && input.timer === 'spin') return { state: s, outputs: [{ type: 'setTimer', timer: 'spin', after: 1 }] };
    if (input.type === 'timer' && input.timer === 'go') return { state: { ...s, gone: true }, outputs: [] };
    return unchanged(s);
  },
  [always('neverGone', (obs) => state(obs, 'n2').gone === true)],
  { n1: [], n2: [] },
);

/**
 * Needs C2: each node sets its flag once; `notOnlyN2` forbids n2's flag without n1's. Both steps are
 * visible, so POR must expand both; an ample set of n1's step alone never reaches (n1 unset, n2 set).
 */
export const twoFlags = model(
  'two-flags',
  (id) => ({ state: { id, set: false }, outputs: [{ type: 'setTimer', timer: 'flag', after: 1 }] }),
  (s, input) => (input.type === 'timer' ? { state: { ...s, set: true }, outputs: [] } : unchanged(s)),
  [always('notOnlyN2', (obs) => state(obs, 'n2').set === true && state(obs, 'n1').set === false)],
  { n1: [], n2: [] },
);

/**
 * Needs C1's senders check: n2 holds message `a`, which changes nothing unless n2 already got `b`;
 * then it sets `bad`. n1's timer sends `b` to n2 once. Delivering `a` first is invisible, but `b`,
 * which n1 can still send, is dependent on it: an ample set of `a` alone never sees b-then-a.
 */
export const lateMessage = model(
  'late-message',
  (id): Result =>
    id === 'n1'
      ? { state: { id, sent: false }, outputs: [{ type: 'send', to: 'n2', message: { kind: 'a' } }, { type: 'setTimer', timer: 'send', after: 1 }] }
      : { state: { id, gotB: false, bad: false }, outputs: [] },
  (s, input) => {
    if (input.type === 'timer' && input.timer === 'send') return { state: { ...s, sent: true }, outputs: [{ type: 'send', to: 'n2', message: { kind: 'b' } }] };
    if (input.type === 'receive' && input.message.kind === 'b') return { state: { ...s, gotB: true }, outputs: [] };
    if (input.type === 'receive' && input.message.kind === 'a' && s.gotB === true) return { state: { ...s, bad: true }, outputs: [] };
    return unchanged(s);
  },
  [always('neverBad', (obs) => state(obs, 'n2').bad === true)],
  { n1: ['n2'], n2: [] },
);
