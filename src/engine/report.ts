// The run's report: one row per file found, and whether (and why) the run failed. Every change to a
// row goes through a method here, named after what happened to the file, so the stages never edit
// rows themselves and a reader finds every possible outcome in one place.
import type { Dist, Problem } from '../dists/types.ts';
import type { IndexedFile } from '../pypi/simple-index.ts';
import type { FileReport, SigningReport } from '../report/types.ts';
import { formatProblem } from './prepare.ts';

/** Why the run failed: `message` for the log, `summary` (markdown) when it says more, `title` for its annotation. */
export interface RunFailure {
  message: string;
  summary?: string;
  title?: string;
}

export interface PublishResult {
  files: FileReport[];
  /** Set when the run failed; the per-file report is complete either way. */
  failure?: RunFailure;
  /** Who signed the attestations, when files were signed. */
  signing?: SigningReport;
}

/** Where a published file can be seen (see links.ts). */
export interface FileLinks {
  url?: string;
  provenanceUrl?: string;
}

/** The sidecars of an attested dist (unless their names could not fit), and its transparency log entry (index, public page). */
export interface Sidecars {
  bundlePath?: string;
  attestationPath?: string;
  transparencyLogIndex?: string;
  transparencyLogUrl?: string;
}

const basenameOf = (path: string) => path.split(/[\\/]/).pop() ?? path;

export class RunReport {
  readonly #rows: FileReport[] = [];
  readonly #byPath = new Map<string, FileReport>();
  #failure: RunFailure | undefined;
  #signing: SigningReport | undefined;

  /** A row for every path taken for a dist, including those that could not be read. */
  found(paths: string[], dists: Dist[]): void {
    // A map, not a search per path: a packages-dir may hold thousands of files.
    const byPath = new Map(dists.map((d) => [d.path, d]));
    for (const path of paths) {
      const dist = byPath.get(path);
      this.#add({ filename: basenameOf(path), path, size: dist?.size ?? 0, sha256: dist?.digests.sha256 || undefined, status: 'not-attempted' });
    }
  }

  /** The SHA-256 of the dists that were still being read when they were checked. */
  digested(dists: Dist[]): void {
    for (const d of dists) {
      const row = this.#byPath.get(d.path);
      if (row && d.digests.sha256) row.sha256 ??= d.digests.sha256;
    }
  }

  /** Problems found before anything was signed or sent: the run stops and every file is held back (all or nothing). */
  heldBack(errors: Problem[]): void {
    for (const p of errors) {
      // Every file the problem names: two different files with one basename are both at fault.
      const named = this.#rows.filter((f) => f.path === p.file || f.filename === p.file);
      // A path rejected while finding the dists (a link outside the workspace, a directory named
      // like a dist) never became a file to read; it still gets its row.
      if (named.length === 0 && p.file && p.code.startsWith('dist-')) {
        named.push(this.#add({ filename: basenameOf(p.file), path: p.file, size: 0, status: 'not-attempted' }));
      }
      for (const row of named) row.reason = row.reason ? `${row.reason}; ${p.message}` : p.message;
    }
    // A valid file is held back too: say so, or it looks like it was forgotten.
    this.#holdBackTheRest(`held back: ${errors.length} problem(s) with other files must be fixed first`);
    this.fail({
      message: `${errors.length} problem(s) found before upload; nothing was signed or sent:\n${errors.map((p) => `- ${formatProblem(p)}`).join('\n')}`,
    });
  }

  attested(dist: Dist, sidecars: Sidecars): void {
    Object.assign(this.#row(dist), sidecars);
  }

  /** Every dist was signed, with the identity the certificate names. */
  signedBy(signing: SigningReport): void {
    this.#signing = signing;
  }

  /** Nothing is uploaded unless every dist is attested: the others are held back, and say why. */
  attestationFailed(failures: ReadonlyArray<{ filename: string; reason: string }>, message: string): void {
    for (const f of failures) {
      for (const row of this.#rows.filter((r) => r.filename === f.filename)) row.reason = `attestation failed: ${f.reason}`;
    }
    this.#holdBackTheRest(`held back: attestation failed for ${failures.length} other file(s)`);
    this.fail({ message });
  }

  /** What the index serves as the file's provenance, read back after the upload ("publish ✓ build ✓"). */
  provenanceServed(dist: Dist, served: string): void {
    this.#row(dist).servedProvenance = served;
  }

  uploaded(dist: Dist, links: FileLinks): void {
    Object.assign(this.#row(dist), { status: 'uploaded', reason: undefined }, links);
  }

  alreadyPresent(dist: Dist, links: FileLinks): void {
    Object.assign(this.#row(dist), { status: 'already-present', reason: undefined }, links);
  }

  skipped(dist: Dist, reason: string, links: FileLinks): void {
    Object.assign(this.#row(dist), { status: 'skipped', reason }, links);
  }

  /** skip-existing, and the index holds other bytes under this name: skipped, but never reported as this build's. */
  skippedDiffering(dist: Dist, listed: IndexedFile, url: string | undefined): void {
    Object.assign(this.#row(dist), {
      status: 'skipped',
      indexSha256: listed.sha256,
      reason: "skip-existing: the index holds a different file of this name; its file and provenance are not this build's",
      provenanceUrl: undefined,
      url,
    });
  }

  /** `existsOnIndex`: the index refused it as a file name it already has. */
  uploadFailed(dist: Dist, reason: string, existsOnIndex = false): void {
    Object.assign(this.#row(dist), { status: 'failed', reason, ...(existsOnIndex ? { existsOnIndex } : {}) });
  }

  /** Not sent only because another file failed (the first of its release, or the credentials were refused). */
  heldBackByUpload(dist: Dist, reason: string): void {
    Object.assign(this.#row(dist), { status: 'not-attempted', heldBack: true, reason: `held back: ${reason}` });
  }

  /** The run stopped for a reason of its own (a refused exchange, no dists). The first failure is the one reported. */
  fail(failure: RunFailure): void {
    this.#failure ??= failure;
  }

  /** An error nobody expected ended the run: the files it did not finish say so. */
  stopped(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#explainTheRest(`the run stopped: ${message.split('\n')[0]}`);
    this.fail({ message });
  }

  /** After the uploads: the run failed if any file is not on the index. */
  uploadsSettled(): void {
    const unfinished = this.#rows.filter((f) => f.status === 'failed' || f.status === 'not-attempted');
    if (unfinished.length === 0) return;
    // Each failed file's error, once; the files held back are in the report's outcome lines, and what
    // to do (re-run or not) is the report's advice, which depends on the index's answer.
    const failed = unfinished.filter((f) => f.status === 'failed');
    const lines = (failed.length > 0 ? failed : unfinished).map((f) => `- ${f.filename}: ${f.reason ?? f.status}`);
    this.fail({ title: 'Upload failed', message: `${unfinished.length} of ${this.#rows.length} file(s) were not published:\n${lines.join('\n')}` });
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** A copy: the report stays this object's to change. */
  result(): PublishResult {
    const files = this.#rows.map((r) => ({ ...r }));
    return {
      files,
      ...(this.#failure ? { failure: { ...this.#failure } } : {}),
      ...(this.#signing ? { signing: { ...this.#signing } } : {}),
    };
  }

  #add(row: FileReport): FileReport {
    this.#rows.push(row);
    if (!this.#byPath.has(row.path)) this.#byPath.set(row.path, row);
    return row;
  }

  #row(dist: Dist): FileReport {
    const row = this.#byPath.get(dist.path);
    if (!row) throw new Error(`internal: ${dist.filename} has no row in the report`);
    return row;
  }

  /** Rows still waiting to be attempted, with no reason yet, get this one. */
  #explainTheRest(reason: string): void {
    for (const row of this.#rows) if (row.status === 'not-attempted') row.reason ??= reason;
  }

  /** As #explainTheRest, for files held back only because another file failed: nothing is wrong with them. */
  #holdBackTheRest(reason: string): void {
    for (const row of this.#rows) {
      if (row.status === 'not-attempted' && row.reason === undefined) Object.assign(row, { heldBack: true, reason });
    }
  }
}
