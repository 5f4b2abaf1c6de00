/**
 * What the SPIN cross-check models share: they are not about membership, so their Views are
 * placeholders (properties read `obs.states`), and their states are plain objects built with their
 * fields in one order, so JSON is a canonical encoding.
 */
import { type Assumptions, type NodeBehaviour, type View, makeNodeInfo } from '../../index.js';

export function placeholderView(id: string): View {
  return { self: id, members: { [id]: { status: 'alive', version: 0, info: makeNodeInfo(id, '', 1, 'backend', 0) } } };
}

export const anySchedule: Assumptions = { timing: 'async', tolerates: { loss: true, partitions: true, crashes: true }, note: 'any schedule' };

/** encode/decode/view for a behaviour whose states carry their node's `id`. */
export function jsonState<S extends { readonly id: string }, M, Cfg>(): Pick<NodeBehaviour<S, M, Cfg>, 'encode' | 'decode' | 'view'> {
  return {
    encode: (s) => JSON.stringify(s),
    decode: (text) => JSON.parse(text) as S,
    view: (s) => placeholderView(s.id),
  };
}
