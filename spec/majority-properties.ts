/**
 * The assumptions under which the majority design claims each shared property (spec/majority.md
 * §Properties). Where the design does not guarantee a property at all (a flaw Inferno's docs imply
 * and its code keeps), every violation is expected: the checker reports it as such and it fails
 * nothing, while a violation of a property the design does claim fails the run.
 */
import type { Assumptions } from './properties.js';

const NO_LOSS_CRASHES = { loss: false, partitions: false, crashes: true } as const;

export const MAJORITY_ASSUMPTIONS: Readonly<Record<string, Assumptions>> = {
  noRegression: { timing: 'async', tolerates: NO_LOSS_CRASHES, note: 'flaws 2 and 3', never: 'a stale majority or a delayed register replaces a newer record (spec/majority.md flaws 2, 3)' },
  orderIndependence: { timing: 'async', tolerates: NO_LOSS_CRASHES, note: 'flaw 1', never: 'timestamp ties break by arrival order (spec/majority.md flaw 1)' },
  completeness: { timing: 'async', tolerates: NO_LOSS_CRASHES, note: 'flaw 5', never: 'only load balancers forget a crashed node (spec/majority.md flaw 5)' },
  agreement: { timing: 'async', tolerates: { loss: false, partitions: false, crashes: false }, note: 'flaw 5: with a crash, load balancers and backends disagree about it' },
};
