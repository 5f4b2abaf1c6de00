/**
 * A small SVG writer for the report's charts: line charts (a metric against cluster size or loss)
 * and range charts (a distribution per category: min, p50, p99, max). Output is plain text with fixed
 * number formatting, so the same data always gives the same bytes and the committed charts diff
 * cleanly when regenerated.
 */
import { AliceError } from '../spec/errors.js';

export class ChartError extends AliceError {
  constructor(message: string) {
    super('CHART', message);
  }
}

export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Log scales suit cluster sizes 10..10,000 and metrics spanning orders of magnitude. */
  readonly logX?: boolean;
  readonly logY?: boolean;
}

export interface RangeRow {
  readonly label: string;
  readonly min: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface RangeChart {
  readonly title: string;
  readonly xLabel: string;
  readonly rows: readonly RangeRow[];
}

/** Canvas size and margins, px: wide enough for a legend of four series beside the plot. */
const W = 640;
const H = 360;
const M = { left: 70, right: 150, top: 40, bottom: 50 } as const;
/** Colour-blind-safe palette (Okabe–Ito), so series stay distinguishable in print and on screen. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Fixed, locale-free formatting: three significant digits, no exponent for the ranges charts use. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

const f = (v: number): string => v.toFixed(1);

interface Axis {
  readonly lo: number;
  readonly hi: number;
  readonly log: boolean;
}

function axis(values: readonly number[], log: boolean, name: string): Axis {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) throw new ChartError(`no plottable ${name} values${log ? ' (a log axis needs values > 0)' : ''}`);
  let lo = Math.min(...usable);
  let hi = Math.max(...usable);
  if (!log) lo = Math.min(0, lo);
  if (lo === hi) hi = log ? lo * 10 : lo + 1;
  return { lo, hi, log };
}

function project(a: Axis, v: number, from: number, to: number): number {
  const t = a.log ? (Math.log10(v) - Math.log10(a.lo)) / (Math.log10(a.hi) - Math.log10(a.lo)) : (v - a.lo) / (a.hi - a.lo);
  return from + t * (to - from);
}

function ticks(a: Axis): number[] {
  if (a.log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(a.lo)); e <= Math.ceil(Math.log10(a.hi)); e++) {
      const v = 10 ** e;
      if (v >= a.lo * 0.999 && v <= a.hi * 1.001) out.push(v);
    }
    return out.length > 0 ? out : [a.lo, a.hi];
  }
  return [0, 1, 2, 3, 4].map((i) => a.lo + ((a.hi - a.lo) * i) / 4);
}

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `<text x="${M.left + (W - M.left - M.right) / 2}" y="${H - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    yLabel ? `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${escapeXml(yLabel)}</text>` : '',
    ...body,
    '</svg>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export function lineChartSvg(chart: LineChart): string {
  if (chart.series.length === 0) throw new ChartError(`chart "${chart.title}" has no series`);
  const pts = chart.series.flatMap((s) => s.points);
  const xa = axis(pts.map((p) => p.x), chart.logX ?? false, 'x');
  const ya = axis(pts.map((p) => p.y), chart.logY ?? false, 'y');
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  const y1 = M.top;
  const body: string[] = [`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`, `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`];
  for (const t of ticks(xa)) {
    const x = f(project(xa, t, x0, x1));
    body.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 4}" stroke="#333"/><text x="${x}" y="${y0 + 17}" text-anchor="middle">${formatNumber(t)}</text>`);
  }
  for (const t of ticks(ya)) {
    const y = f(project(ya, t, y0, y1));
    body.push(`<line x1="${x0 - 4}" y1="${y}" x2="${x1}" y2="${y}" stroke="#ddd"/><text x="${x0 - 7}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatNumber(t)}</text>`);
  }
  chart.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const usable = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!xa.log || p.x > 0) && (!ya.log || p.y > 0));
    const coords = [...usable].sort((a, b) => a.x - b.x).map((p) => `${f(project(xa, p.x, x0, x1))},${f(project(ya, p.y, y0, y1))}`);
    if (coords.length > 1) body.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${coords.join(' ')}"/>`);
    for (const c of coords) {
      const [cx, cy] = c.split(',');
      body.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
    }
    const ly = M.top + 10 + i * 18;
    body.push(`<rect x="${x1 + 12}" y="${ly - 5}" width="12" height="3" fill="${colour}"/><text x="${x1 + 30}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  return frame(chart.title, chart.xLabel, chart.yLabel, body);
}

/** One horizontal bar per row from min to max, a thick band from p50 to p99, a tick at p50. */
export function rangeChartSvg(chart: RangeChart): string {
  if (chart.rows.length === 0) throw new ChartError(`chart "${chart.title}" has no rows`);
  const xa = axis(chart.rows.flatMap((r) => [r.min, r.max]), false, 'x');
  const x0 = M.left + 80;
  const x1 = W - 30;
  const band = (H - M.top - M.bottom) / chart.rows.length;
  const body: string[] = [];
  for (const t of ticks(xa)) {
    const x = f(project(xa, t, x0, x1));
    body.push(`<line x1="${x}" y1="${M.top}" x2="${x}" y2="${H - M.bottom}" stroke="#ddd"/><text x="${x}" y="${H - M.bottom + 17}" text-anchor="middle">${formatNumber(t)}</text>`);
  }
  chart.rows.forEach((r, i) => {
    const y = M.top + band * (i + 0.5);
    const colour = COLOURS[i % COLOURS.length];
    const p = (v: number): string => f(project(xa, v, x0, x1));
    body.push(`<text x="${x0 - 8}" y="${f(y)}" text-anchor="end" dominant-baseline="middle">${escapeXml(r.label)}</text>`);
    body.push(`<line x1="${p(r.min)}" y1="${f(y)}" x2="${p(r.max)}" y2="${f(y)}" stroke="${colour}" stroke-width="1"/>`);
    body.push(`<line x1="${p(r.p50)}" y1="${f(y)}" x2="${p(r.p99)}" y2="${f(y)}" stroke="${colour}" stroke-width="8"/>`);
    body.push(`<line x1="${p(r.p50)}" y1="${f(y - 8)}" x2="${p(r.p50)}" y2="${f(y + 8)}" stroke="#000" stroke-width="2"/>`);
  });
  return frame(chart.title, chart.xLabel, '', body);
}

/** The simpler call the report uses: points as [x, y] pairs. */
export function lineChart(chart: {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly series: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[];
}): string {
  return lineChartSvg({ ...chart, series: chart.series.map((s) => ({ name: s.name, points: s.points.map(([x, y]) => ({ x, y })) })) });
}

/**
 * Every observed value of each group as a dot in its own column (a strip plot), with the group's
 * p50 and p99 marked: for distributions of a few hundred values, such as detection times, where a
 * reader should see the outliers themselves rather than a summary.
 */
export function stripChart(chart: {
  readonly title: string;
  readonly yLabel: string;
  readonly groups: readonly { readonly name: string; readonly values: readonly number[] }[];
}): string {
  if (chart.groups.length === 0) throw new ChartError(`chart "${chart.title}" has no groups`);
  const ya = axis(chart.groups.flatMap((g) => g.values), false, 'y');
  const x0 = M.left;
  const x1 = W - 30;
  const y0 = H - M.bottom;
  const y1 = M.top;
  const col = (x1 - x0) / chart.groups.length;
  const body: string[] = [`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`, `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`];
  for (const t of ticks(ya)) {
    const y = f(project(ya, t, y0, y1));
    body.push(`<line x1="${x0 - 4}" y1="${y}" x2="${x1}" y2="${y}" stroke="#ddd"/><text x="${x0 - 7}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatNumber(t)}</text>`);
  }
  chart.groups.forEach((g, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const cx = x0 + col * (i + 0.5);
    body.push(`<text x="${f(cx)}" y="${y0 + 17}" text-anchor="middle">${escapeXml(g.name)}</text>`);
    const values = g.values.filter(Number.isFinite);
    const sorted = [...values].sort((a, b) => a - b);
    // A fixed spread by rank (not random jitter) keeps the output deterministic and dots apart.
    sorted.forEach((v, k) => {
      const dx = ((k % 7) - 3) * Math.min(4, col / 20);
      body.push(`<circle cx="${f(cx + dx)}" cy="${f(project(ya, v, y0, y1))}" r="2" fill="${colour}" fill-opacity="0.6"/>`);
    });
    if (sorted.length > 0) {
      const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
      for (const [p, w] of [
        [50, 3],
        [99, 1.5],
      ] as const) {
        const y = f(project(ya, rank(p), y0, y1));
        body.push(`<line x1="${f(cx - col / 4)}" y1="${y}" x2="${f(cx + col / 4)}" y2="${y}" stroke="#000" stroke-width="${w}"/><text x="${f(cx + col / 4 + 3)}" y="${y}" dominant-baseline="middle" font-size="10">p${p}</text>`);
      }
    }
  });
  return frame(chart.title, '', chart.yLabel, body);
}
