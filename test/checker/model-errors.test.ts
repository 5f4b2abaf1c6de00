/**
 * A model that throws is a defect the checker found, reported as a violation with a trace (exit 1),
 * never a crash of the check: a step that throws is `modelStep` violated, a property whose check
 * throws on a reached state is that property violated there. Spec mutants are judged this way
 * (mutations/run.ts counts exit 1 as a kill), so spec-swim-unknown-from-any is a kill, not an error.
 */
import { describe, expect, it } from 'vitest';
import { type CounterSnapshot, type CountersConfig, type ProtocolDefinition, EXIT, MODEL_STEP, check, countersProtocol, exitCode, replayTrace } from 'alice';

type Proto = ProtocolDefinition<CounterSnapshot, never, CountersConfig>;
const base = countersProtocol(4);

/** Counters whose step throws once any counter reaches 2 (a broken guard, say). */
const throwing: Proto = {
  ...base,
  behaviour: {
    ...base.behaviour,
    step: (s, input) => {
      if (s.context.count === 2) throw new TypeError('cannot read properties of undefined');
      return base.behaviour.step(s, input);
    },
  },
};

describe('a model that throws', () => {
  for (const strategy of ['bfs', 'random'] as const) {
    it(`is reported as modelStep violated with a trace to the state it threw from (${strategy})`, () => {
      const r = check(throwing, { nodes: 2, strategy, walks: 5, maxDepth: 10, timeLimitSec: 30 });
      const v = r.verdicts.find((x) => x.property === MODEL_STEP)!;
      expect(v.status).toBe('violated');
      expect(v.expected).toBeUndefined();
      expect(v.trace!.violation.detail).toMatch(/n[12] threw on timer tick: TypeError: cannot read properties of undefined/);
      // The last state of the trace holds the counter at 2: the step from there threw.
      const last = v.trace!.steps[v.trace!.steps.length - 1];
      expect(Object.values(last.views).some((view) => view.members[view.self].version === 2)).toBe(true);
      expect(exitCode(r.verdicts, r.coverage)).toBe(EXIT.failed);
      // The trace replays, and the throw shows again from its last state.
      expect(replayTrace(throwing, v.trace!).reproduced).toBe(true);
    });
  }

  it('a property whose check throws is violated at the state it threw on', () => {
    const fragile: Proto = {
      ...base,
      properties: [
        {
          name: 'fragile',
          temporal: 'always',
          meaning: 'reads a field a malformed View lacks',
          assumptions: { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'test' },
          check: (obs) => {
            if (Object.values(obs.views).some((v) => v.members[v.self].version === 3)) throw new TypeError("reading 'id'");
            return null;
          },
        },
      ],
    };
    const r = check(fragile, { nodes: 1, timeLimitSec: 30 });
    const v = r.verdicts.find((x) => x.property === 'fragile')!;
    expect(v.status).toBe('violated');
    expect(v.trace!.steps.length - 1).toBe(3);
    expect(v.trace!.violation.detail).toContain("the check threw on this state (a malformed View?): TypeError: reading 'id'");
  });

  it('the correct model reports no modelStep verdict', () => {
    const r = check(base, { nodes: 2, timeLimitSec: 30 });
    expect(r.verdicts.map((v) => v.property)).not.toContain(MODEL_STEP);
  });
});
