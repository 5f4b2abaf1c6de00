/**
 * Failure detection: one probe per protocol period, indirect probes through k helpers, and the
 * helper's side (relay the target's ack, or a Lifeguard nack when it does not come).
 *
 *   probe timer ─▶ ping target ─ack─▶ done (health improves); next probe at the period's end
 *                      └ ackTimeout ─▶ ping-req to k helpers ─relayed ack─▶ done
 *   probeEnd with no ack ─▶ suspect the target (health worsens by the missing nacks); next probe now
 */
import type { NodeId } from '../../spec/node.js';
import { type MemberUpdate, SWIM_TIMERS, type SwimMessage, nextProbeAfterAck, timerName } from '../../spec/swim.js';
import { adjustAwareness, scaled } from './awareness.js';
import { estimateSize } from './broadcast-queue.js';
import { applyCarried, pickActive, suspectMember } from './dissemination.js';
import { nextProbeTarget } from './probe-order.js';
import type { Step } from './state.js';

function nextSeq(st: Step): number {
  st.s.seq += 1;
  return st.s.seq;
}

/** The probe timer: probe the next member of the round-robin order. */
export function onProbeTimer(st: Step): void {
  const s = st.s;
  // A probe is still running (a stray timer after a restart or a reordering runtime): its end re-arms.
  if (s.probe) return;
  const period = scaled(s.cfg.probeIntervalMs, s.awareness);
  const target = st.given ? st.given[0] : nextProbeTarget(st);
  const m = target === undefined ? undefined : st.member(target);
  if (target === undefined || !m || m.status === 'dead' || m.status === 'left' || target === s.id) {
    st.setTimer(SWIM_TIMERS.probe, period);
    return;
  }
  st.choice = [target];
  const seq = nextSeq(st);
  s.probe = { seq, target, start: st.now, end: st.now + period, indirect: false, expectedNacks: 0, nacks: 0 };
  // Buddy system (Lifeguard): a suspected member hears of its suspicion in the probe itself.
  const buddy: MemberUpdate[] = m.status === 'suspect' ? [{ kind: 'suspect', member: target, incarnation: m.incarnation, from: s.id }] : [];
  const sizeOf = s.cfg.sizeOf ?? estimateSize;
  const reserved = buddy.reduce((n, u) => n + sizeOf(u), 0);
  st.send(target, { kind: 'ping', seq, updates: [...buddy, ...st.piggyback(reserved)] });
  st.setTimer(timerName(SWIM_TIMERS.ackTimeout, seq), scaled(s.cfg.probeTimeoutMs, s.awareness));
  st.setTimer(timerName(SWIM_TIMERS.probeEnd, seq), period);
}

/** The period ended without an ack, direct or relayed: the target becomes suspect. */
export function onProbeEnd(st: Step, seq: number): void {
  const s = st.s;
  const p = s.probe;
  if (!p || p.seq !== seq) return;
  s.probe = null;
  if (!p.indirect) st.cancelTimer(timerName(SWIM_TIMERS.ackTimeout, p.seq));
  // Lifeguard: helpers that did not even nack suggest this node's own links are the problem; with
  // no helpers, any failed probe counts against this node's health.
  const delta = p.expectedNacks > 0 ? p.expectedNacks - p.nacks : 1;
  s.awareness = adjustAwareness(s.awareness, delta, s.cfg.awarenessMaxMultiplier);
  suspectMember(st, p.target);
  st.setTimer(SWIM_TIMERS.probe, 0);
}

/** The direct ack window passed: ask k helpers to probe the target. */
export function onAckTimeout(st: Step, seq: number): void {
  const s = st.s;
  const p = s.probe;
  if (!p || p.seq !== seq || p.indirect) return;
  const helpers = pickActive(st, s.cfg.indirectChecks, p.target, true);
  s.probe = { ...p, indirect: true, expectedNacks: helpers.length };
  if (helpers.length === 0) return;
  st.choice = helpers;
  for (const h of helpers) st.send(h, { kind: 'pingReq', seq, target: p.target, updates: st.piggyback() });
}

export function onMessage(st: Step, from: NodeId, message: SwimMessage): boolean {
  const s = st.s;
  switch (message.kind) {
    case 'ping':
      applyCarried(st, from, message.updates);
      st.send(from, { kind: 'ack', seq: message.seq, updates: st.piggyback() });
      return true;
    case 'ack': {
      applyCarried(st, from, message.updates);
      const p = s.probe;
      if (p && p.seq === message.seq) {
        s.probe = null;
        if (!p.indirect) st.cancelTimer(timerName(SWIM_TIMERS.ackTimeout, p.seq));
        st.cancelTimer(timerName(SWIM_TIMERS.probeEnd, p.seq));
        s.awareness = adjustAwareness(s.awareness, -1, s.cfg.awarenessMaxMultiplier);
        st.setTimer(SWIM_TIMERS.probe, nextProbeAfterAck(p.start, st.now, s.cfg.probeIntervalMs));
        return true;
      }
      const relay = s.relays[message.seq];
      if (relay) {
        dropRelay(st, message.seq);
        st.cancelTimer(timerName(SWIM_TIMERS.relay, message.seq));
        st.send(relay.origin, { kind: 'ack', seq: relay.seq, updates: st.piggyback() });
      }
      return true;
    }
    case 'pingReq': {
      applyCarried(st, from, message.updates);
      const seq = nextSeq(st);
      s.relays = { ...s.relays, [seq]: { origin: from, seq: message.seq } };
      st.send(message.target, { kind: 'ping', seq, updates: st.piggyback() });
      st.setTimer(timerName(SWIM_TIMERS.relay, seq), s.cfg.probeTimeoutMs);
      return true;
    }
    case 'nack': {
      applyCarried(st, from, message.updates);
      const p = s.probe;
      if (p && p.seq === message.seq && p.indirect) s.probe = { ...p, nacks: p.nacks + 1 };
      return true;
    }
    case 'gossip':
      applyCarried(st, from, message.updates);
      return true;
    default:
      return false;
  }
}

function dropRelay(st: Step, seq: number): void {
  const rest = { ...st.s.relays };
  delete rest[seq];
  st.s.relays = rest;
}

/** The helper's window passed without the target's ack: tell the requester it is not at fault. */
export function onRelayTimeout(st: Step, seq: number): void {
  const relay = st.s.relays[seq];
  if (!relay) return;
  dropRelay(st, seq);
  st.send(relay.origin, { kind: 'nack', seq: relay.seq, updates: st.piggyback() });
}
