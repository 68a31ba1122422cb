// The action's own knobs in one place: how much it does at once and how long it waits. Each says
// why it has its value; the measurements behind them are in docs/architecture.md. Limits that are
// PyPI's or Sigstore's rules (file size, name length) live with the rule, not here.

/** Dists read and checked at once: reading is I/O bound with some hashing, and a little parallelism hides the latency of small files. */
export const INSPECT_CONCURRENCY = 4;

/**
 * Dists signed at once. Signing is network-bound (one Rekor entry and one timestamp per dist) and
 * the certificate is shared, so a usual release (a full cibuildwheel matrix is 30–70 wheels) is
 * signed in one round; the bound only keeps a directory of hundreds of files from opening hundreds
 * of connections to Rekor and the TSA.
 */
export const SIGN_CONCURRENCY = 64;
