/**
 * What the agents believe, read over their HTTP endpoints, and the pure judgements over it: is every
 * live agent holding every live member alive (at the address it now has)? The judgement functions
 * take plain data so the tests check them without a network.
 */
import type { AgentProcess } from './agents.js';
import type { HubClient } from './hub-client.js';

export interface SeenMember {
  readonly id: string;
  readonly status: string;
  readonly incarnation: number;
  /** The member's NodeInfo address, which the suite sets to its namespace address:3000. */
  readonly address: string;
}

/** observer id -> what it holds, or undefined when it did not answer (stopped, killed, overloaded). */
export type Views = ReadonlyMap<string, readonly SeenMember[] | undefined>;

export function parseMembers(body: string): SeenMember[] {
  const rows = JSON.parse(body) as { id: string; status: string; incarnation: number; node?: { address?: string } }[];
  return rows.map((r) => ({ id: r.id, status: r.status, incarnation: r.incarnation, address: r.node?.address ?? '' }));
}

/** Prometheus text to `name{labels}` -> value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    const v = Number(line.slice(i + 1));
    if (i > 0 && Number.isFinite(v)) out.set(line.slice(0, i), v);
  }
  return out;
}

/** One (observer, member) pair where the observer does not hold a live member alive where it lives. */
export interface Disagreement {
  readonly observer: string;
  readonly member: string;
  /** 'missing', 'unreachable' (the observer did not answer), a status, or 'stale-address'. */
  readonly seen: string;
}

/**
 * Every live agent must hold every live member alive, at its current address. `live` maps each live
 * member id to its NodeInfo address. Members that are not live (killed, stopped) are not judged.
 */
export function disagreements(views: Views, live: ReadonlyMap<string, string>): Disagreement[] {
  const out: Disagreement[] = [];
  for (const observer of live.keys()) {
    const view = views.get(observer);
    if (view === undefined) {
      out.push({ observer, member: '*', seen: 'unreachable' });
      continue;
    }
    const byId = new Map(view.map((m) => [m.id, m]));
    for (const [member, address] of live) {
      if (member === observer) continue;
      const m = byId.get(member);
      if (m === undefined) out.push({ observer, member, seen: 'missing' });
      else if (m.status !== 'alive') out.push({ observer, member, seen: m.status });
      else if (m.address !== address) out.push({ observer, member, seen: 'stale-address' });
    }
  }
  return out;
}

/** Members some live agent never holds alive: each disagreement's member, deduplicated. */
export function membersNotMerged(ds: readonly Disagreement[]): string[] {
  return [...new Set(ds.filter((d) => d.member !== '*').map((d) => d.member))].sort();
}

export async function readViews(client: HubClient, agents: readonly AgentProcess[], timeoutMs = 2000): Promise<Map<string, SeenMember[] | undefined>> {
  const replies = await Promise.all(agents.map((a) => client.get(`${a.httpBase}/members`, timeoutMs)));
  const out = new Map<string, SeenMember[] | undefined>();
  agents.forEach((a, i) => {
    const r = replies[i];
    out.set(a.id, r !== undefined && 'status' in r && r.status === 200 ? parseMembers(r.body) : undefined);
  });
  return out;
}

export async function readMetrics(client: HubClient, agents: readonly AgentProcess[]): Promise<Map<string, Map<string, number> | undefined>> {
  const replies = await Promise.all(agents.map((a) => client.get(`${a.httpBase}/metrics`, 2000)));
  const out = new Map<string, Map<string, number> | undefined>();
  agents.forEach((a, i) => {
    const r = replies[i];
    out.set(a.id, r !== undefined && 'status' in r && r.status === 200 ? parseMetrics(r.body) : undefined);
  });
  return out;
}

/** Sums one series over every agent that answered. */
export function sumMetric(all: ReadonlyMap<string, ReadonlyMap<string, number> | undefined>, series: string): number {
  let n = 0;
  for (const m of all.values()) n += m?.get(series) ?? 0;
  return n;
}

export interface Settled {
  readonly converged: boolean;
  /** ms from the start of the wait until the first poll that found no disagreement. */
  readonly ms: number;
  /** The disagreements of the last poll (empty when converged). */
  readonly left: readonly Disagreement[];
  /** What each live agent answered at the last poll: the evidence when it did not converge. */
  readonly views: Views;
}

/** Polls until every live agent agrees, or `timeoutMs` passes. */
export async function waitConverged(client: HubClient, agents: readonly AgentProcess[], timeoutMs: number, pollMs = 500): Promise<Settled> {
  const start = Date.now();
  let left: Disagreement[] = [];
  for (;;) {
    const live = agents.filter((a) => a.state === 'running');
    const views = await readViews(client, live);
    left = disagreements(views, new Map(live.map((a) => [a.id, `${a.address}:3000`])));
    const ms = Date.now() - start;
    if (left.length === 0) return { converged: true, ms, left, views };
    if (ms >= timeoutMs) return { converged: false, ms, left, views };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
