/**
 * A mutual exclusion with the read-then-write race, the Alice side of bench/spin/mutex.pml. n1 is a
 * register holding 0 (free) or 1 (taken); the clients n2..n(C+1) each enter the critical section
 * once: read the register, and on 0 write 1 and enter (on 1 go back and try again), then leave by
 * writing 0. The read and the write are two messages, so two clients can both read 0 and both enter:
 * `mutex` is violated. The network is a multiset (any message in flight may arrive next), as SPIN's
 * sorted channels with random receive make it.
 */
import { AliceError, type Input, type NodeBehaviour, type Observation, type Property, type ProtocolDefinition, type StepResult, standardCluster } from '../../index.js';
import { anySchedule, jsonState } from './model-kit.js';

export type Phase = 'idle' | 'reading' | 'cs' | 'done';
export interface Register {
  readonly role: 'register';
  readonly id: string;
  readonly value: 0 | 1;
}
export interface Client {
  readonly role: 'client';
  readonly id: string;
  /** Its `try` timer is armed exactly while idle, its `leave` timer while in the critical section. */
  readonly phase: Phase;
}
export type MutexState = Register | Client;
export type MutexMessage = { readonly kind: 'read' } | { readonly kind: 'write'; readonly value: 0 | 1 } | { readonly kind: 'value'; readonly value: 0 | 1 };

const REGISTER = 'n1';

function registerStep(r: Register, input: Input<MutexMessage>): StepResult<MutexState, MutexMessage> {
  if (input.type !== 'receive') return { state: r, outputs: [] };
  const m = input.message;
  if (m.kind === 'read') return { state: r, outputs: [{ type: 'send', to: input.from, message: { kind: 'value', value: r.value } }] };
  if (m.kind === 'write') return { state: { ...r, value: m.value }, outputs: [] };
  return { state: r, outputs: [] };
}

function clientStep(c: Client, input: Input<MutexMessage>): StepResult<MutexState, MutexMessage> {
  if (input.type === 'timer' && input.timer === 'try' && c.phase === 'idle') {
    return { state: { ...c, phase: 'reading' }, outputs: [{ type: 'send', to: REGISTER, message: { kind: 'read' } }] };
  }
  if (input.type === 'receive' && input.message.kind === 'value' && c.phase === 'reading') {
    if (input.message.value === 1) return { state: { ...c, phase: 'idle' }, outputs: [{ type: 'setTimer', timer: 'try', after: 1 }] };
    return {
      state: { ...c, phase: 'cs' },
      outputs: [{ type: 'send', to: REGISTER, message: { kind: 'write', value: 1 } }, { type: 'setTimer', timer: 'leave', after: 1 }],
    };
  }
  if (input.type === 'timer' && input.timer === 'leave' && c.phase === 'cs') {
    return { state: { ...c, phase: 'done' }, outputs: [{ type: 'send', to: REGISTER, message: { kind: 'write', value: 0 } }] };
  }
  return { state: c, outputs: [] };
}

const behaviour: NodeBehaviour<MutexState, MutexMessage, null> = {
  protocol: 'racy-mutex',
  init: (setup) =>
    setup.id === REGISTER
      ? { state: { role: 'register', id: setup.id, value: 0 }, outputs: [] }
      : { state: { role: 'client', id: setup.id, phase: 'idle' }, outputs: [{ type: 'setTimer', timer: 'try', after: 1 }] },
  step: (s, input) => (s.role === 'register' ? registerStep(s, input) : clientStep(s, input)),
  ...jsonState<MutexState, MutexMessage, null>(),
};

const clients = (obs: Observation) => Object.values(obs.states ?? {}).filter((s) => (s as MutexState).role === 'client') as Client[];

export const mutex: Property = {
  name: 'mutex',
  temporal: 'always',
  meaning: 'at most one client is in the critical section',
  assumptions: anySchedule,
  check: (obs) => {
    const inside = clients(obs).filter((c) => c.phase === 'cs');
    return inside.length <= 1 ? null : { property: 'mutex', detail: `${inside.map((c) => c.id).join(' and ')} are both in the critical section` };
  },
};

export function racyMutex(clientCount: number): ProtocolDefinition<MutexState, MutexMessage, null> {
  if (!Number.isInteger(clientCount) || clientCount < 2 || clientCount > 4) throw new AliceError('USAGE', `racy mutex takes 2..4 clients, got ${clientCount}`);
  return {
    name: 'racy-mutex',
    behaviour,
    properties: [mutex],
    nodes: clientCount + 1,
    describe: (s) => (s.role === 'register' ? `register = ${s.value}` : `client, ${s.phase}`),
    describeMessage: (m) => (m.kind === 'read' ? 'read' : `${m.kind} ${m.value}`),
    isFinal: (obs) => clients(obs).every((c) => c.phase === 'done'),
    cluster: (n, options) => standardCluster(n, null, options),
  };
}
