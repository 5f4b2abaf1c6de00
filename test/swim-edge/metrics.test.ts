/** Node metrics: counters with and without labels add up, and every series is rendered once. */
import { describe, expect, it } from 'vitest';
import { METRIC_PREFIX, Metrics } from '../../impl/swim/metrics.js';

describe('metrics', () => {
  it('adds up an unlabelled counter and renders it once', () => {
    const m = new Metrics();
    m.inc('packets_in_total');
    m.inc('packets_in_total', 4);
    m.inc('packets_in_total', 2, {});
    expect(m.get('packets_in_total')).toBe(7);
    const lines = m.render().split('\n').filter((l) => l.startsWith(`${METRIC_PREFIX}packets_in_total`));
    expect(lines).toEqual([`${METRIC_PREFIX}packets_in_total 7`]);
  });

  it('keeps labelled series apart from the unlabelled one', () => {
    const m = new Metrics();
    m.inc('packets_dropped_total', 1, { reason: 'truncated' });
    m.inc('packets_dropped_total', 2, { reason: 'truncated' });
    m.inc('packets_dropped_total', 5, { reason: 'malformed' });
    expect(m.get('packets_dropped_total', { reason: 'truncated' })).toBe(3);
    expect(m.get('packets_dropped_total', { reason: 'malformed' })).toBe(5);
    expect(m.total('packets_dropped_total')).toBe(8);
  });

  it('a gauge set after counting in place is what is read and rendered', () => {
    const m = new Metrics();
    m.inc('bytes_out_total', 10);
    m.set('bytes_out_total', 3);
    m.inc('bytes_out_total', 1);
    expect(m.get('bytes_out_total')).toBe(4);
    expect(m.render()).toContain(`${METRIC_PREFIX}bytes_out_total 4\n`);
  });
});
