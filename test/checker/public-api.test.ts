/**
 * The README's "Checking your own model" example, run as written: a user-defined XState model checked
 * through the package's public entry point, with one property that holds and one the checker refutes.
 */
import { assign, emit, setup, type SnapshotFrom } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  check,
  machineBehaviour,
  makeNodeInfo,
  standardCluster,
  traceToText,
  type Input,
  type NodeSetup,
  type Observation,
  type Output,
  type Property,
  type ProtocolDefinition,
} from 'alice';

// --- the example, as in README.md ---------------------------------------------------------------
const clock = setup({
  types: {
    context: {} as { id: string; hour: number },
    input: {} as NodeSetup<null>,
    events: {} as Input<never>,
    emitted: {} as Output<never>,
  },
  guards: { isTick: ({ event }) => event.type === 'timer' && event.timer === 'tick' },
  actions: {
    advance: assign({ hour: ({ context }) => (context.hour + 1) % 12 }),
    arm: emit({ type: 'setTimer', timer: 'tick', after: 1 } as Output<never>),
  },
}).createMachine({
  context: ({ input }) => ({ id: input.id, hour: 0 }),
  entry: 'arm',
  on: { timer: { guard: 'isTick', actions: ['advance', 'arm'] } },
});

const hours = (obs: Observation): number[] => Object.values(obs.views).map((v) => v.members[v.self].version);
const anySchedule = { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' } as const;
const properties: Property[] = [
  {
    name: 'onTheDial',
    temporal: 'always',
    meaning: 'every clock shows 0..11',
    assumptions: anySchedule,
    check: (obs) => (hours(obs).every((h) => h >= 0 && h < 12) ? null : { property: 'onTheDial', detail: `a clock shows ${hours(obs)}` }),
  },
  {
    name: 'neverBothSix',
    temporal: 'always',
    meaning: 'no two clocks show 6 at once (false: the checker must refute it)',
    assumptions: anySchedule,
    check: (obs) => (hours(obs).filter((h) => h === 6).length < 2 ? null : { property: 'neverBothSix', detail: 'two clocks show 6' }),
  },
];

const clocks: ProtocolDefinition<SnapshotFrom<typeof clock>, never, null> = {
  name: 'clocks',
  behaviour: machineBehaviour<typeof clock, never, null>(clock, {
    protocol: 'clocks',
    view: (s) => ({
      self: s.context.id,
      members: { [s.context.id]: { status: 'alive', version: s.context.hour, info: makeNodeInfo(s.context.id, '', 1, 'backend', 0) } },
    }),
  }),
  properties,
  cluster: (n, options) => standardCluster(n, null, options),
};

const result = check(clocks, { nodes: 2, faults: [] });
// --- end of the example ---------------------------------------------------------------------------

describe('a model of your own, through the public API', () => {
  it('is explored to exactly 12 × 12 states', () => {
    expect(result.stats.distinct).toBe(144);
    expect(result.stats.stoppedBy).toBe('exhausted');
  });

  it('reports the true property as holding', () => {
    expect(result.verdicts.find((v) => v.property === 'onTheDial')?.status).toBe('holds');
  });

  it('refutes the false property with the shortest trace: six ticks on each clock', () => {
    const verdict = result.verdicts.find((v) => v.property === 'neverBothSix');
    expect(verdict?.status).toBe('violated');
    expect(verdict?.trace?.steps.length).toBe(1 + 12);
    expect(traceToText(verdict!.trace!)).toContain('two clocks show 6');
  });
});
