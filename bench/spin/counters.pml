/*
 * N independent counters mod K: the Promela side of model/counters (alice check counters).
 * Correspondence: Alice's node k is process k; its count is the local c. Alice's `tick` timer is
 * always armed and may fire at any moment (async timing), which is the one always-enabled option of
 * the loop. Each firing is one d_step: one transition, no intermediate state. The loop head is an
 * end state, as in Alice nothing is ever stuck. Reachable states: K^N in both.
 */
#ifndef N
#define N 3
#endif
#ifndef K
#define K 4
#endif
active [N] proctype Counter() {
  byte c;
end: do
  :: d_step { c = (c + 1) % K }
  od
}
