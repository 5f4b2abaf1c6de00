/*
 * Chang-Roberts leader election on a unidirectional ring: the Promela side of bench/spin/ring.ts.
 * Node k has id N - k and sends to node k+1 mod N; link[k] is node k's inbox, FIFO, as Alice's
 * channels are under `ordered: true`. Correspondence of one global state to the other:
 *   Alice node k's `start` timer armed      <->  started == 0 in process k
 *   Alice node k's leader flag              <->  leader in process k
 *   Alice's queue on channel k -> k+1       <->  the contents of link[(k+1) % N]
 * Every Alice step (a timer firing, a delivery) is one d_step here. The delivery option is enabled
 * at any time, not only after the start, since Alice delivers to a node that has not started. The
 * scratch v is reset inside the d_step so that it never tells two states apart. Processes exist from
 * the first state (active proctypes, no init), and never terminate (the loop head is an end state),
 * so SPIN counts no creation or death states. A queue never holds more than N ids, its capacity.
 * xr/xs declare each channel's one reader and one writer, which lets SPIN's partial-order reduction
 * treat the channel operations as independent.
 */
#ifndef N
#define N 3
#endif
chan link[N] = [N] of { byte };
active [N] proctype Node() {
  chan inbox = link[_pid];
  chan next = link[(_pid + 1) % N];
  bit started;
  bit leader;
  byte v;
  xr inbox;
  xs next;
end: do
  :: d_step { started == 0 -> started = 1; next!(N - _pid) }
  :: d_step { inbox?v ->
       if
       :: v > N - _pid -> next!v
       :: v == N - _pid -> leader = 1
       :: else -> skip
       fi;
       v = 0 }
  od
}
