/**
 * Symmetry reduction: for a protocol whose nodes are interchangeable, one state per orbit under node
 * permutations is kept, the lexicographically least packing among all renamings. Renamed ids are
 * memoized per (id, permutation), so a renaming costs a protocol call once per distinct value.
 */
import type { NodeId } from '../spec/node.js';
import type { Announcement, Resolution } from '../spec/properties.js';
import type { Symmetry as ProtocolSymmetry } from '../spec/protocol.js';
import { renameJson } from '../spec/canonical.js';
import type { Packed, PackedLayout } from './layout.js';
import type { LocalSteps } from './local-steps.js';

/** Symmetry tries every permutation; beyond this many nodes that is too slow to be useful. */
export const MAX_SYMMETRIC_NODES = 6;

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}

function lexLess(a: Packed, b: Packed): boolean {
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

export class NodeSymmetry<S, M, Cfg> {
  private readonly perms: number[][];
  private readonly renamedLocal: number[][] = [];
  private readonly renamedHistory: number[][] = [];
  private readonly renamedEnvelope: number[][] = [];

  constructor(
    private readonly layout: PackedLayout,
    private readonly steps: LocalSteps<S, M, Cfg>,
    private readonly ids: readonly NodeId[],
    private readonly sym: ProtocolSymmetry<S, M>,
    /** Resolutions of the step that produced a state: they follow a state to its representative. */
    private readonly lastResolutions: WeakMap<Packed, readonly Resolution[]>,
  ) {
    this.perms = permutations(layout.n);
  }

  /** The orbit representative of s and the orbit's size (the states it stands for). */
  canonicalWithOrbit(s: Packed): { state: Packed; orbit: number } {
    let best = s;
    const resolved = this.lastResolutions.get(s);
    const seen = new Set<string>();
    for (let p = 0; p < this.perms.length; p++) {
      const r = this.permute(s, p);
      seen.add(r.join(','));
      if (lexLess(r, best)) best = r;
    }
    if (resolved) this.lastResolutions.set(best, resolved);
    return { state: best, orbit: seen.size };
  }

  private permute(s: Packed, p: number): Packed {
    const perm = this.perms[p];
    const L = this.layout;
    const steps = this.steps;
    const n = L.n;
    const w = L.width;
    const map: Record<NodeId, NodeId> = {};
    for (let k = 0; k < n; k++) map[this.ids[k]] = this.ids[perm[k]];
    const out: Packed = new Array<number>(s.length).fill(0);
    const memo = (table: number[][], id: number, make: () => number): number => {
      const row = (table[id] ??= []);
      return (row[p] ??= make());
    };
    const tOff = L.sectionOffsets(s);
    let upMask = 0;
    let part = 0;
    for (let k = 0; k < n; k++) {
      const j = perm[k];
      out[j] = memo(this.renamedLocal, s[k], () => steps.internLocal(this.sym.rename(steps.locals.values[s[k]], map)));
      out[n + j] = memo(this.renamedHistory, s[n + k], () => steps.internHistory(renameJson(steps.histories.values[s[n + k]], map) as Announcement[]));
      if (L.isUp(s, k)) upMask |= 1 << j;
      if ((s[L.partitionAt] >> k) & 1) part |= 1 << j;
      out[L.skewAt + j] = s[L.skewAt + k];
    }
    out[L.upAt] = upMask;
    out[L.budgetAt] = s[L.budgetAt];
    out[L.clockAt] = s[L.clockAt];
    out[L.partitionAt] = part;
    // Timer sections move with their nodes.
    const inverse = new Array<number>(n);
    for (let k = 0; k < n; k++) inverse[perm[k]] = k;
    let o = L.timersStart;
    for (let j = 0; j < n; j++) {
      const k = inverse[j];
      const end = tOff[k] + 1 + s[tOff[k]] * w;
      for (let i = tOff[k]; i < end; i++) out[o++] = s[i];
    }
    const netAt = tOff[n];
    const m = s[netAt];
    out[o++] = m;
    const entries: number[][] = [];
    for (let i = 0; i < m; i++) {
      const at = netAt + 1 + i * w;
      const env = memo(this.renamedEnvelope, s[at], () => {
        const e = steps.envelopes.values[s[at]];
        return steps.internEnvelope(perm[e.from], perm[e.to], this.sym.renameMessage(e.message, map));
      });
      entries.push(w === 2 ? [env, s[at + 1]] : [env]);
    }
    for (const e of L.sortNet(entries)) for (const x of e) out[o++] = x;
    return out;
  }
}
