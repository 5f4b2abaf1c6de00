/**
 * Request/ack between two nodes, the model docs/checker.md's walk-through writes from scratch.
 * n1, the client, asks n2, the server, to apply REQUESTS requests one at a time. A request whose ack
 * is slow is sent again, at most MAX_RETRIES times. The server acks every copy it receives and applies
 * a request only if its sequence number is new (`dedup`), so a resent request is not applied twice.
 * no-dedup.ts is the same model with the server's check removed: its `appliedOnce` fails.
 *
 *   alice check --model examples/request-ack/model.ts      exit 0, every property holds
 *   alice check --model examples/request-ack/no-dedup.ts   exit 1, appliedOnce VIOLATED
 */
import { AliceError, type Input, type NodeBehaviour, type Observation, type Output, type Property, type ProtocolDefinition, type StepResult, makeNodeInfo, standardCluster } from '../../index.js';

// ---- messages and state ----------------------------------------------------------------------
export type Message = { readonly kind: 'request'; readonly seq: number } | { readonly kind: 'ack'; readonly seq: number };

export interface Client {
  readonly role: 'client';
  readonly id: string;
  readonly server: string;
  /** The request in progress (1..REQUESTS). */
  readonly seq: number;
  readonly retriesLeft: number;
  readonly done: boolean;
}
export interface Server {
  readonly role: 'server';
  readonly id: string;
  /** The highest sequence number applied: what makes a resent request recognisable. */
  readonly lastSeq: number;
  /** How many times a request was applied (what appliedOnce counts). */
  readonly applied: number;
}
export type State = Client | Server;

export const REQUESTS = 2;
export const MAX_RETRIES = 1;
// Under async timing a timer may fire at any moment; the delay only matters under --timing bounded.
const RETRY_MS = 10;

const armRetry: Output<Message> = { type: 'setTimer', timer: 'retry', after: RETRY_MS };
const sendRequest = (c: Client): Output<Message> => ({ type: 'send', to: c.server, message: { kind: 'request', seq: c.seq } });

// ---- steps -------------------------------------------------------------------------------------
function clientStep(c: Client, input: Input<Message>): StepResult<State, Message> {
  if (!c.done && input.type === 'receive' && input.message.kind === 'ack' && input.message.seq === c.seq) {
    if (c.seq === REQUESTS) return { state: { ...c, done: true }, outputs: [{ type: 'cancelTimer', timer: 'retry' }] };
    const next: Client = { ...c, seq: c.seq + 1, retriesLeft: MAX_RETRIES };
    return { state: next, outputs: [sendRequest(next), armRetry] };
  }
  // The retry timer is not re-armed once the retries are spent: the client then waits for an ack.
  if (!c.done && input.type === 'timer' && input.timer === 'retry' && c.retriesLeft > 0) {
    return { state: { ...c, retriesLeft: c.retriesLeft - 1 }, outputs: [sendRequest(c), armRetry] };
  }
  return { state: c, outputs: [] }; // a stale ack, or a timer after the work is done
}

function serverStep(s: Server, input: Input<Message>, dedup: boolean): StepResult<State, Message> {
  if (input.type !== 'receive' || input.message.kind !== 'request') return { state: s, outputs: [] };
  const seq = input.message.seq;
  const fresh = !dedup || seq > s.lastSeq;
  const state: Server = fresh ? { ...s, lastSeq: Math.max(s.lastSeq, seq), applied: s.applied + 1 } : s;
  // Every copy is acked: the ack of the first copy may be the one that was lost.
  return { state, outputs: [{ type: 'send', to: input.from, message: { kind: 'ack', seq } }] };
}

export function requestAckBehaviour(dedup: boolean): NodeBehaviour<State, Message, null> {
  return {
    protocol: 'request-ack',
    // n1 is the client; its one seed is the server.
    init: (setup) =>
      setup.id === 'n1'
        ? { state: { role: 'client', id: setup.id, server: setup.seeds[0], seq: 1, retriesLeft: MAX_RETRIES, done: false }, outputs: [{ type: 'send', to: setup.seeds[0], message: { kind: 'request', seq: 1 } }, armRetry] }
        : { state: { role: 'server', id: setup.id, lastSeq: 0, applied: 0 }, outputs: [] },
    step: (s, input) => (s.role === 'client' ? clientStep(s, input) : serverStep(s, input, dedup)),
    // Views are for membership properties; these properties read `obs.states` instead.
    view: (s) => ({ self: s.id, members: { [s.id]: { status: 'alive', version: 0, info: makeNodeInfo(s.id, '', 1, 'backend', 0) } } }),
    // States are always built with their fields in the same order, so JSON is canonical.
    encode: (s) => JSON.stringify(s),
    decode: (text) => JSON.parse(text) as State,
  };
}

// ---- properties --------------------------------------------------------------------------------
// Observation<State, Message>: states and messages come typed by this model's own types.
type Obs = Observation<State, Message>;
const client = (obs: Obs) => obs.states!.n1 as Client;
const server = (obs: Obs) => obs.states!.n2 as Server;

const anyNetwork = { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule, any loss' } as const;

export const requestAckProperties: Property<State, Message>[] = [
  {
    name: 'appliedOnce',
    temporal: 'always',
    meaning: 'the server applies each request at most once: no more applications than requests issued',
    assumptions: anyNetwork,
    check: (obs) => (server(obs).applied <= client(obs).seq ? null : { property: 'appliedOnce', node: 'n2', detail: `applied ${server(obs).applied} times, only ${client(obs).seq} requests issued` }),
  },
  {
    name: 'ackFollowsApply',
    temporal: 'always',
    meaning: 'no ack is in flight for a request the server has not applied: an ack means the work is done',
    assumptions: anyNetwork,
    // Reads the network: only properties that declare it get `obs.messages`.
    needs: { messages: true },
    check: (obs) => {
      const early = obs.messages!.find((m) => m.message.kind === 'ack' && m.message.seq > server(obs).lastSeq);
      return early ? { property: 'ackFollowsApply', node: early.from, detail: `ack #${early.message.seq} in flight, server applied up to #${server(obs).lastSeq}` } : null;
    },
  },
  {
    name: 'allApplied',
    temporal: 'eventually',
    meaning: `the server eventually applies all ${REQUESTS} requests`,
    assumptions: { timing: 'async', tolerates: { loss: false, partitions: false, crashes: false }, note: 'fair delivery, no loss' },
    check: (obs) => (server(obs).lastSeq === REQUESTS ? null : { property: 'allApplied', node: 'n2', detail: `applied up to #${server(obs).lastSeq} of ${REQUESTS}` }),
  },
  {
    name: 'clientDone',
    temporal: 'sometimes',
    meaning: 'the client sees every request acked',
    assumptions: anyNetwork,
    check: (obs) => (client(obs).done ? null : { property: 'clientDone', detail: 'the client is still waiting' }),
  },
];

// ---- how traces show it -------------------------------------------------------------------------
export const describeState = (s: State): string =>
  s.role === 'client'
    ? `client, ${s.done ? 'done' : `awaiting ack #${s.seq} (${s.retriesLeft} ${s.retriesLeft === 1 ? 'retry' : 'retries'} left)`}`
    : `server, applied ${s.applied} (last #${s.lastSeq})`;
export const describeMessage = (m: Message): string => `${m.kind} #${m.seq}`;

export function requestAck(dedup = true): ProtocolDefinition<State, Message, null> {
  return {
    name: dedup ? 'request-ack' : 'request-ack-no-dedup',
    behaviour: requestAckBehaviour(dedup),
    properties: requestAckProperties,
    // Traces print these instead of the placeholder Views.
    describe: describeState,
    describeMessage,
    nodes: 2,
    // Where nothing can happen and the work is done: the end of the protocol, not a deadlock.
    isFinal: (obs) => client(obs).done,
    cluster: (n, options) => {
      if (n !== 2) throw new AliceError('USAGE', `request-ack is a two-node model (client n1, server n2): drop --nodes or pass --nodes 2, got ${n}`);
      return standardCluster(n, null, options);
    },
  };
}

export default requestAck(true);
