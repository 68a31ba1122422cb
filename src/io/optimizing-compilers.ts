// Peak memory (issue #21; docs/architecture.md, "Peak memory"): V8's optimizing compilers, Maglev
// and Turbofan, cost a publish 5–20 MB at its peak (their code and the memory their compile jobs
// leave behind) and bought it no time in the bench's shapes: a run's CPU goes to native code
// (hashing, TLS, ECDSA, JSON) and its wall time to the network, so its JavaScript is never hot for
// long. The entries turn them off first thing; the flags are read each time V8 decides to optimize a
// function, so they apply from then on. What is long JavaScript is the checks of a large input (an
// archive of thousands of members, a long description: twice as slow without them), and the checks
// turn them back on when they meet one. Node warns that a flag changed after start may do nothing
// or worse: these two are read where V8 decides to optimize (nothing is in flight for a compiler
// that is off); every end-to-end test and bench run of a publish runs with the first change, and
// __tests__/dists/optimizing-compilers.test.ts makes both.
import { setFlagsFromString } from 'node:v8';

let optimizing = true;

/** Turns V8's optimizing compilers off for the rest of the run (until optimizeFromNowOn). */
export function optimizeLess(): void {
  setFlagsFromString('--no-maglev');
  setFlagsFromString('--no-turbofan');
  optimizing = false;
}

/** Turns them back on, for work that will run JavaScript long enough to repay compiling it. */
export function optimizeFromNowOn(): void {
  if (optimizing) return;
  setFlagsFromString('--maglev');
  setFlagsFromString('--turbofan');
  optimizing = true;
}

/** Whether functions that run hot are optimized now. */
export const optimizingNow = (): boolean => optimizing;
