/**
 * Deadlock detection (checker/deadlock.ts): a reachable state with no enabled step that the model
 * does not declare final is a violation named 'deadlock', with its shortest trace; a declared final
 * state is not one; --no-deadlock (deadlock: false) turns it off; a model kept live by timers has none.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import requestAck from '../../examples/request-ack/model.js';
import { countersProtocol } from '../../model/counters/index.js';

const statuses = (r: ReturnType<typeof check>) => r.verdicts.map((v) => [v.property, v.status]);

describe('deadlock detection', () => {
  it('catches the client stuck after its retries are spent and both copies were lost, with a shortest trace', () => {
    const r = check(requestAck, { faults: ['loss'] });
    const d = r.verdicts.find((v) => v.property === 'deadlock');
    expect(d?.status).toBe('violated');
    expect(d?.expected).toBeUndefined();
    // init sends request 1; the retry resends it; both copies are lost.
    expect(d!.trace!.steps.length - 1).toBe(4);
    expect(d!.trace!.violation.detail).toMatch(/no step is enabled .* up: n1, n2/);
    expect(r.coverage.complete).toBe(true);
  });

  it('is off with deadlock: false (--no-deadlock), and the other verdicts stay as they were', () => {
    const on = check(requestAck, { faults: ['loss'] });
    const off = check(requestAck, { faults: ['loss'], deadlock: false });
    expect(statuses(off)).toEqual(statuses(on).filter(([p]) => p !== 'deadlock'));
    expect(off.stats.distinct).toBe(on.stats.distinct);
  });

  it('does not call a declared final state a deadlock (the client done), but does when isFinal is absent', () => {
    expect(statuses(check(requestAck, {}))).toEqual([['appliedOnce', 'holds'], ['ackFollowsApply', 'holds'], ['allApplied', 'holds'], ['clientDone', 'reached']]);
    const { isFinal: _final, ...undeclared } = requestAck;
    const r = check(undeclared, {});
    expect(r.verdicts.find((v) => v.property === 'deadlock')?.status).toBe('violated');
  });

  it('finds it depth-first too, and not by random walks (which say so in the options they ran with)', () => {
    expect(check(requestAck, { faults: ['loss'], strategy: 'dfs' }).verdicts.some((v) => v.property === 'deadlock')).toBe(true);
    expect(check(requestAck, { faults: ['loss'], strategy: 'random', walks: 50 }).verdicts.some((v) => v.property === 'deadlock')).toBe(false);
  });

  it('finds none in a model its timers keep live (counters), so its verdict table is unchanged', () => {
    expect(statuses(check(countersProtocol(3), { nodes: 2 }))).toEqual([['inRange', 'holds'], ['allAtTop', 'reached']]);
  });

  it("refuses a model whose own property is named 'deadlock' unless detection is off", () => {
    const clash = { ...requestAck, properties: [{ ...requestAck.properties[0], name: 'deadlock' }] };
    expect(() => check(clash, {})).toThrow(/rename it, or pass --no-deadlock/);
    expect(check(clash, { deadlock: false }).verdicts[0].status).toBe('holds');
  });
});
