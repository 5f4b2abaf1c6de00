import { describe, expect, it } from 'vitest';
import { assign, emit, setup } from 'xstate';
import { type Input, type NodeSetup, type Output, ModelError, machineBehaviour } from 'alice';

type Msg = { kind: 'hello' };
const machine = setup({
  types: {
    context: {} as { id: string; heard: number },
    input: {} as NodeSetup,
    events: {} as Input<Msg>,
    emitted: {} as Output<Msg>,
  },
  actions: {
    countHello: assign({ heard: ({ context }) => context.heard + 1 }),
    greetBack: emit(({ event }) => ({ type: 'send', to: (event as { from: string }).from, message: { kind: 'hello' } }) as Output<Msg>),
    armTick: emit({ type: 'setTimer', timer: 'tick', after: 100 } as Output<Msg>),
    sideEffect: () => {},
  },
  guards: {
    firstHello: ({ context }) => context.heard === 0,
    explodes: () => {
      throw new Error('boom');
    },
  },
}).createMachine({
  context: ({ input }) => ({ id: input.id, heard: 0 }),
  initial: 'running',
  entry: 'armTick',
  states: {
    running: {
      on: {
        receive: [{ guard: 'firstHello', actions: ['countHello', 'greetBack'] }, { actions: 'countHello' }],
        crash: { guard: 'explodes', target: 'broken' },
        restart: { actions: 'sideEffect' },
      },
    },
    broken: {},
  },
});

const node = machineBehaviour<typeof machine, Msg>(machine, {
  protocol: 'hello',
  view: (s) => ({ self: s.context.id, members: {} }),
});
const setupOf = (id: string): NodeSetup => ({ id, info: {} as never, seeds: [], now: 0, rngSeed: 0, config: {} });

describe('machineBehaviour (XState machine behind the step contract)', () => {
  it('returns the emitted outputs of the initial transition', () => {
    expect(node.init(setupOf('n1')).outputs).toEqual([{ type: 'setTimer', timer: 'tick', after: 100 }]);
  });

  it('returns the emitted outputs of a step, in order, and the new state', () => {
    const { state } = node.init(setupOf('n1'));
    const r = node.step(state, { type: 'receive', from: 'n2', message: { kind: 'hello' }, now: 1 });
    expect(r.outputs).toEqual([{ type: 'send', to: 'n2', message: { kind: 'hello' } }]);
    expect(r.state.context.heard).toBe(1);
  });

  it('is pure: the same state and input give the same result', () => {
    const { state } = node.init(setupOf('n1'));
    const input: Input<Msg> = { type: 'receive', from: 'n2', message: { kind: 'hello' }, now: 1 };
    expect(node.encode(node.step(state, input).state)).toBe(node.encode(node.step(state, input).state));
    expect(state.context.heard).toBe(0);
  });

  it('encodes equal states to equal text and different states to different text', () => {
    const a = node.init(setupOf('n1')).state;
    const b = node.init(setupOf('n1')).state;
    expect(node.encode(a)).toBe(node.encode(b));
    expect(node.encode(a)).not.toBe(node.encode(node.init(setupOf('n2')).state));
  });

  it('reports the choice it was given', () => {
    const { state } = node.init(setupOf('n1'));
    expect(node.step(state, { type: 'timer', timer: 'tick', now: 1, choice: ['n2'] }).choice).toEqual(['n2']);
  });

  it('turns a guard that throws into a ModelError naming the input', () => {
    const { state } = node.init(setupOf('n1'));
    expect(() => node.step(state, { type: 'crash', now: 1 })).toThrow(/input crash/);
  });

  it('refuses a custom action, which a pure transition would never run', () => {
    const { state } = node.init(setupOf('n1'));
    expect(() => node.step(state, { type: 'restart', now: 1 })).toThrow(ModelError);
    expect(() => node.step(state, { type: 'restart', now: 1 })).toThrow(/'sideEffect' would not run/);
  });
});
