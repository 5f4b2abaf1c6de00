/*
 * A mutual exclusion with the read-then-write race: the Promela side of bench/spin/racy-mutex.ts.
 * Clients are processes 0..C-1 (Alice's n2..n(C+1)), the register is process C (Alice's n1).
 * Alice's network is a multiset; here each receiver's inbox is a channel kept sorted (`!!`), so equal
 * multisets are equal channel contents, and a random receive of each distinct message (`??` with
 * every field given) is one delivery, as Alice delivers each distinct message once. Correspondence:
 *   Alice client phase idle/reading/cs/done  <->  phase 0/1/2/3 (`try` armed in idle, `leave` in cs)
 *   Alice register value                     <->  Register's value
 *   read / write v from client c             <->  (c, READ) / (c, W0 + v) in mem
 *   value v to client c                      <->  v in reply[c]
 * incs (clients in the critical section) is a function of the phases, so it adds no state; the
 * assert on it is Alice's `mutex` property, judged in the step that enters the critical section,
 * which is the step into the first state that violates it. Run with -A for the state counts (the
 * violation must not stop the search), with -DBFS for the shortest counterexample.
 */
#ifndef C
#define C 2
#endif
#define READ 0
#define W0 1
#define W1 2
#define IDLE 0
#define READING 1
#define CS 2
#define DONE 3
#define CAP (2 * C)
chan mem = [CAP] of { byte, byte };
chan reply[C] = [1] of { bit };
byte incs;
active [C] proctype Client() {
  chan inbox = reply[_pid];
  byte phase;
  bit x;
  xr inbox;
end: do
  :: d_step { phase == IDLE -> assert(len(mem) < CAP); mem!!_pid,READ; phase = READING }
  :: d_step { inbox?x ->
       if
       :: phase == READING && x == 0 ->
          assert(len(mem) < CAP);
          mem!!_pid,W1;
          phase = CS;
          incs++;
          assert(incs <= 1)
       :: phase == READING -> phase = IDLE
       :: else -> skip
       fi;
       x = 0 }
  :: d_step { phase == CS -> assert(len(mem) < CAP); mem!!_pid,W0; phase = DONE; incs-- }
  od
}
active proctype Register() {
  bit value;
end: do
#define SERVE(c) \
  :: d_step { mem??eval(c),READ -> reply[c]!value } \
  :: d_step { mem??eval(c),W0 -> value = 0 } \
  :: d_step { mem??eval(c),W1 -> value = 1 }
  SERVE(0)
  SERVE(1)
#if C > 2
  SERVE(2)
#endif
#if C > 3
  SERVE(3)
#endif
  od
}
