/**
 * The fault scenarios, each bounded: every wait has a deadline, so a scenario that never converges
 * ends with its figures (and a failed rule) instead of hanging the run. Each returns a ScenarioResult
 * built from what the agents printed (EventLog) and what they answered over HTTP (observe.ts).
 */
import type { LoggedEvent } from './agents.js';
import type { Cluster } from './cluster.js';
import { partitionRules } from './nft.js';
import { membersNotMerged, waitConverged } from './observe.js';
import type { ScenarioResult } from './report.js';

export interface Plan {
  readonly agents: number;
  readonly steadyS: number;
  readonly lossS: number;
  readonly lossPercents: readonly number[];
  readonly partitionS: number;
  /** Bound on every re-merge after a heal, restart or resume. */
  readonly settleS: number;
  /** Bound on every crash detection. */
  readonly detectS: number;
  readonly kills: number;
  readonly stops: number;
  /** Restarts with a new address: the first at once, the second after the others declared it dead. */
  readonly restarts: number;
}

/** Decides whether a `failed`/`suspected` event was earned: the member really was unreachable from that observer. */
export type Excuse = (e: LoggedEvent) => boolean;

/** Counts `failed` and `suspected` events in [from, to] that no fault explains. */
export function unexcused(events: readonly LoggedEvent[], from: number, to: number, excused: Excuse): { failed: number; suspected: number } {
  let failed = 0;
  let suspected = 0;
  for (const e of events) {
    if (e.at < from || e.at > to || excused(e)) continue;
    if (e.event === 'failed') failed++;
    else if (e.event === 'suspected') suspected++;
  }
  return { failed, suspected };
}

/** ms from `since` until every observer printed `failed` for `victim`; undefined if not within the bound. */
export function detectionTime(events: readonly LoggedEvent[], victim: string, observers: readonly string[], since: number): number | undefined {
  const first = new Map<string, number>();
  for (const e of events) if (e.event === 'failed' && e.member === victim && e.at >= since && !first.has(e.observer)) first.set(e.observer, e.at);
  let last = since;
  for (const o of observers) {
    const at = first.get(o);
    if (at === undefined) return undefined;
    last = Math.max(last, at);
  }
  return last - since;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitDetected(c: Cluster, victim: string, observers: readonly string[], since: number, boundMs: number): Promise<number | undefined> {
  for (;;) {
    const t = detectionTime(c.log.events, victim, observers, since);
    if (t !== undefined || Date.now() - since > boundMs) return t;
    await c.log.changed(250);
  }
}

interface Frame {
  readonly name: string;
  readonly what: string;
  readonly start: number;
}

/** Settles after a heal and fills in the judged fields; `healAt` starts the false-deaths window. */
async function finish(c: Cluster, f: Frame, plan: Plan, healAt: number, excused: Excuse, rest: Partial<ScenarioResult>): Promise<ScenarioResult> {
  const settled = await waitConverged(c.client, c.all(), plan.settleS * 1000);
  const end = Date.now();
  const during = unexcused(c.log.events, f.start, end, excused);
  const afterHeal = unexcused(c.log.events, healAt, end, excused);
  const notes = [...(rest.notes ?? [])];
  if (!settled.converged) notes.push(`not merged within ${plan.settleS} s: ${settled.left.slice(0, 8).map((d) => `${d.observer} sees ${d.member} ${d.seen}`).join(', ')}${settled.left.length > 8 ? ', …' : ''}`);
  return {
    name: f.name,
    what: f.what,
    agents: c.all().length,
    faults: 0,
    crashesInjected: 0,
    crashesDetected: 0,
    detectionMs: [],
    falseFailures: during.failed,
    falseSuspicions: during.suspected,
    ...rest,
    remergeMs: rest.remergeMs ?? (settled.converged ? settled.ms : undefined),
    lostPermanently: settled.converged ? [] : membersNotMerged(settled.left),
    falseDeathsAfterHeal: afterHeal.failed,
    durationMs: end - f.start,
    notes,
  };
}

const frame = (name: string, what: string): Frame => ({ name, what, start: Date.now() });
const nobody: Excuse = () => false;

export async function steady(c: Cluster, plan: Plan): Promise<ScenarioResult> {
  const f = frame('steady', `${plan.agents} agents, no fault, ${plan.steadyS} s`);
  await sleep(plan.steadyS * 1000);
  const r = await finish(c, f, plan, f.start, nobody, {});
  return { ...r, remergeMs: undefined } as ScenarioResult;
}

export async function loss(c: Cluster, plan: Plan, percent: number): Promise<ScenarioResult> {
  const f = frame(`loss-${percent}`, `nft \`numgen random mod 100 < ${percent} drop\` on every agent's input for ${plan.lossS} s`);
  const ids = c.all().map((a) => a.id);
  await c.setRules(new Map(ids.map((id) => [id, { kind: 'loss', percent }])));
  await sleep(plan.lossS * 1000);
  await c.clearRules();
  const healAt = Date.now();
  return finish(c, f, plan, healAt, nobody, { faults: 1, lossPercent: percent });
}

export async function partition(c: Cluster, plan: Plan): Promise<ScenarioResult> {
  const f = frame('partition', `two halves, nft drop of the other half's addresses, ${plan.partitionS} s, then heal`);
  const all = c.all();
  const half = Math.ceil(all.length / 2);
  const sideA = new Set(all.slice(0, half).map((a) => a.id));
  const addr = (ids: readonly string[]) => ids.map((id) => c.get(id).address);
  const a = all.slice(0, half).map((x) => x.id);
  const b = all.slice(half).map((x) => x.id);
  const byAddress = partitionRules(addr(a), addr(b));
  await c.setRules(new Map(all.map((x) => [x.id, byAddress.get(x.address) ?? { kind: 'none' }])));
  const cutAt = Date.now();
  await sleep(plan.partitionS * 1000);
  await c.clearRules();
  const healAt = Date.now();
  // Across the cut, suspicion and death while it stood are earned; after the heal, nothing is.
  const across: Excuse = (e) => e.at >= cutAt && e.at < healAt && sideA.has(e.observer) !== sideA.has(e.member);
  const crossed = c.log.between(cutAt, healAt).filter((e) => e.event === 'failed' && across(e)).length;
  return finish(c, f, plan, healAt, across, { faults: 1, notes: [`${crossed} failed declarations across the cut while it stood (${a.length * b.length * 2} pairs)`] });
}

/** kill -9 (`signal` KILL) or kill -STOP of `count` members at once; killed ones are restarted in place, stopped ones resumed. */
export async function crash(c: Cluster, plan: Plan, signal: 'KILL' | 'STOP', count: number): Promise<ScenarioResult> {
  const name = signal === 'KILL' ? 'kill-9' : 'kill-STOP';
  const f = frame(name, signal === 'KILL' ? `kill -9 of ${count} members at once, detection, restart at the same address` : `kill -STOP of ${count} members, detection, kill -CONT`);
  const all = c.running();
  // Victims spread over the id range, never the first two (the seeds restarts join through).
  const victims = Array.from({ length: count }, (_, i) => all[2 + Math.floor(((i + 0.5) * (all.length - 2)) / count)]).filter((v) => v !== undefined);
  const ids = new Set(victims.map((v) => v.id));
  const at = Date.now();
  for (const v of victims) signal === 'KILL' ? v.kill9() : v.pause();
  const observers = c.running().map((a) => a.id);
  const detections = await Promise.all(victims.map((v) => waitDetected(c, v.id, observers, at, plan.detectS * 1000)));
  const detected = detections.filter((d): d is number => d !== undefined);
  const healAt = Date.now();
  if (signal === 'KILL') for (const v of victims) await c.restart(v.id, false);
  else for (const v of victims) v.resume();
  // A victim's own events (a resumed process's late timers) are not excused; events about it until it is back are.
  const excused: Excuse = (e) => ids.has(e.member) && e.at >= at && e.at < healAt + 1000;
  const notes = detections.some((d) => d === undefined) ? [`${count - detected.length} not declared failed by every other agent within ${plan.detectS} s`] : [];
  return finish(c, f, plan, healAt + 1000, excused, { faults: count, crashesInjected: count, crashesDetected: detected.length, detectionMs: detected, notes });
}

/** kill -9, then the same id in a new namespace with a new address (at once, or after it was declared dead). */
export async function restartNewAddress(c: Cluster, plan: Plan, afterDeath: boolean): Promise<ScenarioResult> {
  const f = frame(afterDeath ? 'restart-new-addr-late' : 'restart-new-addr', `kill -9 of one member, restarted with a new address ${afterDeath ? 'after every other agent declared it dead' : 'at once'}`);
  const all = c.running();
  const victim = all[Math.floor(all.length / 2)] ?? all[all.length - 1];
  if (victim === undefined) throw new RangeError('no running agent to restart');
  const at = Date.now();
  const oldAddress = victim.address;
  victim.kill9();
  let detection: number | undefined;
  if (afterDeath) detection = await waitDetected(c, victim.id, c.running().map((a) => a.id), at, plan.detectS * 1000);
  const fresh = await c.restart(victim.id, true);
  const restartedAt = Date.now();
  const excused: Excuse = (e) => e.member === victim.id && e.at >= at && e.at < restartedAt;
  return finish(c, f, plan, restartedAt, excused, {
    faults: 1,
    ...(afterDeath ? { crashesInjected: 1, crashesDetected: detection === undefined ? 0 : 1, detectionMs: detection === undefined ? [] : [detection] } : {}),
    notes: [`${victim.id}: ${oldAddress} -> ${fresh.address}`],
  });
}

/** The last word: after everything, every live agent must hold every live member alive. */
export async function final(c: Cluster, plan: Plan): Promise<ScenarioResult> {
  const f = frame('final', 'no fault; every live agent must hold every live member alive');
  const crashed = c.crashed();
  const r = await finish(c, f, plan, f.start, nobody, {});
  return { ...r, notes: [...r.notes, ...(crashed.length > 0 ? [`agents that exited by themselves: ${crashed.map((a) => `${a.id} (${a.lastStderr.trim().split('\n').pop() ?? ''})`).join(', ')}`] : [])] };
}
