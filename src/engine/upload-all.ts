// Stage 4: upload with bounded concurrency. What the index already holds is looked up first, so a
// re-run reports "already present" instead of sending gigabytes again; the first file of a new
// release goes alone (it creates the release and fixes its metadata); an authentication failure
// stops the rest at once instead of failing every file the same way.
import type { HttpClient } from '../http/client.ts';
import type { Dist } from '../dists/types.ts';
import { listProjectFiles, type IndexedFile } from '../pypi/simple-index.ts';
import { uploadFile, uploadForm, type Credentials } from '../pypi/upload.ts';
import type { MultipartFile } from '../pypi/multipart.ts';
import type { FileReport } from '../report/types.ts';
import type { Logger } from './runtime.ts';
import { mapLimit } from './concurrency.ts';

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
  linksFor(dist: Dist, listed?: IndexedFile): { url?: string; provenanceUrl?: string };
  log: Logger;
}

const FILE_EXISTS = /File already exists/;

export async function uploadAll(dists: Dist[], reports: Map<string, FileReport>, plan: UploadPlan): Promise<void> {
  const { listings } = plan;
  let stopReason: string | undefined;

  const uploadOne = async (dist: Dist): Promise<boolean> => {
    const report = reports.get(dist.path) as FileReport;
    if (stopReason) {
      Object.assign(report, { status: 'not-attempted', heldBack: true, reason: stopReason });
      return false;
    }
    const listed = listings.get(dist.project)?.find((f) => f.filename === dist.filename);
    if (listed?.sha256 === dist.digests.sha256) {
      Object.assign(report, { status: 'already-present', reason: undefined }, plan.linksFor(dist, listed));
      plan.log.info(`${dist.filename}: already present on the index (same sha256), not uploaded again`);
      return true;
    }
    try {
      const form = uploadForm(dist, plan.attestationsFor(dist));
      const outcome = await uploadFile(plan.http, plan.url, dist, form, await plan.credentials(), plan.observeUpload?.(dist));
      if (outcome.kind === 'uploaded') {
        Object.assign(report, { status: 'uploaded', reason: undefined }, plan.linksFor(dist));
        plan.log.info(`${dist.filename}: uploaded`);
        return true;
      }
      if (outcome.kind === 'exists') return await settleExisting(dist, report, outcome.message, plan);
      if (outcome.status === 401 || outcome.status === 403) stopReason = `held back: the index refused the credentials (${outcome.message})`;
      return fail(report, outcome.message, plan.log);
    } catch (error) {
      return fail(report, (error as Error).message, plan.log);
    }
  };

  // Group by release; a release the index does not know yet gets its first file uploaded alone.
  const releases = new Map<string, Dist[]>();
  for (const dist of dists) {
    const key = `${dist.project} ${dist.version}`;
    const files = releases.get(key);
    if (files) files.push(dist);
    else releases.set(key, [dist]);
  }
  const rest: Dist[] = [];
  const firsts: Dist[] = [];
  for (const files of releases.values()) {
    const known = files.some((d) => listings.get(d.project)?.some((f) => f.filename === d.filename));
    if (!known) firsts.push(files[0] as Dist);
    for (const d of known ? files : files.slice(1)) rest.push(d);
  }
  const firstOk = new Map<Dist, boolean>();
  await mapLimit(firsts, plan.concurrency, async (d) => firstOk.set(d, await uploadOne(d)));
  await mapLimit(rest, plan.concurrency, async (dist) => {
    const first = releases.get(`${dist.project} ${dist.version}`)?.[0];
    if (first && first !== dist && firstOk.get(first) === false) {
      const report = reports.get(dist.path) as FileReport;
      Object.assign(report, { status: 'not-attempted', heldBack: true, reason: `held back: the first file of this new release (${first.filename}) failed` });
      return false;
    }
    return uploadOne(dist);
  });
}

/** The files the index already lists for each project of the dists; never rejects. */
export async function lookUpProjects(dists: Dist[], http: HttpClient, simpleUrl: string, log: Logger): Promise<Map<string, IndexedFile[]>> {
  const listings = new Map<string, IndexedFile[]>();
  await Promise.all(
    [...new Set(dists.map((d) => d.project))].map(async (project) => {
      try {
        listings.set(project, (await listProjectFiles(http, simpleUrl, project)) ?? []);
      } catch (error) {
        // Not fatal: the upload itself tells us what the index holds.
        log.debug(`could not list ${project} on ${simpleUrl}: ${(error as Error).message}`);
      }
    }),
  );
  return listings;
}

async function settleExisting(dist: Dist, report: FileReport, message: string, plan: UploadPlan): Promise<boolean> {
  if (FILE_EXISTS.test(message)) {
    // Warehouse's wording: what twine's --skip-existing has always keyed on.
    if (plan.skipExisting) {
      // Warehouse answers this only for other bytes (the same bytes get 200): show whose file it is.
      const listed = await listProjectFiles(plan.http, plan.simpleUrl, dist.project).catch(() => undefined);
      const there = listed?.find((f) => f.filename === dist.filename);
      if (there?.sha256 && there.sha256 !== dist.digests.sha256) return skipDiffering(dist, report, there, plan);
      Object.assign(report, { status: 'skipped', reason: 'a file of this name already exists on the index (skip-existing)' }, plan.linksFor(dist));
      plan.log.info(`${dist.filename}: skipped, already exists on the index`);
      return true;
    }
    return fail(report, `${message} Set \`skip-existing: true\` to skip files that already exist.`, plan.log);
  }
  // Other indexes (pypiserver's 409, devpi, Artifactory…) say less: trust only a hash match.
  const listed = await listProjectFiles(plan.http, plan.simpleUrl, dist.project).catch(() => undefined);
  const same = listed?.find((f) => f.filename === dist.filename);
  if (same?.sha256 === dist.digests.sha256) {
    Object.assign(report, { status: 'already-present', reason: undefined }, plan.linksFor(dist, same));
    plan.log.info(`${dist.filename}: already present on the index (same sha256)`);
    return true;
  }
  const why = same?.sha256
    ? 'the index holds a different file under this name; only an identical file is skipped on this index'
    : 'the index refused the file as existing, and its simple index did not show the same sha256';
  return fail(report, `${message} (${why})`, plan.log);
}

/** skip-existing, and the index holds other bytes under this name: skipped, but never reported as this build's. */
function skipDiffering(dist: Dist, report: FileReport, listed: IndexedFile, plan: UploadPlan): true {
  Object.assign(report, {
    status: 'skipped',
    indexSha256: listed.sha256,
    reason: "skip-existing: the index holds a different file of this name; its file and provenance are not this build's",
    provenanceUrl: undefined,
  }, { url: plan.linksFor(dist, listed).url });
  plan.log.debug(`${dist.filename}: skipped (differs): the index holds another file of this name`);
  return true;
}

/** The reason is the file's error: the report prints it once, with the run's failure. */
function fail(report: FileReport, reason: string, log: Logger): false {
  Object.assign(report, { status: 'failed', reason });
  log.debug(`${report.filename}: failed`);
  return false;
}
