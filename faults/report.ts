/**
 * Judgement and presentation of a fault run, kept pure: scenarios return typed results, `summarize`
 * adds them up, `verdicts` applies the suite's written rules, `table` formats. Nothing here touches a
 * process or a namespace, so test/faults/report.test.ts checks it directly.
 *
 * The rules (the run exits 1 if one fails):
 *  - no live member is lost permanently: after every fault is healed, every live agent holds every
 *    live member alive at its current address, within the scenario's settle bound;
 *  - no false death after heal: at the end of every settle window no live agent holds a live member
 *    dead, suspect, left or missing;
 *  - every crash is detected: each kill -9 and each kill -STOP ends with every other live agent
 *    having printed `failed` for it within the detection bound.
 * False failures under loss are measured and reported, not judged: the target is 0 and the figure is
 * what the network and the machine's load gave.
 */

export interface ScenarioResult {
  readonly name: string;
  /** What was done, in words a reader can repeat. */
  readonly what: string;
  readonly agents: number;
  readonly faults: number;
  readonly crashesInjected: number;
  readonly crashesDetected: number;
  /** Per detected crash: ms from the fault until the last live agent printed `failed`. */
  readonly detectionMs: readonly number[];
  /** `failed` events about members no fault made unreachable from that observer. */
  readonly falseFailures: number;
  /** `suspected` events about such members (refuted suspicions included): the noise under the figure. */
  readonly falseSuspicions: number;
  /** ms from the heal (or restart) until every live agent agreed; undefined when none was needed. */
  readonly remergeMs?: number;
  readonly lostPermanently: readonly string[];
  readonly falseDeathsAfterHeal: number;
  /** Loss percent, for the loss scenarios. */
  readonly lossPercent?: number;
  readonly durationMs: number;
  readonly notes: readonly string[];
}

export interface Summary {
  readonly scenarios: number;
  readonly faultsInjected: number;
  readonly membersLostPermanently: number;
  readonly falseDeathsAfterHeal: number;
  readonly crashesInjected: number;
  readonly crashesDetected: number;
  readonly detectionMsMax?: number;
  readonly remergeMsMax?: number;
  /** loss percent -> false failures at it. */
  readonly lossFalseFailures: Readonly<Record<string, number>>;
  readonly falseFailuresOutsideLoss: number;
}

export function summarize(results: readonly ScenarioResult[]): Summary {
  const lost = new Set<string>();
  const loss: Record<string, number> = {};
  let outside = 0;
  const detections = results.flatMap((r) => r.detectionMs);
  const remerges = results.flatMap((r) => (r.remergeMs !== undefined ? [r.remergeMs] : []));
  for (const r of results) {
    for (const m of r.lostPermanently) lost.add(m);
    if (r.lossPercent !== undefined) loss[`${r.lossPercent}`] = (loss[`${r.lossPercent}`] ?? 0) + r.falseFailures;
    else outside += r.falseFailures;
  }
  return {
    scenarios: results.length,
    faultsInjected: results.reduce((n, r) => n + r.faults, 0),
    membersLostPermanently: lost.size,
    falseDeathsAfterHeal: results.reduce((n, r) => n + r.falseDeathsAfterHeal, 0),
    crashesInjected: results.reduce((n, r) => n + r.crashesInjected, 0),
    crashesDetected: results.reduce((n, r) => n + r.crashesDetected, 0),
    ...(detections.length > 0 ? { detectionMsMax: Math.max(...detections) } : {}),
    ...(remerges.length > 0 ? { remergeMsMax: Math.max(...remerges) } : {}),
    lossFalseFailures: loss,
    falseFailuresOutsideLoss: outside,
  };
}

export interface Verdict {
  readonly rule: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function verdicts(s: Summary, failures: readonly string[] = []): Verdict[] {
  return [
    { rule: 'members lost permanently = 0', ok: s.membersLostPermanently === 0, detail: `${s.membersLostPermanently}` },
    { rule: 'false deaths after heal = 0', ok: s.falseDeathsAfterHeal === 0, detail: `${s.falseDeathsAfterHeal}` },
    { rule: 'every crash detected', ok: s.crashesDetected === s.crashesInjected, detail: `${s.crashesDetected} of ${s.crashesInjected}` },
    { rule: 'every scenario ran to its end', ok: failures.length === 0, detail: failures.length === 0 ? 'yes' : failures.join('; ') },
  ];
}

export function percentile(xs: readonly number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : `${(v / 1000).toFixed(1)} s`);

function row(cells: readonly string[], widths: readonly number[]): string {
  return `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
}

/** A Markdown table, one row per scenario, then the summary and the verdicts. */
export function table(results: readonly ScenarioResult[], s: Summary, v: readonly Verdict[]): string {
  const head = ['scenario', 'agents', 'faults', 'crashes detected', 'detection p50 / max', 'false failures', 'false suspicions', 're-merge', 'lost', 'false deaths after heal'];
  const rows = results.map((r) => [
    r.name,
    `${r.agents}`,
    `${r.faults}`,
    r.crashesInjected > 0 ? `${r.crashesDetected}/${r.crashesInjected}` : '–',
    r.detectionMs.length > 0 ? `${ms(percentile(r.detectionMs, 50))} / ${ms(Math.max(...r.detectionMs))}` : '–',
    `${r.falseFailures}`,
    `${r.falseSuspicions}`,
    ms(r.remergeMs),
    `${r.lostPermanently.length}`,
    `${r.falseDeathsAfterHeal}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const lines = [row(head, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => row(r, widths))];
  const loss = Object.entries(s.lossFalseFailures)
    .map(([p, n]) => `${p} %: ${n}`)
    .join(', ');
  lines.push(
    '',
    `faults injected ${s.faultsInjected}; members lost permanently ${s.membersLostPermanently}; false deaths after heal ${s.falseDeathsAfterHeal}; crashes detected ${s.crashesDetected}/${s.crashesInjected} (slowest ${ms(s.detectionMsMax)}); slowest re-merge ${ms(s.remergeMsMax)}; false failures under loss ${loss || '–'}, elsewhere ${s.falseFailuresOutsideLoss}`,
    ...v.map((x) => `${x.ok ? 'ok  ' : 'FAIL'} ${x.rule}: ${x.detail}`),
  );
  for (const r of results) for (const n of r.notes) lines.push(`note (${r.name}): ${n}`);
  return lines.join('\n');
}
