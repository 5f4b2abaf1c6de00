/**
 * The explorer's request handler (cli/explorer/handler.ts) over a session on a real counterexample:
 * examples/request-ack without deduplication, whose `appliedOnce` the checker refutes. No socket: the
 * handler is a function from a request to a response.
 */
import { describe, expect, it } from 'vitest';
import { System, type Trace, TraceMismatchError, check, checkOptions } from '../../checker/index.js';
import { explorerHandler } from '../../cli/explorer/handler.js';
import { ExplorerFullError, ExplorerSession, type StateReport, type SuccessorReport, type TraceSummary } from '../../cli/explorer/session.js';
import { requestAck } from '../../examples/request-ack/model.js';

const noDedup = requestAck(false);

function traceOf(protocol: typeof noDedup, property: string, options: Parameters<typeof check>[1] = {}): Trace {
  const verdict = check(protocol, options).verdicts.find((v) => v.property === property);
  if (!verdict?.trace) throw new Error(`no trace of ${property}`);
  return verdict.trace;
}

const trace = traceOf(noDedup, 'appliedOnce');
const last = trace.steps.length - 1;

function fresh() {
  const session = new ExplorerSession(noDedup, trace);
  const handle = explorerHandler(session);
  const get = <T>(url: string): T => {
    const r = handle({ method: 'GET', url });
    expect(r.status, `${url}: ${r.body}`).toBe(200);
    return JSON.parse(r.body) as T;
  };
  return { session, handle, get };
}

const steps = (list: readonly SuccessorReport[]) => list.filter((s): s is Extract<SuccessorReport, { kind: 'step' }> => s.kind === 'step');

describe('explorer handler: the page', () => {
  it('serves the page at /, loading its script from /explorer.js', () => {
    const { handle } = fresh();
    const page = handle({ method: 'GET', url: '/' });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.body).toContain('<script src="/explorer.js"></script>');
    const script = handle({ method: 'GET', url: '/explorer.js' });
    expect(script.contentType).toMatch(/^text\/javascript/);
    expect(script.body).toContain("/api/trace");
  });

  it('loads nothing from another host: no http(s) URL in the page or its script', () => {
    const { handle } = fresh();
    for (const url of ['/', '/explorer.js']) expect(handle({ method: 'GET', url }).body).not.toMatch(/(src|href)="?https?:/);
  });
});

describe('explorer handler: the trace', () => {
  it('names the protocol, the failed property and its violation, and lists every step', () => {
    const t = fresh().get<TraceSummary>('/api/trace');
    expect(t.protocol).toBe('request-ack-no-dedup');
    expect(t.property).toBe('appliedOnce');
    expect(t.temporal).toBe('always');
    expect(t.violation.detail).toBe(trace.violation.detail);
    expect(t.steps.map((s) => s.action)).toEqual(trace.steps.map((s) => s.action));
    expect(t.steps.map((s) => s.id)).toEqual(trace.steps.map((_, i) => i));
    expect(t.setting).toMatch(/2 nodes, async timing, faults none/);
  });

  it('says the model is not about membership when no View lists another node', () => {
    expect(fresh().get<TraceSummary>('/api/trace').membership).toBe(false);
  });
});

describe('explorer handler: a state', () => {
  it('shows the failed property violated in the last state, with the trace violation', () => {
    const s = fresh().get<StateReport>(`/api/state/${last}`);
    const failed = s.properties[0];
    expect(failed).toMatchObject({ name: 'appliedOnce', failed: true, status: 'violated', detail: trace.violation.detail });
  });

  it('shows the failed property holding in the initial state', () => {
    const s = fresh().get<StateReport>('/api/state/0');
    expect(s.properties.find((p) => p.name === 'appliedOnce')).toMatchObject({ status: 'holds', failed: true });
    expect(s.via).toBeNull();
    expect(s.parent).toBeNull();
  });

  it("shows each node's local state as the model encodes it", () => {
    const s = fresh().get<StateReport>(`/api/state/${last}`);
    const server = s.nodes.find((n) => n.id === 'n2')!.state as { role: string; applied: number };
    expect(server.role).toBe('server');
    expect(server.applied).toBeGreaterThan(1);
  });

  it('shows as many messages in flight as the trace records at each step', () => {
    const { get } = fresh();
    trace.steps.forEach((step, i) => expect(get<StateReport>(`/api/state/${i}`).inFlight).toHaveLength(step.inFlight));
  });

  it("shows a node's armed timers: the client's retry timer at the start", () => {
    const s = fresh().get<StateReport>('/api/state/0');
    expect(s.nodes.find((n) => n.id === 'n1')!.timers.map((t) => t.timer)).toEqual(['retry']);
    expect(s.nodes.find((n) => n.id === 'n2')!.timers).toEqual([]);
  });

  it('marks the node the last step changed', () => {
    const s = fresh().get<StateReport>('/api/state/1');
    const stepped = trace.steps[1].actor;
    for (const n of s.nodes) expect(n.changed).toBe(n.id === stepped);
  });

  it('shows a crashed node as down', () => {
    const crashTrace = traceOf(requestAck(true), 'allApplied', { faults: ['crash'], faultBudget: 1 });
    const session = new ExplorerSession(requestAck(true), crashTrace);
    const crashedAt = crashTrace.steps.findIndex((s) => s.action.endsWith('crashes'));
    expect(crashedAt).toBeGreaterThan(0);
    const who = crashTrace.steps[crashedAt].actor;
    expect(session.state(crashedAt).nodes.find((n) => n.id === who)!.up).toBe(false);
  });

  it('says a deadlock is one where no step is enabled', () => {
    const lossTrace = traceOf(requestAck(true), 'deadlock', { faults: ['loss'] });
    const session = new ExplorerSession(requestAck(true), lossTrace);
    const end = session.state(lossTrace.steps.length - 1);
    expect(end.end).toBe('deadlock');
    expect(session.successors(lossTrace.steps.length - 1)).toEqual([]);
  });

  it('gives deadlines of timers and messages under bounded timing', () => {
    const bounded = new ExplorerSession(noDedup, traceOf(noDedup, 'appliedOnce', { timing: 'bounded' }));
    const s = bounded.state(0);
    expect(s.environment.clock).toBe(0);
    expect(s.nodes.find((n) => n.id === 'n1')!.timers[0].deadline).toBeGreaterThan(0);
    expect(s.inFlight[0].deadline).toBeGreaterThan(0);
  });
});

describe('explorer handler: successors', () => {
  it("offers exactly the checker's enabled steps", () => {
    const { session, get } = fresh();
    const system = new System(noDedup, checkOptions(trace.options));
    const states = [system.initial];
    const expected = system.actions(states[0]).flatMap((a) => system.apply(states[0], a, true).map((r) => `[${r.info!.actor}] ${r.info!.label}`));
    const offered = steps(get<SuccessorReport[]>('/api/state/0/successors')).map((s) => `[${s.actor}] ${s.label}`);
    expect(offered).toEqual(expected);
    expect(session.traceLength).toBe(trace.steps.length);
  });

  it("names the trace's next step by the trace state's own number, once", () => {
    const { get } = fresh();
    for (let i = 0; i < last; i++) {
      const onTrace = steps(get<SuccessorReport[]>(`/api/state/${i}/successors`)).filter((s) => s.onTrace);
      expect(onTrace.map((s) => s.id)).toEqual([i + 1]);
    }
  });

  it('gives a step off the trace a new state, one transition deeper, whose parent is where it was taken', () => {
    const { get } = fresh();
    const off = steps(get<SuccessorReport[]>('/api/state/0/successors')).find((s) => !s.onTrace)!;
    expect(off.id).toBeGreaterThan(last);
    const s = get<StateReport>(`/api/state/${off.id}`);
    expect(s).toMatchObject({ id: off.id, parent: 0, depth: 1, traceIndex: null, via: { actor: off.actor, label: off.label } });
  });

  it('opens states off the trace as far as the user goes: their successors are served too', () => {
    const { get } = fresh();
    let id = 0;
    for (let depth = 1; depth <= 4; depth++) {
      const next = steps(get<SuccessorReport[]>(`/api/state/${id}/successors`)).find((s) => !s.onTrace);
      if (!next) break;
      id = next.id;
      expect(get<StateReport>(`/api/state/${id}`).depth).toBe(depth);
    }
    expect(id).toBeGreaterThan(last);
  });

  it('numbers the successors of a state once: asking again gives the same numbers', () => {
    const { get } = fresh();
    const a = get<SuccessorReport[]>('/api/state/1/successors');
    const b = get<SuccessorReport[]>('/api/state/1/successors');
    expect(b).toEqual(a);
  });

  it('marks fault steps as not fair', () => {
    const session = new ExplorerSession(requestAck(true), traceOf(requestAck(true), 'deadlock', { faults: ['loss'] }));
    const list = steps(session.successors(0));
    expect(list.filter((s) => !s.fair).map((s) => s.label)).toEqual(list.filter((s) => s.label.startsWith('lose')).map((s) => s.label));
    expect(list.some((s) => !s.fair)).toBe(true);
  });
});

describe('explorer handler: bad requests', () => {
  it('answers 404 for a state not opened yet', () => {
    const r = fresh().handle({ method: 'GET', url: '/api/state/999' });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).error).toMatch(/no state 999/);
  });

  it('answers 400 for a state that is not a number', () => {
    expect(fresh().handle({ method: 'GET', url: '/api/state/abc' }).status).toBe(400);
  });

  it('answers 405 to anything but GET', () => {
    expect(fresh().handle({ method: 'POST', url: '/api/trace' }).status).toBe(405);
  });

  it('answers 404 for an unknown path', () => {
    expect(fresh().handle({ method: 'GET', url: '/nothing' }).status).toBe(404);
  });

  it('refuses a request for another host (a rebound DNS name)', () => {
    const handle = explorerHandler(new ExplorerSession(noDedup, trace), { allowedHosts: ['127.0.0.1:1234'] });
    expect(handle({ method: 'GET', url: '/api/trace', host: 'evil.example:1234' }).status).toBe(403);
    expect(handle({ method: 'GET', url: '/api/trace', host: '127.0.0.1:1234' }).status).toBe(200);
  });
});

describe('explorer session: its cap on states', () => {
  const capped = (extra: number) => {
    const session = new ExplorerSession(noDedup, trace, { maxOpened: trace.steps.length + extra });
    return { session, handle: explorerHandler(session) };
  };
  const offTrace = (session: ExplorerSession, id: number) => session.successors(id).filter((s) => s.kind === 'step' && !s.onTrace).length;

  it('refuses with 507, naming the cap and what to do, the successors that would pass it', () => {
    const { session, handle } = capped(0);
    expect(offTrace(new ExplorerSession(noDedup, trace), 0)).toBeGreaterThan(0);
    const r = handle({ method: 'GET', url: '/api/state/0/successors' });
    expect(r.status).toBe(507);
    expect(JSON.parse(r.body).error).toMatch(/holds \d+ states, its cap: restart `alice explore`.*--max-opened/);
    expect(() => session.successors(0)).toThrow(ExplorerFullError);
  });

  it('opens none of a state\'s successors when all of them do not fit: no state is half-opened', () => {
    const { session } = capped(offTrace(new ExplorerSession(noDedup, trace), 0) - 1);
    expect(() => session.successors(0)).toThrow(ExplorerFullError);
    expect(session.has(trace.steps.length)).toBe(false);
  });

  it('still shows a state whose successors no longer fit, saying it is not an end state', () => {
    const { handle } = capped(0);
    const r = handle({ method: 'GET', url: '/api/state/0' });
    expect(r.status).toBe(200);
    expect((JSON.parse(r.body) as StateReport).end).toBeNull();
  });

  it('opens successors up to the cap exactly', () => {
    const n = offTrace(new ExplorerSession(noDedup, trace), 0);
    const { session } = capped(n);
    expect(session.successors(0).length).toBeGreaterThan(0);
    expect(session.has(trace.steps.length + n - 1)).toBe(true);
  });

  it('refuses a trace longer than the cap', () => {
    expect(() => new ExplorerSession(noDedup, trace, { maxOpened: trace.steps.length - 1 })).toThrow(ExplorerFullError);
  });

  it('refuses a cap that is not a whole number of states', () => {
    expect(() => new ExplorerSession(noDedup, trace, { maxOpened: 0 })).toThrow(/whole number ≥ 1/);
  });
});

describe('explorer session: a trace that does not fit the model', () => {
  it('is refused when it is of another protocol', () => {
    expect(() => new ExplorerSession(requestAck(true), trace)).toThrow(TraceMismatchError);
  });

  it('is refused at the step the model does not allow, naming it', () => {
    const steps = trace.steps.map((s, i) => (i === 2 ? { ...s, action: 'timer nothing fires' } : s));
    expect(() => new ExplorerSession(noDedup, { ...trace, steps })).toThrow(/at step 2/);
  });
});
