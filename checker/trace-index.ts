/**
 * How BFS and DFS remember the way to every state they visited, in 8 bytes a state: a trace is the
 * path of successor positions from the initial state, rebuilt by re-execution when it is needed.
 */
/** A path as the positions of each successor among its parent's successors. */
export type Path = number[];

/** Trace records per chunk of the trace index (a power of two: an index splits by shift and mask). */
const TRACE_CHUNK_BITS = 16;
const TRACE_CHUNK = 1 << TRACE_CHUNK_BITS;

/**
 * Per visited state (BFS/DFS): its parent's index, its position among the parent's successors, and
 * its depth, 8 bytes, in fixed-size chunks: growing never copies, and never holds two copies at once.
 */
export class TraceIndex {
  private readonly parents: Int32Array[] = [];
  private readonly ordinals: Uint16Array[] = [];
  private readonly depths: Uint16Array[] = [];
  size = 0;

  push(parent: number, ordinal: number, depth: number): number {
    const i = this.size & (TRACE_CHUNK - 1);
    if (i === 0) {
      this.parents.push(new Int32Array(TRACE_CHUNK));
      this.ordinals.push(new Uint16Array(TRACE_CHUNK));
      this.depths.push(new Uint16Array(TRACE_CHUNK));
    }
    const c = this.size >>> TRACE_CHUNK_BITS;
    this.parents[c][i] = parent;
    this.ordinals[c][i] = ordinal;
    this.depths[c][i] = depth;
    return this.size++;
  }

  depth(index: number): number {
    return this.depths[index >>> TRACE_CHUNK_BITS][index & (TRACE_CHUNK - 1)];
  }

  get bytes(): number {
    return this.parents.length * TRACE_CHUNK * 8;
  }

  path(index: number): Path {
    const out: number[] = [];
    for (let i = index; i > 0; i = this.parents[i >>> TRACE_CHUNK_BITS][i & (TRACE_CHUNK - 1)]) out.push(this.ordinals[i >>> TRACE_CHUNK_BITS][i & (TRACE_CHUNK - 1)]);
    return out.reverse();
  }
}
