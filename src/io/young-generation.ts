// Peak memory (docs/architecture.md, "Memory"): V8 doubles its young generation at each scavenge
// that finds much alive, up to 64 MB (two semi-spaces of 32 MB) here, when a run allocates fast, as
// signing and uploading many dists does; those pages stay resident to the end (~35–45 MB of bench
// b's and c's peak). The action cannot pass node flags (`runs.main` takes none) and the semi-space
// maximum is fixed once the heap exists, but the growth factor is read at each scavenge: set to 1
// before the run allocates, it keeps the young generation at a few MB (V8 still resizes it once in some runs). V8 flags are
// process-wide, so the verifier thread's heap stays small too. The CPU cost is within the noise
// of the bench's CPU figures (more, smaller scavenges).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
