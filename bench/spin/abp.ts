/**
 * The alternating-bit protocol over lossy FIFO channels, the Alice side of bench/spin/abp.pml.
 * n1 sends MSGS messages to n2, each tagged with one bit that alternates from message to message;
 * its `send` timer (re)transmits the current one, at most SENDS times in all, which keeps the state
 * space finite. n2 acks every copy with its bit and counts a message as delivered when the bit is the
 * one it expects. Checked with `ordered: true` and the `loss` fault: any message in flight may be lost.
 */
import { AliceError, type Input, type NodeBehaviour, type Observation, type Output, type Property, type ProtocolDefinition, type StepResult, standardCluster } from '../../index.js';
import { anySchedule, jsonState } from './model-kit.js';

export interface AbpConfig {
  readonly msgs: number;
  readonly sends: number;
}
export interface AbpSender {
  readonly role: 'sender';
  readonly id: string;
  /** Messages acknowledged so far; MSGS when done. */
  readonly acked: number;
  readonly bit: 0 | 1;
  /** Transmissions of the current message left; its `send` timer is armed exactly while this is > 0. */
  readonly left: number;
}
export interface AbpReceiver {
  readonly role: 'receiver';
  readonly id: string;
  readonly expect: 0 | 1;
  readonly delivered: number;
}
export type AbpState = AbpSender | AbpReceiver;
/** A data message or an ack carries only its bit; who sent it says which it is. */
export type AbpMessage = 0 | 1;

const SEND_TIMER: Output<AbpMessage> = { type: 'setTimer', timer: 'send', after: 1 };

function senderStep(s: AbpSender, input: Input<AbpMessage>, cfg: AbpConfig, peer: string): StepResult<AbpState, AbpMessage> {
  if (input.type === 'timer' && input.timer === 'send') {
    const left = s.left - 1;
    const outputs: Output<AbpMessage>[] = [{ type: 'send', to: peer, message: s.bit }];
    if (left > 0) outputs.push(SEND_TIMER);
    return { state: { ...s, left }, outputs };
  }
  if (input.type === 'receive' && s.acked < cfg.msgs && input.message === s.bit) {
    const acked = s.acked + 1;
    const bit = s.bit === 0 ? 1 : 0;
    if (acked === cfg.msgs) return { state: { ...s, acked, bit, left: 0 }, outputs: [{ type: 'cancelTimer', timer: 'send' }] };
    return { state: { ...s, acked, bit, left: cfg.sends }, outputs: [SEND_TIMER] };
  }
  return { state: s, outputs: [] };
}

function receiverStep(r: AbpReceiver, input: Input<AbpMessage>): StepResult<AbpState, AbpMessage> {
  if (input.type !== 'receive') return { state: r, outputs: [] };
  const b = input.message;
  const state: AbpReceiver = b === r.expect ? { ...r, expect: b === 0 ? 1 : 0, delivered: r.delivered + 1 } : r;
  return { state, outputs: [{ type: 'send', to: input.from, message: b }] };
}

function behaviour(cfg: AbpConfig): NodeBehaviour<AbpState, AbpMessage, AbpConfig> {
  return {
    protocol: 'abp',
    init: (setup) =>
      setup.id === 'n1'
        ? { state: { role: 'sender', id: setup.id, acked: 0, bit: 0, left: cfg.sends }, outputs: [SEND_TIMER] }
        : { state: { role: 'receiver', id: setup.id, expect: 0, delivered: 0 }, outputs: [] },
    step: (s, input) => (s.role === 'sender' ? senderStep(s, input, cfg, 'n2') : receiverStep(s, input)),
    ...jsonState<AbpState, AbpMessage, AbpConfig>(),
  };
}

const sender = (obs: Observation) => obs.states!.n1 as AbpSender;
const receiver = (obs: Observation) => obs.states!.n2 as AbpReceiver;

function properties(cfg: AbpConfig): Property[] {
  return [
    {
      name: 'inOrder',
      temporal: 'always',
      meaning: 'the receiver has delivered every acknowledged message and at most one more, none twice',
      assumptions: anySchedule,
      check: (obs) => {
        const { acked } = sender(obs);
        const { delivered } = receiver(obs);
        return delivered === acked || delivered === acked + 1 ? null : { property: 'inOrder', detail: `delivered ${delivered}, acknowledged ${acked}` };
      },
    },
    {
      name: 'allDelivered',
      temporal: 'sometimes',
      meaning: `all ${cfg.msgs} messages acknowledged`,
      assumptions: anySchedule,
      check: (obs) => (sender(obs).acked === cfg.msgs ? null : { property: 'allDelivered', detail: 'not all acknowledged' }),
    },
  ];
}

export function alternatingBit(msgs: number, sends: number): ProtocolDefinition<AbpState, AbpMessage, AbpConfig> {
  for (const [name, v] of [['msgs', msgs], ['sends', sends]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 20) throw new AliceError('USAGE', `alternating bit: ${name} must be a whole number in 1..20, got ${v}`);
  }
  const cfg = { msgs, sends };
  return {
    name: 'abp',
    behaviour: behaviour(cfg),
    properties: properties(cfg),
    nodes: 2,
    faults: { kinds: ['loss'], budget: 0 },
    describe: (s) => (s.role === 'sender' ? `sender, ${s.acked} acked, bit ${s.bit}, ${s.left} sends left` : `receiver, expects ${s.expect}, delivered ${s.delivered}`),
    describeMessage: (m) => `bit ${m}`,
    // With every transmission of a message lost the sender waits forever: a deadlock, as in SPIN's
    // reading of the same state were its loop not an end state. Only "all acknowledged" is final.
    isFinal: (obs) => sender(obs).acked === msgs,
    cluster: (n, options) => {
      if (n !== 2) throw new AliceError('USAGE', `the alternating-bit model has two nodes, got ${n}`);
      return standardCluster(n, cfg, options);
    },
  };
}
