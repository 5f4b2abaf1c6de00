/**
 * What a SPIN verifier (`./pan`) printed, read into numbers: the state and transition counts, the
 * depth, the errors, whether the search completed, and the first error's depth. Pure, so the parse is
 * tested on captured output (test/bench/spin-diff.test.ts) without SPIN installed.
 */

export interface PanReport {
  readonly stored: number;
  readonly matched: number;
  /** pan prints stored + matched: one per step taken, plus one for the initial state. */
  readonly transitions: number;
  readonly atomicSteps: number;
  readonly depthReached: number;
  readonly errors: number;
  readonly stateVectorBytes: number;
  /** Partial-order reduction was compiled in (pan says "+ Partial Order Reduction"). */
  readonly partialOrderReduction: boolean;
  readonly breadthFirst: boolean;
  /** Every reachable state was explored: pan said neither "Search not completed" (it stopped at an error) nor "max search depth too small". */
  readonly completed: boolean;
  /** "max search depth too small": states beyond -m were left unexplored. */
  readonly depthTooSmall: boolean;
  /** The first error pan reported, as printed, and the depth it names (0-based: the state the failing step left). */
  readonly firstError?: { readonly text: string; readonly depth: number };
  /** pan's own elapsed time, seconds (printed with 2 decimals at most). */
  readonly elapsedSec?: number;
  readonly totalMemoryMB?: number;
}

export class PanOutputError extends Error {
  constructor(what: string, output: string) {
    super(`pan output has no ${what}; it printed:\n${output.trim().split('\n').slice(0, 30).join('\n')}`);
  }
}

/** pan prints counts with %9.8g, so from 10^8 on a count has exponent form and only 8 digits. */
function count(text: string, re: RegExp, what: string, output: string): number {
  const m = re.exec(text);
  if (!m) throw new PanOutputError(what, output);
  const v = Number(m[1]);
  if (!Number.isFinite(v)) throw new PanOutputError(`number for ${what} (got '${m[1]}')`, output);
  if (/e/i.test(m[1])) throw new PanOutputError(`exact ${what} (pan printed '${m[1]}', rounded to 8 digits)`, output);
  return v;
}

const NUM = '([0-9][0-9.eE+]*)';

export function parsePanOutput(output: string): PanReport {
  const header = /State-vector ([0-9]+) byte, depth reached ([0-9]+), errors: ([0-9]+)/.exec(output);
  if (!header) throw new PanOutputError("'State-vector … depth reached … errors:' line", output);
  const err = /^pan:\d+: (.*?)(?: \(at depth (\d+)\))?$/m.exec(output);
  const elapsed = /pan: elapsed time ([0-9.eE+]+) seconds/.exec(output);
  const memory = /([0-9.]+)\s+total actual memory usage/.exec(output);
  return {
    stored: count(output, new RegExp(`^\\s*${NUM} states, stored`, 'm'), 'states, stored', output),
    matched: count(output, new RegExp(`^\\s*${NUM} states, matched`, 'm'), 'states, matched', output),
    transitions: count(output, new RegExp(`^\\s*${NUM} transitions \\(= stored\\+matched\\)`, 'm'), 'transitions', output),
    atomicSteps: count(output, new RegExp(`^\\s*${NUM} atomic steps`, 'm'), 'atomic steps', output),
    stateVectorBytes: Number(header[1]),
    depthReached: Number(header[2]),
    errors: Number(header[3]),
    partialOrderReduction: /\+ Partial Order Reduction/.test(output),
    breadthFirst: /\+ Breadth-First Search/.test(output),
    completed: !/Search not completed/.test(output) && !/max search depth too small/.test(output),
    depthTooSmall: /max search depth too small/.test(output),
    ...(err ? { firstError: { text: err[1], depth: err[2] === undefined ? -1 : Number(err[2]) } } : {}),
    ...(elapsed ? { elapsedSec: Number(elapsed[1]) } : {}),
    ...(memory ? { totalMemoryMB: Number(memory[1]) } : {}),
  };
}

/** The steps of a trail as `spin -t` replays it ("spin: trail ends after N steps"). */
export function parseTrailSteps(output: string): number {
  const m = /trail ends after (\d+) steps/.exec(output);
  if (!m) throw new PanOutputError("'trail ends after N steps' line (from spin -t)", output);
  return Number(m[1]);
}
