/*
 * The alternating-bit protocol over lossy FIFO channels: the Promela side of bench/spin/abp.ts.
 * Correspondence:
 *   Alice sender (acked, bit, left)     <->  Sender's acked, b, left; its `send` timer is armed
 *                                             exactly while acked < MSGS && left > 0, the guard of
 *                                             the first option
 *   Alice receiver (expect, delivered)  <->  Receiver's e, d
 *   Alice's queue n1 -> n2 (n2 -> n1)   <->  data (ack)
 * Alice's `loss` fault drops any message in flight, not only the oldest, and equal neighbours on a
 * channel are one choice. `data??0` removes the first 0 on the channel, so it matches Alice only if
 * equal bits on a channel always stand together; they do: the sender sends runs of one bit and
 * changes bit only after an ack that shows every earlier run has left the data channel (and
 * likewise for acks). The losses are options of the process that reads the channel (SPIN would
 * not reduce with a second reader), which adds no state: its pc stays at the loop head. Scratch
 * variables are reset inside each d_step; the asserts check that no send could block (capacity).
 */
#ifndef MSGS
#define MSGS 2
#endif
#ifndef SENDS
#define SENDS 2
#endif
#define CAP (2 * SENDS)
chan data = [CAP] of { bit };
chan ack = [CAP] of { bit };
active proctype Sender() {
  byte acked;
  bit b;
  byte left = SENDS;
  bit a;
end: do
  :: d_step { acked < MSGS && left > 0 -> assert(len(data) < CAP); data!b; left-- }
  :: d_step { ack?a ->
       if
       :: acked < MSGS && a == b ->
          acked++;
          b = 1 - b;
          if
          :: acked < MSGS -> left = SENDS
          :: else -> left = 0
          fi
       :: else -> skip
       fi;
       a = 0 }
  :: ack??0
  :: ack??1
  od
}
active proctype Receiver() {
  bit e;
  byte d;
  bit m;
end: do
  :: d_step { data?m ->
       assert(len(ack) < CAP);
       ack!m;
       if
       :: m == e -> d++; e = 1 - e
       :: else -> skip
       fi;
       m = 0 }
  :: data??0
  :: data??1
  od
}
