/**
 * A full garbage collection on demand, without `--expose-gc` on the command line (so `npm start` and
 * `alice bench` run as they are). The simulator's heap budget reads V8's used heap, which counts
 * garbage the collector has not reclaimed yet: a run that follows a large one (or a large run's own
 * dead states) could be stopped for memory it does not hold. Measured after a collection, the
 * figure is the live heap.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
