/**
 * Honest verdicts (issue 15 §1): "holds" only after an exhaustive search; a search stopped at any
 * bound says "no violation found within …" and names the bound; faults come only from the
 * protocol's declaration or the caller.
 */
import { describe, expect, it } from 'vitest';
import { EXIT, check, exitCode, type CheckOptions } from '../../checker/index.js';
import { RANDOM_WALK_DEPTH } from '../../checker/options.js';
import { countersProtocol } from '../../model/counters/index.js';
import { majorityProtocol } from '../../model/majority/index.js';
import type { Property } from '../../spec/properties.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';

/** A false invariant: it fails only once every counter has reached `top` (BFS depth nodes × top). */
function neverAllAt(modulus: number, top: number): ProtocolDefinition<unknown, unknown, unknown> {
  const base = countersProtocol(modulus) as unknown as ProtocolDefinition<unknown, unknown, unknown>;
  const notAll: Property = {
    name: 'notAllAtTop',
    temporal: 'always',
    meaning: `some counter is below ${top}`,
    assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'false on purpose' },
    check: (obs) => (Object.values(obs.views).every((v) => v.members[v.self].version >= top) ? { property: 'notAllAtTop', detail: `every counter reached ${top}` } : null),
  };
  return { ...base, properties: [notAll] };
}

const far = neverAllAt(60, 50); // 2 nodes: the counterexample is 100 transitions deep
const huge = neverAllAt(40, 39); // 4 nodes: 2.56 M states, the counterexample at depth 156

function statusOf(r: ReturnType<typeof check>): string {
  return r.verdicts[0].status;
}

describe('a false property whose counterexample lies beyond a bound', () => {
  const cases: [string, ProtocolDefinition<unknown, unknown, unknown>, Partial<CheckOptions>, string][] = [
    ['depth', far, { nodes: 2, maxDepth: 30, maxStates: 0, timeLimitSec: 0 }, 'depth 30'],
    ['states', far, { nodes: 2, maxStates: 500, timeLimitSec: 0 }, '500 states'],
    ['time', huge, { nodes: 4, maxStates: 0, timeLimitSec: 1 }, '1 s'],
    ['memory', huge, { nodes: 4, maxStates: 0, timeLimitSec: 0, maxHeapMB: 1 }, '1 MB heap'],
  ];
  for (const [bound, protocol, options, limit] of cases) {
    it(`is "no violation found" when the ${bound} bound stops the search, never "holds"`, () => {
      const r = check(protocol, options);
      expect(statusOf(r)).toBe('no-violation-found');
      expect(r.coverage.complete).toBe(false);
      expect(r.coverage.boundsHit).toContainEqual({ bound, limit });
      expect(r.coverage.frontier).toBeGreaterThan(0);
      expect(exitCode(r.verdicts, r.coverage)).toBe(EXIT.incomplete);
    });
  }

  it('is found by the default, unbounded search', () => {
    const r = check(far, { nodes: 2, maxStates: 0, timeLimitSec: 0 });
    expect(statusOf(r)).toBe('violated');
    // Transitions, not states: the initial state is step 0.
    expect(r.verdicts[0].trace!.steps.length - 1).toBe(100);
    expect(exitCode(r.verdicts, r.coverage)).toBe(EXIT.failed);
  });

  it('is "no violation found" after random walks, which never exhaust anything', () => {
    const r = check(far, { nodes: 2, strategy: 'random', walks: 5, maxDepth: 20 });
    expect(statusOf(r)).toBe('no-violation-found');
    expect(r.coverage.complete).toBe(false);
  });

  it('names the walk length random walks ran to when the depth is unbounded, not "≤ 0 steps"', () => {
    const r = check(far, { nodes: 2, strategy: 'random', walks: 3, maxDepth: 0 });
    expect(r.coverage.boundsHit).toContainEqual({ bound: 'depth', limit: `3 random walks of ≤ ${RANDOM_WALK_DEPTH} steps` });
  });
});

describe('holds', () => {
  it('is claimed when the state space is exhausted, with nothing left in the frontier', () => {
    const r = check(countersProtocol(5), { nodes: 2, maxStates: 0, timeLimitSec: 0 });
    expect(r.verdicts.find((v) => v.property === 'inRange')!.status).toBe('holds');
    expect(r.coverage).toMatchObject({ complete: true, boundsHit: [], frontier: 0 });
    expect(exitCode(r.verdicts, r.coverage)).toBe(EXIT.ok);
  });
});

describe('faults', () => {
  it('a model with no fault declaration is checked without faults', () => {
    const r = check(countersProtocol(3), { nodes: 2, maxStates: 0, timeLimitSec: 0 });
    expect(r.options.faults).toEqual([]);
    expect(r.options.faultBudget).toBe(0);
    expect(r.coverage.faultModel).toBe('faults none');
    // 3^2 combinations of counters: no crashed or restarted state was added.
    expect(r.stats.distinct).toBe(9);
  });

  it("a built-in protocol is checked under its own declaration, printed with the verdict", () => {
    const r = check(majorityProtocol, { maxDepth: 1 });
    expect(r.options.faults).toEqual(['crash', 'update']);
    expect(r.coverage.faultModel).toBe('faults crash,update (budget 2)');
  });

  it("the caller's faults replace the declaration", () => {
    const r = check(majorityProtocol, { maxDepth: 1, faults: ['loss'], maxLosses: 1 });
    expect(r.coverage.faultModel).toBe('faults loss (≤ 1 messages)');
  });
});
