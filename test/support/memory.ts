// Memory checks that must not count garbage a collection has not reclaimed yet (resident size and the heap
// before a collection move by tens of MB with allocation alone).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/** Bytes the process holds after a full garbage collection: the JS heap plus memory outside it (Buffers). */
export function liveBytesAfterCollection(): number {
  if (!collect) {
    // Without --expose-gc on the command line (a test file run by hand): V8 turns it on for a new context.
    setFlagsFromString('--expose-gc');
    collect = (globalThis.gc as (() => void) | undefined) ?? (runInNewContext('gc') as () => void);
  }
  collect();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}
