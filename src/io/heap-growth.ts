// Peak memory (docs/architecture.md, "Memory"): V8 sizes its heap for throughput, and a run that
// signs and uploads many dists makes much short- and middle-lived garbage (request and answer
// bodies, bundles as JSON and as objects). The action cannot pass node flags (`runs.main` takes
// none) and the heap's maximum sizes are fixed once it exists, but two growth factors are read
// each time V8 sizes a generation, so the entry sets them first thing, before the run allocates:
// - the young generation doubles at each scavenge that finds much alive, up to 64 MB (two
//   semi-spaces of 32 MB), pages that stay resident to the end: a factor of 1 keeps it at a few MB
//   (V8 still resizes it once in some runs);
// - after each full collection the old generation may grow to up to 4× what survived before the
//   next one: 1.5× collects garbage sooner (bench c: ~165 → ~130 MB peak, bench b ~10 MB less) for
//   more, smaller collections, within the noise of the bench's wall times.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=50');
