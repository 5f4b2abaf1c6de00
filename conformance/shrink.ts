/**
 * Shrinking a diverging trace before anyone reads it: cut it at the diverging step, then remove
 * chunks of inputs (Zeller's delta debugging, ddmin) while the trace still diverges the same way.
 * Any subsequence of a node's inputs is itself a valid test (a node must take any input in any
 * state), so every candidate is meaningful.
 */
import type { Divergence, NodeTrace } from './lockstep.js';

export interface ShrinkOptions {
  /** Replays allowed while shrinking; each is one full lockstep run. 400: enough for ~100-input traces. */
  readonly maxChecks?: number;
}

export async function shrinkTrace<M>(
  trace: NodeTrace<M>,
  first: Divergence<M>,
  check: (t: NodeTrace<M>) => Promise<Divergence<M> | null>,
  options: ShrinkOptions = {},
): Promise<Divergence<M>> {
  const budget = options.maxChecks ?? 400;
  let checks = 0;
  let best = first;
  let inputs = first.prefix.slice();
  // A smaller trace counts only if it fails the same way: shrinking must not wander to another bug.
  const stillFails = async (candidate: NodeTrace<M>['inputs']): Promise<Divergence<M> | null> => {
    if (checks >= budget) return null;
    checks++;
    const d = await check({ ...trace, inputs: candidate });
    return d && d.kind === first.kind ? d : null;
  };
  let chunks = 2;
  while (inputs.length > 0 && checks < budget) {
    const size = Math.ceil(inputs.length / chunks);
    let reduced = false;
    for (let start = 0; start < inputs.length; start += size) {
      const candidate = [...inputs.slice(0, start), ...inputs.slice(start + size)];
      const d = await stillFails(candidate);
      if (d) {
        inputs = d.prefix.slice();
        best = d;
        chunks = Math.max(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size <= 1) break;
      chunks = Math.min(chunks * 2, inputs.length);
    }
  }
  return { ...best, shrunkFrom: trace.inputs.length };
}
