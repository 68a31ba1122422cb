// The upload stage: upload with bounded concurrency, each dist's outcome handed forward as it settles.
// What the index already holds is looked up first, so a re-run reports "already present" instead of
// sending gigabytes again; the first file of a new release goes alone (it creates the release and
// fixes its metadata); an authentication failure stops the rest at once instead of failing every file
// the same way.
import type { HttpClient } from '../http/client.ts';
import type { Dist } from '../dists/types.ts';
import { listProjectFiles, readProjectPage, type IndexedFile } from '../pypi/simple-index.ts';
import { uploadFile, uploadForm, type Credentials } from '../pypi/upload.ts';
import type { MultipartFile } from '../pypi/multipart.ts';
import { groupByRelease, releaseOf } from '../dists/release.ts';
import type { Logger } from './runtime.ts';
import { mapLimit } from './concurrency.ts';
import type { FileLinks, RunReport } from './report.ts';

export interface UploadPlan {
  http: HttpClient;
  url: URL;
  simpleUrl: string;
  /** What the index already holds, per project (lookUpProjects, started early by the caller). */
  listings: Map<string, IndexedFile[]>;
  skipExisting: boolean;
  concurrency: number;
  credentials(): Promise<Credentials>;
  attestationsFor(dist: Dist): unknown[] | undefined;
  /** Watches the bytes of a dist's upload as they are sent (print-hash's digests of a large dist). */
  observeUpload?(dist: Dist): MultipartFile['observe'];
  /** Index-specific links for the report (file page, provenance). */
  linksFor(dist: Dist, listed?: IndexedFile): FileLinks;
  log: Logger;
}

/** What became of one dist's upload. */
export interface UploadOutcome {
  /** On the index now: uploaded, already there, or skipped. */
  onIndex: boolean;
  /** Set when this run sent the file and the index took it: where it can be seen. */
  uploaded?: FileLinks;
}

const NOT_ON_INDEX: UploadOutcome = { onIndex: false };
const ON_INDEX: UploadOutcome = { onIndex: true };

/**
 * Starts every dist's upload and hands forward one promise per dist, in `dists` order, that settles
 * with its outcome as soon as that upload ended, while the others go on. Each outcome also goes to
 * `report`; a file's failure settles its promise, never rejects it.
 */
export function startUploads(dists: Dist[], report: RunReport, plan: UploadPlan): Array<Promise<UploadOutcome>> {
  const outcomes = new Map(dists.map((d) => [d, Promise.withResolvers<UploadOutcome>()]));
  const upload = uploader(report, plan);
  const settle = (dist: Dist, outcome: Promise<UploadOutcome>) => {
    outcomes.get(dist)?.resolve(outcome);
    return outcome;
  };
  // A dist never reached (an error nobody expected stopped the rest) settles with that error.
  uploadAll(dists, report, plan, (d) => settle(d, upload(d))).then(
    () => {
      for (const o of outcomes.values()) o.resolve(NOT_ON_INDEX);
    },
    (error: unknown) => {
      for (const o of outcomes.values()) o.reject(error);
    },
  );
  return dists.map((d) => (outcomes.get(d) as PromiseWithResolvers<UploadOutcome>).promise);
}

/** Uploads every dist with `upload`, the first file of each new release alone; each outcome goes to `report`. */
async function uploadAll(dists: Dist[], report: RunReport, plan: UploadPlan, upload: (dist: Dist) => Promise<UploadOutcome>): Promise<void> {
  // A release the index does not know yet gets its first file uploaded alone: it creates the release
  // and fixes its metadata. Releases are PyPI's (canonical version): `-1.0` and `-1.0.0` are one.
  const releases = groupByRelease(dists);
  const firsts: Dist[] = [];
  const rest: Dist[] = [];
  for (const files of releases.values()) {
    const known = files.some((d) => plan.listings.get(d.project)?.some((f) => f.filename === d.filename));
    if (!known) firsts.push(files[0] as Dist);
    for (const d of known ? files : files.slice(1)) rest.push(d);
  }
  const firstFailed = new Set<string>();
  await mapLimit(firsts, plan.concurrency, async (d) => {
    if (!(await upload(d)).onIndex) firstFailed.add(releaseOf(d));
  });
  await mapLimit(rest, plan.concurrency, async (dist) => {
    if (!firstFailed.has(releaseOf(dist))) return upload(dist);
    const first = releases.get(releaseOf(dist))?.[0] as Dist;
    report.heldBackByUpload(dist, `the first file of this new release (${first.filename}) failed`);
    return NOT_ON_INDEX;
  });
}

/** One dist's upload, or its reason not to. */
function uploader(report: RunReport, plan: UploadPlan): (dist: Dist) => Promise<UploadOutcome> {
  // An authentication failure stops the rest at once instead of failing every file the same way.
  let stopReason: string | undefined;
  return async (dist) => {
    if (stopReason) {
      report.heldBackByUpload(dist, stopReason);
      return NOT_ON_INDEX;
    }
    const listed = plan.listings.get(dist.project)?.find((f) => f.filename === dist.filename);
    if (listed?.sha256 === dist.digests.sha256) {
      report.alreadyPresent(dist, plan.linksFor(dist, listed));
      plan.log.info(`${dist.filename}: already present on the index (same sha256), not uploaded again`);
      return ON_INDEX;
    }
    try {
      const form = uploadForm(dist, plan.attestationsFor(dist));
      const outcome = await uploadFile(plan.http, plan.url, dist, form, await plan.credentials(), plan.observeUpload?.(dist));
      if (outcome.kind === 'uploaded') {
        const links = plan.linksFor(dist);
        report.uploaded(dist, links);
        plan.log.info(`${dist.filename}: uploaded`);
        return { onIndex: true, uploaded: links };
      }
      if (outcome.kind === 'exists') return settleExisting(dist, outcome.message, await listedNow(dist, plan), report, plan);
      // Nexus on PostgreSQL and newer Artifactory refuse an existing file in words no client knows:
      // whether the index lists the file says what the refusal meant.
      const there = outcome.status === 400 || outcome.status === 403 ? await listedNow(dist, plan) : undefined;
      if (there) return settleExisting(dist, outcome.message, there, report, plan);
      if (outcome.status === 401 || outcome.status === 403) stopReason = `the index refused the credentials (${outcome.message})`;
      return fail(dist, outcome.message, report, plan.log);
    } catch (error) {
      return fail(dist, (error as Error).message, report, plan.log);
    }
  };
}

/** What the index lists of each project of the dists, and the simple URL that answered. */
export interface Listings {
  byProject: Map<string, IndexedFile[]>;
  simpleUrl: string;
}

/** The files the index already lists for each project of the dists; never rejects. */
export async function lookUpProjects(dists: Dist[], http: HttpClient, simpleUrl: string, log: Logger): Promise<Listings> {
  const listings: Listings = { byProject: new Map(), simpleUrl };
  await Promise.all(
    [...new Set(dists.map((d) => d.project))].map(async (project) => {
      try {
        const page = await readProjectPage(http, simpleUrl, project);
        listings.byProject.set(project, page.files ?? []);
        listings.simpleUrl = page.simpleUrl;
      } catch (error) {
        // Not fatal: the upload itself tells us what the index holds.
        log.debug(`could not list ${project} on ${simpleUrl}: ${(error as Error).message}`);
      }
    }),
  );
  return listings;
}

/** The index's simple listing of the dist's file as it is now; undefined when not listed or unknown. */
async function listedNow(dist: Dist, plan: UploadPlan): Promise<IndexedFile | undefined> {
  const listed = await listProjectFiles(plan.http, plan.simpleUrl, dist.project).catch(() => undefined);
  return listed?.find((f) => f.filename === dist.filename);
}

/**
 * The index refused the file as existing (its words, `answersExists`, or its simple index listing
 * the name: `there`). skip-existing skips it on every index, as twine 6.1 did; the listing tells
 * whether the file there is this one. Without skip-existing only an identical file counts as
 * published (warehouse answers 200 for the same bytes, others may not).
 */
function settleExisting(dist: Dist, message: string, there: IndexedFile | undefined, report: RunReport, plan: UploadPlan): UploadOutcome {
  if (there?.sha256 === dist.digests.sha256) {
    report.alreadyPresent(dist, plan.linksFor(dist, there));
    plan.log.info(`${dist.filename}: already present on the index (same sha256)`);
    return ON_INDEX;
  }
  if (plan.skipExisting && there?.sha256) {
    report.skippedDiffering(dist, there, plan.linksFor(dist, there).url);
    plan.log.debug(`${dist.filename}: skipped (differs): the index holds another file of this name`);
    return ON_INDEX;
  }
  if (plan.skipExisting) {
    report.skipped(dist, 'a file of this name already exists on the index (skip-existing)', plan.linksFor(dist));
    plan.log.info(`${dist.filename}: skipped, already exists on the index`);
    return ON_INDEX;
  }
  // Warehouse's words already say it; a bare 409 ("Conflict") does not.
  const why = there?.sha256 && !/already exist/i.test(message) ? ' (the index holds a different file under this name)' : '';
  // The index's words end as they end; the advice starts a sentence of its own.
  const said = /[.!?]$/.test(`${message}${why}`) ? `${message}${why}` : `${message}${why}.`;
  return fail(dist, `${said} Set \`skip-existing: true\` to skip files that already exist.`, report, plan.log, true);
}

/** The reason is the file's error: the report prints it once, with the run's failure. */
function fail(dist: Dist, reason: string, report: RunReport, log: Logger, existsOnIndex = false): UploadOutcome {
  report.uploadFailed(dist, reason, existsOnIndex);
  log.debug(`${dist.filename}: failed`);
  return NOT_ON_INDEX;
}
