/**
 * Breadth-first search on worker threads finds what the single-threaded search finds: the same
 * distinct and generated counts, the same verdicts, and traces as short; and a state's fingerprint
 * does not depend on the order a System interned its parts (which differs between workers).
 */
import { describe, expect, it } from 'vitest';
import { CheckerError, System, check, checkOptions, checkParallel, countersProtocol, majorityProtocol } from 'alice';

const counters = { module: new URL('../../model/counters/index.ts', import.meta.url).href, exportName: 'countersProtocol', args: [4] };
const majority = { module: new URL('../../model/majority/index.ts', import.meta.url).href, exportName: 'majorityProtocol' };

describe('checking on worker threads', () => {
  it('counts every state of 3 counters mod 4 (4^3 = 64) on 2 workers, as one thread does', () => {
    const options = { nodes: 3, faults: [], maxDepth: 1000, maxStates: 0, timeLimitSec: 0 };
    const one = check(countersProtocol(4), options);
    const two = checkParallel(countersProtocol(4), counters, { ...options, workers: 2 });
    expect(two.stats.distinct).toBe(64);
    expect(two.stats.generated).toBe(one.stats.generated);
    expect(two.stats.depth).toBe(one.stats.depth);
    expect(two.stats.stoppedBy).toBe('exhausted');
    expect(two.stats.workers).toBe(2);
    expect(two.verdicts.map((v) => v.status)).toEqual(one.verdicts.map((v) => v.status));
  });

  // Three runs of the majority model (one thread, three workers, and the traces afterwards): slow on a loaded machine.
  it('gives the majority model the same counts, verdicts and trace lengths on 3 workers as on one', { timeout: 180_000 }, () => {
    const options = { nodes: 3, faults: ['crash', 'update'] as const, maxDepth: 4, maxStates: 0, timeLimitSec: 0 };
    const one = check(majorityProtocol, { ...options, faults: [...options.faults] });
    const three = checkParallel(majorityProtocol, majority, { ...options, faults: [...options.faults], workers: 3 });
    expect(three.stats.distinct).toBe(one.stats.distinct);
    expect(three.stats.generated).toBe(one.stats.generated);
    expect(three.stats.stoppedBy).toBe(one.stats.stoppedBy);
    const summary = (r: typeof one) => r.verdicts.map((v) => `${v.property}:${v.status}:${v.trace?.steps.length ?? '-'}`);
    expect(summary(three)).toEqual(summary(one));
    // The model has violations at this depth, so the comparison covers traces, not only "holds".
    expect(three.verdicts.some((v) => v.status === 'violated')).toBe(true);
  });

  it('stops at the state bound with exactly that many states', () => {
    const r = checkParallel(countersProtocol(4), counters, { nodes: 3, faults: [], maxDepth: 1000, maxStates: 40, timeLimitSec: 0, workers: 2 });
    expect(r.stats.distinct).toBe(40);
    expect(r.stats.stoppedBy).toBe('states');
  });

  it('refuses what it cannot do on workers, naming the option', () => {
    const run = (extra: object) => () => checkParallel(countersProtocol(4), counters, { nodes: 2, faults: [], workers: 2, ...extra });
    expect(run({ strategy: 'dfs' })).toThrow(/breadth-first/);
    expect(run({ symmetry: true })).toThrow(/--symmetry/);
    expect(() => check(countersProtocol(4), { nodes: 2, workers: 2 })).toThrow(CheckerError);
    expect(() => checkOptions({ workers: 0 })).toThrow(/--workers/);
  });
});

describe('content fingerprints', () => {
  /** Every reachable state's fingerprint, exploring actions in the given order (which sets the order ids are interned in). */
  function fingerprints(reverse: boolean): { fps: Set<string>; ids: Set<string> } {
    const sys = new System(majorityProtocol, checkOptions({ nodes: 3, faults: ['crash'], faultBudget: 1 }));
    const fp = new Uint32Array(2);
    const fps = new Set<string>();
    const ids = new Set<string>();
    let level = [sys.initial];
    for (let depth = 0; depth < 4; depth++) {
      const next = [];
      for (const s of level) {
        const actions = sys.actions(s);
        if (reverse) actions.reverse();
        for (const a of actions) {
          for (const r of sys.apply(s, a)) {
            sys.fingerprint(r.state, fp);
            const key = `${fp[0]}:${fp[1]}`;
            if (fps.has(key)) continue;
            fps.add(key);
            ids.add(r.state.join(','));
            next.push(r.state);
          }
        }
      }
      level = next;
    }
    return { fps, ids };
  }

  it('are the same whatever order a System interned values in', () => {
    const forward = fingerprints(false);
    const backward = fingerprints(true);
    expect(backward.fps).toEqual(forward.fps);
    // The packings themselves differ (ids were handed out in another order): the test is not vacuous.
    expect(backward.ids).not.toEqual(forward.ids);
  });
});
