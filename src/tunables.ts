// The action's own knobs in one place: how much it does at once and how long it waits. Each says
// why it has its value; the measurements behind them are in docs/architecture.md. Limits that are
// PyPI's or Sigstore's rules (file size, name length) live with the rule, not here.

/**
 * The checks turn V8's optimizing compilers back on (src/io/optimizing-compilers.ts) for an archive of
 * about 2,000 members or more: without them, checking a wheel of 40,000 files took 1.9 s instead of
 * 0.9 s. A zip's members are counted by the bytes of its central directory (46 bytes and a name
 * each), which is read before any member is; a tar's as they come.
 */
export const OPTIMIZE_ZIP_DIRECTORY_BYTES = 128 * 1024;
export const OPTIMIZE_TAR_MEMBERS = 2000;

/** ...and for a description of this many characters or more (a 950 KB README: 1.8 s instead of 0.8 s). */
export const OPTIMIZE_DESCRIPTION_CHARS = 64 * 1024;

/** Dists read and checked at once: reading is I/O bound with some hashing, and a little parallelism hides the latency of small files. */
export const INSPECT_CONCURRENCY = 4;

/**
 * Dists signed at once. Signing is network-bound (one Rekor entry and one timestamp per dist) and
 * the certificate is shared, so a usual release (a full cibuildwheel matrix is 30–70 wheels) is
 * signed in one round; the bound only keeps a directory of hundreds of files from opening hundreds
 * of connections to Rekor and the TSA.
 */
export const SIGN_CONCURRENCY = 64;

/**
 * Provenance read-backs at once (one small GET each). Each starts as soon as its file's upload
 * succeeded, beside the uploads still going: the index pool has this many connections more than the
 * uploads use, since TestPyPI and the local stand-in serve the Integrity API on the upload's host.
 */
export const READ_BACK_CONCURRENCY = 16;

/**
 * Sidecar files written at once. Each write is four file system calls on libuv's pool of four
 * threads, so a few more than four keep it busy; a pair waits as its bundle object until its turn,
 * not as text and bytes (bench c: ~10 MB of the peak when all 600 were serialized at once).
 */
export const SIDECAR_WRITE_CONCURRENCY = 8;

/**
 * Large dists (over WHOLE_READ_MAX) hashed at once in the background. The hashing is the one thread's
 * work, so more at once end no sooner; each holds three 1 MiB read buffers, and 30 dists of 20 MiB
 * hashed all at once were bench (e)'s peak RSS. Two keep a read in flight while the other hashes.
 */
export const LARGE_DIGEST_CONCURRENCY = 2;

/**
 * 1 MiB read buffers kept for the next file hashed (src/dists/digest.ts): the two large dists hashed
 * at once hold three each, and the print-hash reads beside them one or two. A reader beyond these
 * (the build provenance hashes eight files at once) allocates its own, which the collector reclaims.
 */
export const DIGEST_BUFFERS_KEPT = 8;

/** Dists up to this size are read into memory once (most are far smaller); larger ones by random access. */
export const WHOLE_READ_MAX = 8 * 1024 * 1024;

/**
 * Dists up to this size get print-hash's MD5 and BLAKE2b-256 from the bytes their checks read
 * (well under a millisecond), not from a second read in the background: for bench (c)'s 300 wheels
 * of 4 KiB the second read was 1,200 file system calls. Larger ones keep the background read, so
 * hashing that only feeds the log stays off the path to the first request.
 */
export const SHOWN_DIGESTS_WITH_CHECKS_MAX = 64 * 1024;

/** A request's answer must start within this, and its body keep coming (scaled by the time test hook). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** Bodies read whole: error pages and JSON answers need no more; a longer one is cut and flagged. */
export const MAX_RESPONSE_BYTES = 1 << 20;

/** One upload's answer: an index may take long to check a large file after receiving it. */
export const UPLOAD_TIMEOUT_MS = 120_000;

/** The audience and mint requests: small, and the run cannot go on without them. */
export const EXCHANGE_TIMEOUT_MS = 15_000;

/** The Actions OIDC token request (the runner's own service, usually a few ms away). */
export const OIDC_TIMEOUT_MS = 10_000;

/** An upload token is minted again this long before it expires, so no upload starts with one about to lapse. */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60_000;

/** The most uploads at once the upload-concurrency input allows. */
export const MAX_UPLOAD_CONCURRENCY = 32;

/**
 * Bytes per read of an upload body. Each upload holds up to four such buffers (src/io/file-chunks.ts),
 * so with 16 uploads of large dists at once 1 MiB reads held 64 MB (bench e's peak RSS); 256 KiB
 * holds 16 MB and is still few syscalls next to the hashing and the socket's own work.
 */
export const UPLOAD_CHUNK = 256 * 1024;

/**
 * Bytes per read of a dist of at most WHOLE_READ_MAX. Many such uploads run at once, each sent in a
 * few chunks: 64 KiB took (b)'s peak RSS from ~130 to ~100 MB with no more CPU. A large dist keeps
 * UPLOAD_CHUNK: a 1 GiB wheel in 64 KiB reads took ~0.8 s more CPU (16,384 reads, hashes and writes).
 */
export const SMALL_UPLOAD_CHUNK = 64 * 1024;

/** The read size for an upload body of `size` bytes. */
export const uploadChunk = (size: number): number => (size > WHOLE_READ_MAX ? UPLOAD_CHUNK : SMALL_UPLOAD_CHUNK);
