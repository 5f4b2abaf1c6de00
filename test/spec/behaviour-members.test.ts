import { describe, expect, it } from 'vitest';
import { type Input, type NodeBehaviour, type NodeSetup, type StepResult, behaviourMembers } from '../../spec/step.js';
import type { View } from '../../spec/view.js';

/** A behaviour written as a class: its methods live on the prototype and read `this`. */
class Echo implements NodeBehaviour<number, never, null> {
  readonly protocol = 'echo';
  private readonly offset = 1;
  init(_setup: NodeSetup<null>): StepResult<number, never> {
    return { state: this.offset, outputs: [] };
  }
  step(state: number, _input: Input<never>): StepResult<number, never> {
    return { state: state + this.offset, outputs: [] };
  }
  view(state: number): View {
    return { self: `n${state}`, members: {} };
  }
  encode(state: number): string {
    return String(state + this.offset - 1);
  }
}

describe('behaviourMembers', () => {
  it("keeps a class behaviour's prototype methods, bound to it, where a spread loses them", () => {
    const b = new Echo();
    const members = behaviourMembers(b);
    expect((({ ...b }) as Partial<NodeBehaviour<number, never, null>>).step).toBeUndefined();
    expect(members.step(2, { type: 'timer', timer: 't', now: 0 }).state).toBe(3);
    expect(members.encode(5)).toBe('5');
    expect(members.protocol).toBe('echo');
  });

  it('leaves out the optional members the behaviour does not have', () => {
    const members = behaviourMembers(new Echo());
    expect('decode' in members || 'choices' in members).toBe(false);
  });
});
