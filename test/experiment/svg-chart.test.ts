import { describe, expect, it } from 'vitest';
import { ChartError, escapeXml, formatNumber, lineChart, lineChartSvg, rangeChartSvg, stripChart } from '../../experiment/svg-chart.js';

const chart = {
  title: 'Convergence vs N',
  xLabel: 'nodes',
  yLabel: 'ms',
  logX: true,
  series: [
    { name: 'majority', points: [{ x: 10, y: 5 }, { x: 100, y: 50 }, { x: 50, y: 20 }] },
    { name: 'swim', points: [{ x: 10, y: 3 }, { x: 100, y: 9 }] },
  ],
};

describe('lineChartSvg', () => {
  it('gives the same bytes for the same data', () => {
    expect(lineChartSvg(chart)).toBe(lineChartSvg({ ...chart, series: chart.series.map((s) => ({ ...s })) }));
  });

  it('draws one polyline per series with points in x order, and names each in the legend', () => {
    const svg = lineChartSvg(chart);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    const first = /points="([^"]+)"/.exec(svg)?.[1].split(' ').map((p) => Number(p.split(',')[0])) ?? [];
    expect(first).toEqual([...first].sort((a, b) => a - b));
    expect(svg).toContain('>majority<');
    expect(svg).toContain('>swim<');
  });

  it('puts larger y values higher on the canvas', () => {
    const svg = lineChartSvg({ ...chart, series: [chart.series[1]] });
    const ys = [...svg.matchAll(/<circle cx="[^"]+" cy="([^"]+)"/g)].map((m) => Number(m[1]));
    expect(ys[1]).toBeLessThan(ys[0]);
  });

  it('escapes markup in titles and series names', () => {
    const svg = lineChartSvg({ ...chart, title: 'a < b & c', series: [{ name: '"x"', points: [{ x: 1, y: 1 }] }] });
    expect(svg).toContain('a &lt; b &amp; c');
    expect(svg).toContain('&quot;x&quot;');
    expect(svg).not.toContain('a < b');
  });

  it('refuses a chart with nothing to plot, naming the axis', () => {
    expect(() => lineChartSvg({ ...chart, series: [] })).toThrow(ChartError);
    expect(() => lineChartSvg({ ...chart, series: [{ name: 's', points: [{ x: 0, y: 1 }] }] })).toThrow(/x values \(a log axis needs values > 0\)/);
  });
});

describe('rangeChartSvg', () => {
  it('draws one row per distribution with its p50 tick inside its range', () => {
    const svg = rangeChartSvg({
      title: 'Detection',
      xLabel: 'ms',
      rows: [
        { label: 'swim', min: 100, p50: 500, p99: 900, max: 1000 },
        { label: 'majority', min: 2000, p50: 5000, p99: 7000, max: 7100 },
      ],
    });
    expect(svg.match(/stroke-width="8"/g)).toHaveLength(2);
    expect(svg).toContain('>majority<');
  });
});

describe('text helpers', () => {
  it('format numbers without exponents or locale separators', () => {
    expect(formatNumber(12345.6)).toBe('12346');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(0)).toBe('0');
  });
  it('escape the four characters that would break SVG text or attributes', () => {
    expect(escapeXml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});

describe('lineChart', () => {
  it('draws [x, y] pairs exactly as lineChartSvg draws the same points', () => {
    const pairs = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, 2], [3, 4]] }] });
    const objects = lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [{ x: 1, y: 2 }, { x: 3, y: 4 }] }] });
    expect(pairs).toBe(objects);
  });
});

describe('stripChart', () => {
  it('draws one dot per finite value and marks each group p50 and p99', () => {
    const svg = stripChart({ title: 'Detection', yLabel: 'ms', groups: [{ name: 'swim', values: [1, 2, 3, NaN] }, { name: 'majority', values: [10, 20] }] });
    expect(svg.match(/<circle/g)).toHaveLength(5);
    expect(svg.match(/>p50</g)).toHaveLength(2);
    expect(svg.match(/>p99</g)).toHaveLength(2);
  });

  it('places the p50 mark of the slower group higher', () => {
    const svg = stripChart({ title: 'D', yLabel: 'ms', groups: [{ name: 'a', values: [1, 1, 1] }, { name: 'b', values: [9, 9, 9] }] });
    const p50y = [...svg.matchAll(/y1="([^"]+)"[^>]*stroke-width="3"/g)].map((m) => Number(m[1]));
    expect(p50y[1]).toBeLessThan(p50y[0]);
  });

  it('refuses a chart without groups', () => {
    expect(() => stripChart({ title: 'x', yLabel: 'y', groups: [] })).toThrow(ChartError);
  });
});
