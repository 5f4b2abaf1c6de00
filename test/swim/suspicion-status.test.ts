/**
 * A node holds a suspicion about a member only while its table holds that member suspect: a suspicion
 * starts with the suspect record and ends whenever the record leaves that status. applyUpdate relies
 * on it to skip the suspicion lookup for members not held suspect, so it is checked after every step
 * of a lossy cluster with a crash and a restart, where suspicions start, are confirmed, refuted and
 * end in death.
 */
import { describe, expect, it } from 'vitest';
import { SWIM_LAN, type SwimCoreConfig, type SwimState, swimCluster, swimCore } from '../../impl/swim/index.js';
import { getMember } from '../../impl/swim/membership.js';
import { suspicionRecord } from '../../impl/swim/suspicion.js';
import type { NodeBehaviour } from '../../spec/step.js';
import type { SwimMessage } from '../../spec/swim.js';
import { Sim } from './sim.js';

const CONFIG: SwimCoreConfig = { ...SWIM_LAN, pushPullIntervalMs: 5_000, reapAfterMs: 10_000 };

/** Members a state holds a suspicion about while its table does not hold them suspect. */
function strayedSuspicions(state: SwimState): string[] {
  return Object.keys(suspicionRecord(state.suspicions)).filter((id) => getMember(state.table, id)?.status !== 'suspect');
}

describe('suspicions and the table', () => {
  it('holds a suspicion only about a member the table holds suspect, after every step', () => {
    const strays: string[] = [];
    let suspicionsSeen = 0;
    const checked: NodeBehaviour<SwimState, SwimMessage, SwimCoreConfig> = {
      ...swimCore,
      step(state, input) {
        const r = swimCore.step(state, input);
        suspicionsSeen += Object.keys(suspicionRecord(r.state.suspicions)).length;
        for (const id of strayedSuspicions(r.state)) strays.push(`${r.state.id} at ${input.now} ms: ${id}`);
        return r;
      },
    };
    // 25 % of datagrams lost, by a fixed generator so the run is the same every time.
    let x = 12345;
    const lost = (): boolean => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16) % 4 === 0;
    const sim = new Sim(checked, swimCluster(8, CONFIG), 0, (_from, _to, m) => m.kind !== 'join' && m.kind !== 'sync' && m.kind !== 'syncReply' && lost());
    sim.runUntil(20_000);
    sim.input('n5', { type: 'crash' });
    sim.runUntil(45_000);
    sim.input('n5', { type: 'restart' });
    sim.runUntil(70_000);
    expect(suspicionsSeen).toBeGreaterThan(0);
    expect(strays).toEqual([]);
  });
});
