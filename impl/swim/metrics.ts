/**
 * Counters and gauges for a SWIM node, rendered as Prometheus text exposition (version 0.0.4).
 * Every metric is declared once with its help text, so /metrics lists it (at 0) before it first moves:
 * an absent series and a zero are different things to an alert rule.
 */
import type { MemberStatus } from '../../spec/view.js';
import { MEMBER_STATUSES } from '../../spec/view.js';

type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly series: Map<string, { labels: Labels; value: number }>;
  /** The series without labels, once it exists: the per-packet counters skip building a key. */
  plain: { labels: Labels; value: number } | undefined;
}

export const METRIC_PREFIX = 'alice_swim_';

const DECLARED: readonly [string, 'counter' | 'gauge', string][] = [
  ['probes_total', 'counter', 'Direct probes (pings) sent to members.'],
  ['indirect_probes_total', 'counter', 'Indirect probes (ping-req) sent to helpers.'],
  ['acks_received_total', 'counter', 'Acks received.'],
  ['nacks_received_total', 'counter', 'Nacks received from helpers (Lifeguard).'],
  ['suspicions_total', 'counter', 'Members this node marked suspect.'],
  ['failures_total', 'counter', 'Members this node marked failed (dead).'],
  ['refutations_total', 'counter', 'Times this node refuted its own suspicion or death.'],
  ['packets_in_total', 'counter', 'Datagrams and stream frames received.'],
  ['packets_out_total', 'counter', 'Datagrams and stream frames sent.'],
  ['bytes_in_total', 'counter', 'Bytes received, authentication overhead included.'],
  ['bytes_out_total', 'counter', 'Bytes sent, authentication overhead included.'],
  ['packets_dropped_total', 'counter', 'Received packets dropped, by reason.'],
  ['send_errors_total', 'counter', 'Sends the socket refused or the address book could not route.'],
  ['members', 'gauge', 'Members this node knows, by state (itself included).'],
];

export class Metrics {
  private readonly families = new Map<string, Family>();

  constructor() {
    for (const [name, type, help] of DECLARED) this.families.set(name, { name, help, type, series: new Map(), plain: undefined });
    for (const status of MEMBER_STATUSES) this.set('members', 0, { state: status });
    this.inc('packets_dropped_total', 0);
  }

  private family(name: string): Family {
    const f = this.families.get(name);
    if (f === undefined) throw new RangeError(`metric ${name} is not declared in impl/swim/metrics.ts`);
    return f;
  }

  inc(name: string, by = 1, labels?: Labels): void {
    const f = this.family(name);
    if (labels === undefined) {
      // Counted on every datagram: no label key to build.
      if (f.plain === undefined) f.series.set('', (f.plain = f.series.get('') ?? { labels: {}, value: 0 }));
      f.plain.value += by;
      return;
    }
    const key = labelText(labels);
    const s = f.series.get(key);
    if (s) s.value += by;
    else f.series.set(key, { labels, value: by });
  }

  set(name: string, value: number, labels: Labels = {}): void {
    const f = this.family(name);
    const key = labelText(labels);
    const s = f.series.get(key);
    // Updated in place, so the unlabelled series inc() holds stays the one listed.
    if (s) s.value = value;
    else f.series.set(key, { labels, value });
  }

  get(name: string, labels: Labels = {}): number {
    return this.family(name).series.get(labelText(labels))?.value ?? 0;
  }

  /** Sum over every label set of a metric (e.g. all drop reasons). */
  total(name: string): number {
    let t = 0;
    for (const s of this.family(name).series.values()) t += s.value;
    return t;
  }

  setMembers(counts: Readonly<Record<MemberStatus, number>>): void {
    for (const status of MEMBER_STATUSES) this.set('members', counts[status], { state: status });
  }

  /** Prometheus text exposition. */
  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      const full = METRIC_PREFIX + f.name;
      lines.push(`# HELP ${full} ${f.help}`, `# TYPE ${full} ${f.type}`);
      for (const [key, s] of [...f.series].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (key === '' && f.series.size > 1 && s.value === 0) continue;
        lines.push(`${full}${key} ${s.value}`);
      }
    }
    return lines.join('\n') + '\n';
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(',')}}`;
}
