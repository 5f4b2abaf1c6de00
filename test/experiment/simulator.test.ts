import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../experiment/event-queue.js';
import { LATENCY_PRESETS, type LatencyModel } from '../../experiment/network.js';
import { RUN_DEFAULTS, runScenario } from '../../experiment/run.js';
import { scenario } from '../../experiment/scenarios.js';
import { simProtocol } from '../../experiment/protocols.js';
import { SimBudgetError, Simulator } from '../../experiment/simulator.js';
import { ConfigError } from '../../spec/errors.js';
import type { Input } from '../../spec/step.js';
import { type Beat, type HeartbeatState, heartbeatProtocol } from './toy.js';

const fixed = (ms: number): LatencyModel => ({ name: 'fixed', minBaseMs: ms, maxBaseMs: ms, jitterSigma: 0 });

function cluster(n: number, network = {}, seed = 1) {
  const p = heartbeatProtocol();
  const sim = new Simulator(p, p.definition.cluster(n), { seed, network: { latency: fixed(5), loss: 0, duplication: 0, ...network } });
  return { p, sim };
}

/** Records every input each node steps, by wrapping the protocol's step. */
function recording(n: number, network = {}) {
  const p = heartbeatProtocol();
  const seen: { node: string; input: Input<Beat>; at: number }[] = [];
  const sim: Simulator<HeartbeatState, Beat, unknown> = new Simulator(
    {
      ...p,
      definition: {
        ...p.definition,
        behaviour: {
          ...p.definition.behaviour,
          step: (s: HeartbeatState, input: Input<Beat>) => {
            seen.push({ node: s.self.id, input, at: sim.now });
            return p.definition.behaviour.step(s, input);
          },
        },
      },
    } as never,
    p.definition.cluster(n),
    { network: { latency: fixed(5), loss: 0, duplication: 0, ...network } },
  );
  return { sim, seen };
}

describe('event queue', () => {
  /** Pops everything, releasing each slot, and lists (time, sequence) in pop order. */
  const drain = (q: EventQueue<string>): [number, number][] => {
    const out: [number, number][] = [];
    for (let s = q.pop(); s >= 0; s = q.pop()) {
      out.push([q.at[s], q.seq[s]]);
      q.release(s);
    }
    return out;
  };

  it('pops events in (time, sequence) order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue<string>(4);
        times.forEach((at, seq) => q.push(at, seq, 0, seq, -1, `m${seq}`, '', 0, undefined));
        const expected = times.map((at, seq) => [at, seq]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(drain(q)).toEqual(expected);
      }),
    );
  });

  it('keeps each event whole when popped slots are reused by later pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { maxLength: 300 }), (ops) => {
        const q = new EventQueue<string>(2);
        const popped: string[] = [];
        let seq = 0;
        let clock = 0;
        for (const [isPop, dt] of ops) {
          if (isPop) {
            const s = q.pop();
            if (s < 0) continue;
            clock = q.at[s];
            popped.push(`${q.at[s]}|${q.seq[s]}|${q.node[s]}|${q.msg[s]}`);
            q.release(s);
          } else {
            q.push(clock + dt, seq, 0, seq, -1, `m${seq}`, '', 0, undefined);
            seq++;
          }
        }
        for (let s = q.pop(); s >= 0; s = q.pop()) popped.push(`${q.at[s]}|${q.seq[s]}|${q.node[s]}|${q.msg[s]}`);
        // Every event carries its own fields, and times never go back (a min-heap popped in order).
        for (const p of popped) {
          const [, sq, node, msg] = p.split('|');
          expect(node).toBe(sq);
          expect(msg).toBe(`m${sq}`);
        }
        const times = popped.map((p) => Number(p.split('|')[0]));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(popped.length).toBe(seq);
      }),
    );
  });

  it('copies into an independent queue with the same events', () => {
    const q = new EventQueue<string>(2);
    for (let k = 0; k < 10; k++) q.push(10 - k, k, 1, k, -1, `m${k}`, 't', k, undefined);
    const c = q.copy();
    q.push(0, 99, 1, 99, -1, 'extra', 't', 0, undefined);
    const fromCopy = drain(c);
    expect(fromCopy).toEqual(Array.from({ length: 10 }, (_, k) => [k + 1, 9 - k]));
    expect(drain(q)[0]).toEqual([0, 99]);
  });
});

describe('simulator', () => {
  it('gives byte-identical results for the same seed', () => {
    const run = () => JSON.stringify(runScenario(heartbeatProtocol() as never, scenario('loss-10'), 8, 42, { seedCount: 8 }).sim);
    expect(run()).toBe(run());
  });

  it('gives different results for a different seed under loss', () => {
    const run = (seed: number) => JSON.stringify(runScenario(heartbeatProtocol() as never, scenario('loss-10'), 8, seed, { seedCount: 8 }).sim);
    expect(run(1)).not.toBe(run(2));
  });

  it('delivers a message after the link latency', () => {
    const { sim, seen } = recording(2);
    sim.start(0);
    sim.start(1);
    sim.runUntil(10);
    const first = seen.find((s) => s.input.type === 'receive');
    expect(first?.at).toBe(5);
  });

  it('loses every message at loss 1 and none at loss 0', () => {
    const lossy = cluster(3, { loss: 1 }).sim;
    const clean = cluster(3, { loss: 0 }).sim;
    for (const sim of [lossy, clean]) {
      for (let i = 0; i < 3; i++) sim.start(i);
      sim.runUntil(10_000);
    }
    expect(lossy.traffic.delivered).toBe(0);
    expect(clean.traffic.dropped).toBe(0);
    expect(clean.traffic.delivered).toBeGreaterThan(0);
  });

  it('loses about the configured fraction of messages', () => {
    const { sim } = cluster(10, { loss: 0.3 });
    for (let i = 0; i < 10; i++) sim.start(i);
    sim.runUntil(60_000);
    const sent = sim.traffic.delivered + sim.traffic.dropped;
    expect(sim.traffic.dropped / sent).toBeGreaterThan(0.25);
    expect(sim.traffic.dropped / sent).toBeLessThan(0.35);
  });

  it('delivers every message twice at duplication 1', () => {
    const { sim } = cluster(2, { duplication: 1 });
    sim.start(0);
    sim.start(1);
    sim.runUntil(3_000);
    const sent = sim.traffic.messages.reduce((a, b) => a + b, 0);
    sim.runUntil(3_500);
    expect(sim.traffic.delivered).toBe(2 * sent);
  });

  it('cuts a partition in both directions and delivers again after it heals', () => {
    const { sim, seen } = recording(4);
    sim.addPartition({ from: 2_000, until: 6_000, side: Uint8Array.from([0, 0, 1, 1]) });
    for (let i = 0; i < 4; i++) sim.start(i);
    sim.runUntil(10_000);
    const crossing = (s: (typeof seen)[number]) =>
      s.input.type === 'receive' && (s.node < 'n3') !== (s.input.from < 'n3');
    expect(seen.filter((s) => crossing(s) && s.at > 2_010 && s.at < 6_000)).toEqual([]);
    expect(seen.some((s) => crossing(s) && s.at > 6_000)).toBe(true);
  });

  it('drops deliveries to a crashed node and voids its timers', () => {
    const { sim, seen } = recording(2);
    sim.start(0);
    sim.start(1);
    sim.runUntil(500);
    sim.crash(1);
    const before = seen.length;
    sim.runUntil(10_000);
    expect(seen.slice(before).filter((s) => s.node === 'n2')).toEqual([]);
    expect(sim.traffic.dropped).toBeGreaterThan(0);
  });

  it('never fires a timer that was re-armed before its deadline', () => {
    const { sim, seen } = recording(1);
    sim.start(0);
    sim.runUntil(500);
    // An update re-sends beats but does not re-arm; a second start is a no-op: one tick per period.
    sim.runUntil(5_500);
    const ticks = seen.filter((s) => s.input.type === 'timer').map((s) => s.at);
    expect(ticks).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('holds a stalled node’s inputs until the stall ends, in arrival order', () => {
    const { sim, seen } = recording(3);
    sim.addStall(2, 1_500, 4_200);
    for (let i = 0; i < 3; i++) sim.start(i);
    sim.runUntil(5_000);
    const during = seen.filter((s) => s.node === 'n3' && s.at >= 1_500 && s.at < 4_200);
    expect(during).toEqual([]);
    const atEnd = seen.filter((s) => s.node === 'n3' && s.at === 4_200).map((s) => s.input.now);
    expect(atEnd.length).toBeGreaterThan(3);
    expect(atEnd.every((now) => now === 4_200)).toBe(true);
  });

  it('adds a node’s clock skew to every now it reads', () => {
    const { sim, seen } = recording(2);
    sim.setSkew(1, -120_000);
    sim.start(0);
    sim.start(1);
    sim.runUntil(1_000);
    const tick = seen.find((s) => s.node === 'n2' && s.input.type === 'timer');
    expect(tick?.input.now).toBe(1_000 - 120_000);
  });

  it('stops with a typed error when the event budget is spent', () => {
    const p = heartbeatProtocol();
    const sim = new Simulator(p, p.definition.cluster(5), { maxEvents: 50 });
    for (let i = 0; i < 5; i++) sim.start(i);
    expect(() => sim.runUntil(60_000)).toThrow(SimBudgetError);
  });

  it('reports a run that hits its budget as aborted, with what it measured', () => {
    const r = runScenario(heartbeatProtocol() as never, scenario('crash-one'), 5, 1, { seedCount: 5, maxEvents: 300 });
    expect(r.status).toBe('aborted');
    expect(r.abort).toMatch(/event budget 300/);
    expect(r.sim.events).toBeGreaterThan(0);
  });

  it('reports how long the cold start took when a run converged and then ran out of budget before its event', () => {
    const full = runScenario(simProtocol('swim'), scenario('loss-5'), 20, 1);
    // A quarter of the run's events: past the convergence (a few seconds in), before the event.
    const cut = runScenario(simProtocol('swim'), scenario('loss-5'), 20, 1, { maxEvents: Math.floor(full.sim.events / 4) });
    expect(full.sim.coldStartMs).not.toBeNull();
    expect(cut.status).toBe('aborted');
    expect(cut.sim.virtualMs).toBeLessThan(full.sim.eventAtMs);
    expect(cut.sim.coldStartMs).toBe(full.sim.coldStartMs);
  });

  it('refuses a loss probability outside 0..1, naming the field', () => {
    const p = heartbeatProtocol();
    expect(() => new Simulator(p, p.definition.cluster(2), { network: { latency: LATENCY_PRESETS.lan, loss: 1.5, duplication: 0 } })).toThrow(ConfigError);
    expect(() => new Simulator(p, p.definition.cluster(2), { network: { latency: LATENCY_PRESETS.lan, loss: 1.5, duplication: 0 } })).toThrow(/network\.loss/);
  });

  it('has documented run defaults', () => {
    expect(RUN_DEFAULTS.seedCount).toBe(3);
  });
});

describe('shared warm-up', () => {
  it('gives a forked scenario the same figures as a fresh run', () => {
    const fresh = runScenario(heartbeatProtocol() as never, scenario('crash-one'), 6, 7, { seedCount: 6 });
    const cache = new Map();
    runScenario(heartbeatProtocol() as never, scenario('update-address'), 6, 7, { seedCount: 6 }, cache);
    const forked = runScenario(heartbeatProtocol() as never, scenario('crash-one'), 6, 7, { seedCount: 6 }, cache);
    expect(cache.size).toBe(1);
    expect(JSON.stringify(forked.sim)).toBe(JSON.stringify(fresh.sim));
  });

  it('refuses to fork while scenario actions are scheduled', () => {
    const { sim } = cluster(2);
    sim.at(100, () => sim.start(0));
    expect(() => sim.fork()).toThrow(/scenario actions/);
  });
});
