/**
 * Deliberate bugs in the protocol RULES that model and implementation share (spec/swim.ts) or that
 * the model states for itself (model/majority, model/swim/table.ts). Conformance cannot see these:
 * both sides inherit the bug. Only the checker can, so each is judged by `alice check <suite> --suite
 * --profile ci` (a property failing inside its assumptions kills it). `npm run mutation` runs these
 * beside the implementation mutants of mutations/list.ts and prints one table.
 */
import type { Mutation } from './list.js';

export interface SpecMutation extends Mutation {
  /** The protocol whose documented suite must refute it (cli/check-suites.ts). */
  readonly suite: string;
  /**
   * Why no property can refute it, when it changes nothing a View shows (docs/checker-verdicts.md).
   * It is still run: a kill would prove the argument wrong.
   */
  readonly equivalent?: string;
}

const swim = (id: string, file: string, bug: string, find: string, replace: string): SpecMutation => ({ id: `spec-swim-${id}`, protocol: 'swim', suite: 'swim', file, bug, find, replace });
const majority = (id: string, file: string, bug: string, find: string, replace: string): SpecMutation => ({ id: `spec-majority-${id}`, protocol: 'majority', suite: 'majority', file, bug, find, replace });

const RULES = 'spec/swim.ts';
const TABLE = 'model/swim/table.ts';

export const SPEC_MUTATIONS: readonly SpecMutation[] = [
  // overrides(): one mutant per status pair whose rule can be got wrong. An accusation must cite the
  // incarnation held (i = j, see overrides), so "at an equal incarnation" is the only place each
  // accusation rule can be got wrong.
  swim('alive-over-equal', RULES, 'alive(i) overrides at an equal incarnation: a stale alive clears a suspicion or a death without a refutation', `if (incoming.status === 'alive') return i > j;`, `if (incoming.status === 'alive') return i >= j;`),
  swim('suspect-over-alive-strict', RULES, 'suspect(i) overrides alive(j) only if i > j, which the cited-incarnation rule never admits: a suspicion at the current incarnation is ignored', `    case 'suspect':
      return current.status === 'alive';`, `    case 'suspect':
      return false;`),
  swim('suspect-over-suspect-equal', RULES, 'suspect(i) overrides suspect(i): a repeated suspicion restarts instead of confirming', `    case 'suspect':
      return current.status === 'alive';`, `    case 'suspect':
      return current.status === 'alive' || current.status === 'suspect';`),
  swim('suspect-over-dead', RULES, 'a suspicion overrides a death: a dead member comes back as suspect', `    case 'suspect':
      return current.status === 'alive';`, `    case 'suspect':
      return current.status === 'alive' || current.status === 'dead';`),
  swim('dead-over-alive-strict', RULES, 'dead(i) overrides alive/suspect(j) only if i > j, which the cited-incarnation rule never admits: a death at the current incarnation is ignored', `    case 'dead':
      return current.status === 'alive' || current.status === 'suspect';`, `    case 'dead':
      return false;`),
  swim('dead-over-left', RULES, 'a death overrides a leave', `    case 'dead':
      return current.status === 'alive' || current.status === 'suspect';`, `    case 'dead':
      return current.status !== 'dead';`),
  swim('left-over-left', RULES, 'a leave overrides a leave at the same incarnation', `      return current.status !== 'left';`, `      return true;`),
  swim('unknown-from-any', RULES, 'an unknown member is learnt from any claim, not only an alive one', `if (current === undefined) return incoming.status === 'alive';`, `if (current === undefined) return incoming.status !== 'left';`),
  // Refutation.
  swim('refute-above-only', RULES, 'a node refutes a suspicion or death of itself only above its incarnation, not at it', `return c >= own && c < MAX_INCARNATION ? c + 1 : undefined;`, `return c > own && c < MAX_INCARNATION ? c + 1 : undefined;`),
  swim('refute-same-incarnation', RULES, 'a refutation re-announces at the claim\'s incarnation instead of above it', `return c >= own && c < MAX_INCARNATION ? c + 1 : undefined;`, `return c >= own && c < MAX_INCARNATION ? c : undefined;`),
  // Dissemination.
  swim('retransmit-once', RULES, 'the retransmit limit is 1 whatever the multiplier: each update is piggybacked once', `return multiplier * Math.max(1, Math.ceil(Math.log10(clusterSize + 1)));`, `return 1;`),
  // Suspicion timeout and confirmation counting (exercised by swim-lifeguard).
  swim('suspicion-timeout-min-first', RULES, 'the suspicion timeout starts at the floor instead of the maximum', `const t = max - frac * (max - min);`, `const t = min + frac * (max - min);`),
  swim('confirm-own-suspicion', TABLE, 'the first suspecter confirms its own suspicion again', `if (!s || s.incarnation !== u.incarnation || u.from === s.firstFrom || s.confirmers.includes(u.from)) return ctx;`, `if (!s || s.incarnation !== u.incarnation || s.confirmers.includes(u.from)) return ctx;`),
  // Reaping (exercised by swim-reap).
  {
    ...swim('reap-forgets-timer', TABLE, 'a member that comes back alive keeps its reap timer: it is reaped while alive', `      if (cur) out.push({ type: 'cancelTimer', timer: timerName(SWIM_TIMERS.reap, u.member) });`, `      if (cur) out.push({ type: 'notify', event: { kind: 'alive', member: u.member } });`),
    equivalent:
      'no View differs: the reap action re-checks that the member is dead or left, so the stale timer fires into nothing while it is alive or suspect, and a new death re-arms the timer of the same name (setTimer replaces it); only an extra `alive` notification to the application remains',
  },
  // Push-pull merge.
  swim('pushpull-dead-as-dead', RULES, 'a pushed dead record is merged as a death, not a suspicion: a stale table kills without a chance to refute', `    case 'suspect':
    case 'dead':
      return { kind: 'suspect', member: r.member, incarnation: r.incarnation, from };`, `    case 'suspect':
      return { kind: 'suspect', member: r.member, incarnation: r.incarnation, from };
    case 'dead':
      return { kind: 'dead', member: r.member, incarnation: r.incarnation, from };`),
  // Majority: the resolver's threshold and tie-breaks (the model's statement of the rule), and the version rule.
  majority('threshold-half', 'model/majority/resolve.ts', 'majority threshold floor(R/2): half the responses win', `const needed = Math.floor(responses.length / 2) + 1;`, `const needed = Math.floor(responses.length / 2);`),
  majority('tie-break-oldest', 'model/majority/resolve.ts', 'without a majority, the oldest entry wins instead of the newest', `entries.reduce((best, e) => (e.lastUpdated > best.lastUpdated ? e : best));`, `entries.reduce((best, e) => (e.lastUpdated < best.lastUpdated ? e : best));`),
  majority('tie-break-last', 'model/majority/resolve.ts', 'equal timestamps break to the last entry seen instead of the first', `entries.reduce((best, e) => (e.lastUpdated > best.lastUpdated ? e : best));`, `entries.reduce((best, e) => (e.lastUpdated >= best.lastUpdated ? e : best));`),
  majority('update-older-version', 'model/majority/machine.ts', 'an update one version older than the one held applies (versions must increase)', `const peers = !had || event.message.version > had.version ? keep(`, `const peers = !had || event.message.version >= had.version - 1 ? keep(`),
];
