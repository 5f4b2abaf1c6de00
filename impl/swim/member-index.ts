/**
 * Member numbers: every node id the process meets gets one small integer, once, for good, so a probe
 * order can be a typed array of numbers instead of an array of string references. A typed array costs
 * 2–4 bytes a member and the garbage collector never traces it; at 10,000 nodes each holding a
 * 10,000-member order, arrays of references were 0.8 GB that every full collection walked.
 *
 * The numbering is process-wide and append-only, like string interning: a number names the same id
 * in every state, so states stay immutable values and a step stays a pure function of its inputs. No
 * number ever reaches an output or a state's canonical text (those carry the ids), so the order in
 * which ids happen to be numbered cannot change what a node does. The table grows with the distinct
 * ids a process meets (8–9 bytes a member and the id string it already held).
 */
import type { NodeId } from '../../spec/node.js';

const numbers = new Map<NodeId, number>();
const names: NodeId[] = [];

/** The number of `id`, given it on first sight. */
export function memberNumber(id: NodeId): number {
  let n = numbers.get(id);
  if (n === undefined) {
    n = names.length;
    names.push(id);
    numbers.set(id, n);
  }
  return n;
}

/** How many ids have numbers (every number is below it). */
export function memberCount(): number {
  return names.length;
}

/** The id numbered `n` (a number memberNumber handed out). */
export function memberName(n: number): NodeId {
  return names[n];
}
