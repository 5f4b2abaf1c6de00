import { describe, expect, it } from 'vitest';
import { memberNumber } from '../../impl/swim/member-index.js';
import { orderIds } from '../../impl/swim/probe-order.js';
import { aliveOf, nodeKnowing, recv } from './helpers.js';

describe('the probe order as member numbers', () => {
  it('takes a member numbered past 65,535 into an order made with 2-byte slots, leaving the older state as it was', () => {
    const before = nodeKnowing(4);
    const listed = orderIds(before.probeOrder);
    // Number enough ids (this process's table only grows) that the next one needs 4 bytes.
    for (let i = 0; i < 70_000; i++) memberNumber(`far-${i}`);
    const after = recv(before, 'n2', { kind: 'gossip', updates: [aliveOf('n99')] }).state;
    expect(orderIds(after.probeOrder).sort()).toEqual([...listed, 'n99'].sort());
    expect(orderIds(before.probeOrder)).toEqual(listed);
  });
});
