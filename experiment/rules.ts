/**
 * The decision rules and every threshold they use, in one file, fixed before the runs they judge
 * (prose twin: docs/rules.md; the report names the commit that last changed this file). The rules read
 * figures the facts layer took from valid runs (experiment/facts/) and return a typed verdict; they
 * know option names only through `incumbent`, never through a position in a list, so giving one
 * option's figures to another's label gives the verdict to that label.
 */

/** Inferno's code as it behaves: the option a move must beat, because a move costs a migration. */
export const INCUMBENT = 'inferno-current';

/** The options the experiment compares (issue 12); any subset may be judged. */
export const OPTIONS = ['inferno-current', 'swim', 'hybrid', 'majority-mesh', 'majority-hardened'] as const;

/** Results written before the options were renamed: today's `majority` is the `majority-mesh` variant. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = { majority: 'majority-mesh' };

export const optionName = (protocol: string): string => OPTION_ALIASES[protocol] ?? protocol;

/** What each figure is; the facts layer says which run and field it comes from (facts/metrics.ts). */
export type MetricId =
  | 'routing-crash'
  | 'routing-ready-false'
  | 'routing-join'
  | 'lb-crash'
  | 'false-removals'
  | 'false-removal-time'
  | 'partition-heal'
  | 'lb-traffic'
  | 'lb-memory'
  | 'backend-traffic'
  | 'backend-memory';

/**
 * `routing` rules decide: they are what an inference request meets (a load balancer routing to a dead
 * or unready backend, not routing to a new one, dropping a live one). `cost` rules can only stop a
 * move: a challenger that wins on routing still loses if it costs far more than the incumbent.
 */
export type RuleWeight = 'routing' | 'cost';

export interface Rule {
  readonly id: string;
  readonly metric: MetricId;
  readonly weight: RuleWeight;
  /** A gap under this fraction of the better figure is a tie. */
  readonly band: number;
  /** A gap under this absolute amount (in the metric's unit) is a tie, whatever its ratio. */
  readonly floor: number;
  readonly unit: 'ms' | 'removals' | 'B/node/s' | 'B/node';
  readonly statement: string;
}

/**
 * Thresholds, each with its reason.
 * - TIE_BAND 20 %: a smaller gap is what another seed or latency preset could reverse.
 * - TIMING_FLOOR 1 s: Inferno's records carry time in whole seconds (`last_updated`), its update
 *   retries start at 1 s and its health checks run every 5 s: a sub-second gap changes nothing a
 *   load balancer does.
 * - REMOVAL_FLOOR 1: removals are counted; one more false removal over a run is a difference.
 * - REMOVAL_TIME_FLOOR 5 s: one health-check period; a removal shorter than a period is what today's
 *   checks already do to a live backend that misses one check.
 * - COST_ALLOWANCE 2×: a challenger may cost up to twice the incumbent before cost counts against it,
 *   and only when the gap is also above the absolute floor below: a membership protocol that doubles a
 *   negligible figure is still negligible.
 * - TRAFFIC_FLOOR 10 kB/s per node: 0.008 % of a 1 Gb/s link, far below an inference response stream;
 *   beneath it no operator would see the difference.
 * - MEMORY_FLOOR 1 MB per node: below it the membership state is noise beside a load balancer's
 *   connection buffers or a backend's model weights.
 */
export const THRESHOLDS = {
  tieBand: 0.2,
  timingFloorMs: 1_000,
  removalFloor: 1,
  removalTimeFloorMs: 5_000,
  costAllowance: 1.0,
  trafficFloorBytesPerSec: 10_000,
  memoryFloorBytes: 1_000_000,
} as const;

const T = THRESHOLDS;
const pct = `${Math.round(T.tieBand * 100)} %`;
const timed = (id: string, metric: MetricId, what: string): Rule => ({
  id,
  metric,
  weight: 'routing',
  band: T.tieBand,
  floor: T.timingFloorMs,
  unit: 'ms',
  statement: `${what}: an option wins when it is at least ${pct} and ${T.timingFloorMs / 1000} s faster ("never" loses to any time)`,
});
const cost = (id: string, metric: MetricId, unit: 'B/node/s' | 'B/node', floor: number, what: string): Rule => ({
  id,
  metric,
  weight: 'cost',
  band: T.costAllowance,
  floor,
  unit,
  statement: `${what}: a challenger loses when it is at least ${1 + T.costAllowance}× the incumbent and ${unit === 'B/node' ? `${floor / 1e6} MB` : `${floor / 1000} kB/s`} more`,
});

/** The rules, in the order the report lists them. R0 (safety) is `SAFETY_RULE`. */
export const RULES: readonly Rule[] = [
  timed('R1', 'routing-crash', 'a backend crashes: time until no load balancer routes to it'),
  timed('R2', 'routing-ready-false', 'a backend reports ready: false: time until no load balancer routes to it'),
  timed('R3', 'routing-join', 'a new backend starts: time until every load balancer routes to it'),
  timed('R4', 'lb-crash', 'a load balancer crashes: time until every node that knows the load balancers has noticed ("nobody notices" is never)'),
  {
    id: 'R5',
    metric: 'false-removals',
    weight: 'routing',
    band: T.tieBand,
    floor: T.removalFloor,
    unit: 'removals',
    statement: `false removals (a load balancer stops routing to a live backend), summed over 5, 10, 20 and 30 % loss: an option wins with at least ${pct} and ${T.removalFloor} fewer`,
  },
  {
    id: 'R6',
    metric: 'false-removal-time',
    weight: 'routing',
    band: T.tieBand,
    floor: T.removalTimeFloorMs,
    unit: 'ms',
    statement: `the longest false removal over the loss sweep (one still standing counts to the end of its run): an option wins when its longest is at least ${pct} and ${T.removalTimeFloorMs / 1000} s shorter`,
  },
  timed('R7', 'partition-heal', 'load balancers cut from half the backends for 30 s: time from the heal until every load balancer routes to every live backend again'),
  cost('R8', 'lb-traffic', 'B/node/s', T.trafficFloorBytesPerSec, 'steady bytes sent per load balancer per second'),
  cost('R9', 'lb-memory', 'B/node', T.memoryFloorBytes, 'membership state per load balancer (encoded bytes)'),
  cost('R10', 'backend-traffic', 'B/node/s', T.trafficFloorBytesPerSec, 'steady bytes sent per backend per second'),
  cost('R11', 'backend-memory', 'B/node', T.memoryFloorBytes, 'membership state per backend (encoded bytes)'),
];

export const SAFETY_RULE = {
  id: 'R0',
  statement:
    'safety first: an option the model checker shows violating an `always` property (under the timing the property assumes) is not chosen over one without such a violation; an option the checker has not judged is not excluded, and the report lists it as a risk',
} as const;

/** One option's figures: per metric, per cluster size, the figure (null: never within the run). */
export type OptionFigures = Readonly<Partial<Record<MetricId, Readonly<Record<number, number | null>>>>>;

export interface RuleInput {
  readonly incumbent: string;
  readonly figures: Readonly<Record<string, OptionFigures>>;
  /** Counted safety violations per option (property names); null: the checker has not judged it. */
  readonly safety: Readonly<Record<string, readonly string[] | null>>;
}

/** Which side of a pair a comparison favours; `a` is the first option of the pair. */
export type Comparison = 'a' | 'b' | 'tie' | 'no data';

/**
 * Lower is better. Null (never within the run) loses to any figure and ties with another null; a
 * missing figure is no data. A cost rule only ever finds against the challenger (`b`).
 */
export function compare(rule: Rule, a: number | null | undefined, b: number | null | undefined): Comparison {
  if (a === undefined || b === undefined) return 'no data';
  if (a === null && b === null) return 'tie';
  if (a === null) return rule.weight === 'cost' ? 'tie' : 'b';
  if (b === null) return 'a';
  if (Math.abs(a - b) < rule.floor) return 'tie';
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (hi < lo * (1 + rule.band)) return 'tie';
  if (rule.weight === 'cost') return b > a ? 'a' : 'tie';
  return a < b ? 'a' : 'b';
}

export interface RuleRow {
  readonly rule: string;
  readonly n: number;
  readonly a: number | null | undefined;
  readonly b: number | null | undefined;
  readonly result: Comparison;
}

/** A challenger against the incumbent at every size both measured: the rows and what they add up to. */
export interface Challenge {
  readonly challenger: string;
  readonly rows: readonly RuleRow[];
  /** Sizes at which both options have every routing figure. */
  readonly judgedSizes: readonly number[];
  /** Sizes at which the challenger wins a routing rule and loses no rule. */
  readonly qualifiesAt: readonly number[];
  /** Smallest judged N from which it qualifies at every larger judged N; null: not at the largest. */
  readonly fromN: number | null;
  readonly excludedBySafety: boolean;
}

export type Decision =
  | { readonly kind: 'keep'; readonly option: string; readonly why: string }
  | { readonly kind: 'move'; readonly option: string; readonly fromN: number | null; readonly why: string }
  | { readonly kind: 'tie'; readonly options: readonly string[]; readonly why: string };

export interface Verdict {
  readonly decision: Decision;
  readonly challenges: readonly Challenge[];
  /** Options with a counted safety violation, and options the checker has not judged. */
  readonly unsafe: readonly string[];
  readonly unchecked: readonly string[];
  /** Pairwise routing wins between qualifying challengers (a over b), when more than one qualified. */
  readonly runoff: readonly { readonly a: string; readonly b: string; readonly aWins: number; readonly bWins: number }[];
}

const routing = RULES.filter((r) => r.weight === 'routing');

function sizesOf(f: OptionFigures): number[] {
  return [...new Set(Object.values(f).flatMap((m) => Object.keys(m ?? {}).map(Number)))];
}

/** Sizes at which both options have every routing figure (a size one of them lacks is no evidence). */
function commonSizes(a: OptionFigures, b: OptionFigures): number[] {
  const has = (f: OptionFigures, n: number) => routing.every((r) => f[r.metric]?.[n] !== undefined);
  return sizesOf(a)
    .filter((n) => has(a, n) && has(b, n))
    .sort((x, y) => x - y);
}

function rowsOf(a: OptionFigures, b: OptionFigures, sizes: readonly number[], rules: readonly Rule[]): RuleRow[] {
  return sizes.flatMap((n) =>
    rules.map((rule) => {
      const x = a[rule.metric]?.[n];
      const y = b[rule.metric]?.[n];
      return { rule: rule.id, n, a: x, b: y, result: compare(rule, x, y) };
    }),
  );
}

function challenge(input: RuleInput, challenger: string, unsafe: ReadonlySet<string>): Challenge {
  const inc = input.figures[input.incumbent] ?? {};
  const ch = input.figures[challenger] ?? {};
  const judgedSizes = commonSizes(inc, ch);
  const rows = rowsOf(inc, ch, judgedSizes, RULES);
  const isRouting = new Set(routing.map((r) => r.id));
  const qualifiesAt = judgedSizes.filter((n) => {
    const at = rows.filter((r) => r.n === n);
    // A safe challenger against an incumbent that violates safety needs no routing win, only no loss.
    const needsWin = !unsafe.has(input.incumbent);
    const wins = at.some((r) => isRouting.has(r.rule) && r.result === 'b');
    return (!needsWin || wins) && !at.some((r) => r.result === 'a');
  });
  let fromN: number | null = null;
  for (let i = judgedSizes.length - 1; i >= 0 && qualifiesAt.includes(judgedSizes[i]); i--) fromN = judgedSizes[i];
  return { challenger, rows, judgedSizes, qualifiesAt, fromN, excludedBySafety: unsafe.has(challenger) && !unsafe.has(input.incumbent) };
}

/** Routing wins of a over b at the sizes both measured: how the runoff between challengers counts. */
function routingWins(input: RuleInput, a: string, b: string): { aWins: number; bWins: number } {
  const fa = input.figures[a] ?? {};
  const fb = input.figures[b] ?? {};
  const rows = rowsOf(fa, fb, commonSizes(fa, fb), routing);
  return { aWins: rows.filter((r) => r.result === 'a').length, bWins: rows.filter((r) => r.result === 'b').length };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function judge(input: RuleInput): Verdict {
  const options = Object.keys(input.figures).sort(byName);
  const unsafe = new Set(options.filter((o) => (input.safety[o] ?? []).length > 0));
  const unchecked = options.filter((o) => input.safety[o] === null || input.safety[o] === undefined);
  const challenges = options.filter((o) => o !== input.incumbent).map((o) => challenge(input, o, unsafe));
  const qualified = challenges.filter((c) => c.fromN !== null && !c.excludedBySafety);
  const verdict = (decision: Decision, runoff: Verdict['runoff'] = []): Verdict => ({ decision, challenges, unsafe: [...unsafe], unchecked, runoff });
  if (!options.includes(input.incumbent)) {
    return verdict({ kind: 'keep', option: input.incumbent, why: `${input.incumbent} was not measured: no move can be judged against it` });
  }
  if (qualified.length === 0) {
    const why = unsafe.has(input.incumbent)
      ? `${input.incumbent} violates ${input.safety[input.incumbent]!.join(', ')} in the checker, but no safe challenger measured without losing a rule`
      : 'no challenger wins a routing rule without losing another rule at the largest sizes measured';
    return verdict({ kind: 'keep', option: input.incumbent, why });
  }
  if (qualified.length === 1) {
    const c = qualified[0];
    return verdict({ kind: 'move', option: c.challenger, fromN: c.fromN, why: `${c.challenger} wins a routing rule and loses none from N = ${c.fromN} on` });
  }
  // Several qualify: the one that beats each other qualifier on more routing rows than it loses.
  const runoff = qualified.flatMap((x, i) => qualified.slice(i + 1).map((y) => ({ a: x.challenger, b: y.challenger, ...routingWins(input, x.challenger, y.challenger) })));
  const beats = (x: string, y: string): boolean =>
    runoff.some((r) => (r.a === x && r.b === y && r.aWins > r.bWins) || (r.a === y && r.b === x && r.bWins > r.aWins));
  const winners = qualified.filter((x) => qualified.every((y) => y === x || beats(x.challenger, y.challenger)));
  if (winners.length === 1) {
    const c = winners[0];
    return verdict({ kind: 'move', option: c.challenger, fromN: c.fromN, why: `${c.challenger} qualifies against ${input.incumbent} and beats every other qualifying challenger on routing rules` }, runoff);
  }
  return verdict({ kind: 'tie', options: qualified.map((c) => c.challenger), why: 'several challengers qualify and the routing rules do not separate them' }, runoff);
}

/** A change to the rules after results existed: when, what, and the verdict they gave before it. */
export interface RuleChange {
  readonly date: string;
  readonly change: string;
  readonly verdictBefore: string;
  /** Whether results the change could have been fitted to existed when it was made. */
  readonly afterResults: boolean;
}

export const RULE_HISTORY: readonly RuleChange[] = [
  {
    date: '2026-11-25',
    change: 'recommend.ts: a 1 s timing floor added to the convergence and detection rules (R2, R3 of that file)',
    verdictBefore: 'R2 decided update convergence on 0.9 ms against 0.6 s (its comment says so); the decision sentence of that run was not kept',
    afterResults: true,
  },
  {
    date: '2026-12-06',
    change:
      'recommend.ts (two protocols: update convergence, crash detection by every node, steady bytes per node, checker safety) replaced by rules.ts: N options against the incumbent inferno-current, routing rules read at the load balancers (crash, ready: false, join, load-balancer crash, false removals and their length under loss, partition heal), traffic and memory separately at load balancers and backends as costs',
    verdictBefore:
      'Choose swim over majority for clusters of N ≥ 10 (R3 crash detection: swim 9454.9 ms against never; R4 steady traffic 53.7 against 478 B/node/s; R1: majority violates noRegression, orderIndependence), from docs/decision.md at commit 7439104',
    afterResults: true,
  },
];
