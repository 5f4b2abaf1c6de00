/**
 * The SWIM model under the model checker: the always-properties that assume only async timing (SWIM's
 * own, selfSovereignty, noRegression) hold within bounds at 2 nodes with a crash (accuracy assumes
 * bounded timing and is expected to fail under async timing), and a model with refutation switched off is caught.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { swimModel, swimProtocol } from '../../model/swim/index.js';
import type { ProtocolDefinition } from '../../spec/protocol.js';
import type { SwimMessage } from '../../spec/swim.js';
import type { SwimSnapshot } from '../../model/swim/index.js';

const BOUNDS = { nodes: 2, faults: ['crash'] as const, faultBudget: 1, maxDepth: 10, maxStates: 4_000, timeLimitSec: 20 };

describe('SWIM model under the checker', () => {
  it('no always-property that assumes async timing is violated within bounds', () => {
    const r = check(swimProtocol, { ...BOUNDS, faults: [...BOUNDS.faults] });
    const asyncSafe = new Set(swimProtocol.properties.filter((p) => p.temporal === 'always' && p.assumptions.timing === 'async').map((p) => p.name));
    const broken = r.verdicts.filter((v) => asyncSafe.has(v.property) && v.status === 'violated').map((v) => v.property);
    expect(broken).toEqual([]);
  });

  it('a model that files claims about itself is caught by noSelfDeath', () => {
    // Broken variant: its own view shows it as suspect whenever any suspicion of it is in flight to it.
    const blind: ProtocolDefinition<SwimSnapshot, SwimMessage, unknown> = {
      ...(swimProtocol as ProtocolDefinition<SwimSnapshot, SwimMessage, unknown>),
      behaviour: {
        ...swimModel,
        view(state) {
          const v = swimModel.view(state);
          const self = v.members[v.self];
          return self && state.context.incarnation > 0 ? { ...v, members: { ...v.members, [v.self]: { ...self, status: 'suspect' } } } : v;
        },
      } as typeof swimModel,
    };
    const r = check(blind, { ...BOUNDS, faults: [], maxStates: 20_000, maxDepth: 14 });
    expect(r.verdicts.find((v) => v.property === 'noSelfDeath')?.status).toBe('violated');
  });
});
