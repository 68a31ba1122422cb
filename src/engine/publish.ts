// The one orchestrator: inputs → dists → checks → Trusted Publishing → sign → verify → upload →
// report. Each stage finishes for every file before the next begins, so a problem found late
// (a bad dist, a signing failure) never leaves a release half-published.
import type { PublishConfig } from '../config/types.ts';
import { isPyPIHost, trustedPublisherNudge } from '../config/pypi-hosts.ts';
import type { Dist, Problem } from '../dists/types.ts';
import type { HttpClient } from '../http/client.ts';
import { reusableWorkflow, type Claims } from '../pypi/claims.ts';
import { createTokenSource } from '../pypi/trusted-publishing.ts';
import { TrustedPublishingError } from '../pypi/errors.ts';
import { reusableWorkflowWarning } from '../pypi/messages.ts';
import { defaultSimpleUrl } from '../pypi/simple-index.ts';
import type { DistSigner, DistVerifier, IdentityProvider } from '../sigstore/types.ts';
import type { FileReport, SigningReport } from '../report/types.ts';
import { signingReport } from '../report/signing.ts';
import { attestAll, AttestationError, publisherIdentity, type Attested } from './attest.ts';
import { EarlySigstore } from './early-sigstore.ts';
import { formatProblem, prepareDists } from './prepare.ts';
import { hashBlock, type HashBlock } from './hashes.ts';
import { linksFor } from './links.ts';
import { lookUpProjects, uploadAll } from './upload-all.ts';
import type { GitHubContext, Runtime } from './runtime.ts';

export interface Services {
  http: HttpClient;
  identity: IdentityProvider;
  /**
   * Created only when attestations are made: loads the trust root, which may mean network. `dists` is
   * how many will be signed (many are verified on a thread of their own).
   */
  sigstore(plan: { dists: number }): Promise<{ signer: DistSigner; verifier: DistVerifier; entryUrl?: (logIndex: string) => string }>;
  /** Closes every connection pool the services opened. */
  close(): Promise<void>;
}

export interface PublishResult {
  files: FileReport[];
  /** Set when the run failed; the per-file report is complete either way. */
  failure?: { message: string; summary?: string; title?: string };
  /** Who signed the attestations, when files were signed. */
  signing?: SigningReport;
}

export async function publish(config: PublishConfig, github: GitHubContext, runtime: Runtime, services: Services): Promise<PublishResult> {
  const { log } = runtime;
  // Made once the dists are known; the exchange, which starts it, begins only then.
  let early: EarlySigstore | undefined;
  const tokens =
    config.mode === 'trusted-publishing'
      ? createTokenSource({ http: services.http, identity: services.identity, mask: runtime.mask, log, github, onClaims: (c) => early?.start(c) }, config.repositoryUrl)
      : undefined;
  // The index's audience is public: it is asked for while the dists are read and checked, which takes
  // longer than the round trip. Every token is still requested only once they all passed.
  tokens?.prefetchAudience();
  const prepared = await prepareDists(config.packagesDir, github.workspace, config.verifyMetadata);
  // A map, not a search per path: a packages-dir may hold thousands of files.
  const byPath = new Map(prepared.dists.map((d) => [d.path, d]));
  const files: FileReport[] = prepared.paths.map((path) => {
    const dist = byPath.get(path);
    return { filename: path.split(/[\\/]/).pop() ?? path, path, size: dist?.size ?? 0, sha256: dist?.digests.sha256 || undefined, status: 'not-attempted' };
  });

  for (const p of prepared.problems.filter((p) => p.severity === 'warning')) log.warning(formatProblem(p), 'Distribution check');
  const failed = heldBack(prepared.problems.filter((p) => p.severity === 'error'), files);
  if (failed) return failed;
  if (prepared.dists.length === 0) return { files, failure: { message: 'No distributions to publish.' } };
  // A load it starts and the run does not use (a refused exchange) needs no waiting for: its failure is
  // caught inside, and the process ends when it ends.
  early = new EarlySigstore(services, config.attestations, prepared.dists.length);
  const hashes = config.printHash || config.verbose ? hashBlock(prepared.dists, log) : undefined;
  hashes?.start();
  // A large dist's SHA-256 is still being read; the exchange goes on meanwhile, nothing is signed or
  // sent before it is known.
  const digested = prepared.digested.then((unread) => {
    for (const f of files) f.sha256 ??= byPath.get(f.path)?.digests.sha256 || undefined;
    return heldBack(unread, files);
  });
  try {
    return await attestAndUpload(config, github, runtime, services, prepared.dists, files, { tokens, early, hashes, digested });
  } finally {
    await hashes?.finish();
  }
}

/** The report of a run stopped before anything was signed or sent, or undefined when nothing failed. */
function heldBack(errors: Problem[], files: FileReport[]): PublishResult | undefined {
  if (errors.length > 0) {
    for (const p of errors) {
      // Every file the problem names: two different files with one basename are both at fault.
      const named = files.filter((f) => f.path === p.file || f.filename === p.file);
      // A path rejected while finding the dists (a link outside the workspace, a directory named
      // like a dist) never became a file to read; it still gets its row in the report.
      if (named.length === 0 && p.file && p.code.startsWith('dist-')) {
        const row: FileReport = { filename: p.file.split(/[\\/]/).pop() ?? p.file, path: p.file, size: 0, status: 'not-attempted' };
        files.push(row);
        named.push(row);
      }
      for (const report of named) report.reason = report.reason ? `${report.reason}; ${p.message}` : p.message;
    }
    // A valid file is held back too (all or nothing): say so, or it looks like it was forgotten.
    for (const f of files.filter((f) => f.reason === undefined)) Object.assign(f, { heldBack: true, reason: `held back: ${errors.length} problem(s) with other files must be fixed first` });
    return {
      files,
      failure: {
        message: `${errors.length} problem(s) found before upload; nothing was signed or sent:\n${errors.map((p) => `- ${formatProblem(p)}`).join('\n')}`,
      },
    };
  }
  return undefined;
}

type TokenSource = ReturnType<typeof createTokenSource>;

/** Stages 2–4 for dists that passed every check; `files` is the report, updated in place. */
async function attestAndUpload(
  config: PublishConfig,
  github: GitHubContext,
  runtime: Runtime,
  services: Services,
  dists: Dist[],
  files: FileReport[],
  { tokens, early, hashes, digested }: { tokens: TokenSource | undefined; early: EarlySigstore; hashes: HashBlock | undefined; digested: Promise<PublishResult | undefined> },
): Promise<PublishResult> {
  const { log } = runtime;
  if (config.mode !== 'trusted-publishing' && isPyPIHost(config.repositoryUrl)) {
    const nudge = trustedPublisherNudge(config.repositoryUrl, {
      repository: github.repository,
      workflowRef: github.workflowRef,
      projects: [...new Set(dists.map((d) => d.project))],
    });
    if (nudge) {
      log.warning(nudge, 'Create a Trusted Publisher');
      await runtime.appendSummary(`${nudge}\n`);
    }
  }

  const reports = new Map(files.map((f) => [f.path, f]));
  let claims: Claims = {};
  try {
    if (tokens) claims = (await tokens.get()).claims;
  } catch (error) {
    if (error instanceof TrustedPublishingError) return { files, failure: { message: error.message, summary: error.summary } };
    throw error;
  }
  const reusable = reusableWorkflow(claims);
  // The exchange succeeded: the certificate is asked for now, while a large dist may still be hashed.
  const sigstore = config.attestations && tokens && !reusable ? early.get() : undefined;
  const certified = sigstore?.then((s) => s.signer.certify?.());
  // Both are reported where they are awaited below, or not at all when the run stops first.
  sigstore?.catch(() => undefined);
  certified?.catch(() => undefined);
  const unread = await digested;
  if (unread) return unread;

  // Once the exchange succeeded, the index is asked what it already holds while the dists are signed
  // (a read of public data; never rejects).
  const simpleUrl = defaultSimpleUrl(config.repositoryUrl);
  const listings = lookUpProjects(dists, services.http, simpleUrl, log);

  let attested = new Map<Dist, Attested>();
  try {
    if (config.attestations && tokens) {
      if (reusable) {
        const text = reusableWorkflowWarning(reusable.caller, reusable.called);
        log.warning(text, 'Attestations skipped: reusable workflow');
        await runtime.appendSummary(`${text}\n`);
      } else if (sigstore) {
        log.notice('Generating and uploading digital attestations');
        const { signer, verifier, entryUrl } = await sigstore;
        const made = await attestAll(dists, signer, verifier, publisherIdentity(claims), certified);
        attested = new Map(made.map((a) => [a.dist, a]));
        for (const a of made) {
          Object.assign(reports.get(a.dist.path) as FileReport, {
            bundlePath: a.bundlePath,
            attestationPath: a.attestationPath,
            transparencyLogIndex: a.rekorLogIndex,
            transparencyLogUrl: a.rekorLogIndex && entryUrl ? entryUrl(a.rekorLogIndex) : undefined,
          });
        }
      }
    }
  } catch (error) {
    if (error instanceof AttestationError) {
      for (const f of error.failures) {
        const report = files.find((r) => r.filename === f.filename);
        if (report) report.reason = `attestation failed: ${f.reason}`;
      }
      // Nothing is uploaded unless every dist is attested: the others are held back, and say why.
      for (const f of files.filter((f) => f.reason === undefined)) Object.assign(f, { heldBack: true, reason: `held back: attestation failed for ${error.failures.length} other file(s)` });
      return { files, failure: { message: error.message } };
    }
    throw error;
  }

  await uploadAll(dists, reports, {
    http: services.http,
    url: config.repositoryUrl,
    simpleUrl,
    listings: await listings,
    skipExisting: config.skipExisting,
    concurrency: config.uploadConcurrency,
    credentials: async () => (tokens ? { user: '__token__', password: (await tokens.get()).token } : { user: config.user, password: config.password }),
    observeUpload: (dist) => hashes?.observerFor(dist),
    attestationsFor: (dist) => {
      const a = attested.get(dist);
      return a ? [a.signed.attestation] : undefined;
    },
    linksFor: (dist, listed) => linksFor(config.repositoryUrl, dist, listed, attested.has(dist)),
    log,
  });

  const signing = attested.size > 0 ? signingReport(claims) : undefined;
  const unfinished = files.filter((f) => f.status === 'failed' || f.status === 'not-attempted');
  if (unfinished.length > 0) {
    // Each failed file's error, once; the files held back are in the report's outcome lines, and
    // what to do (re-run or not) is the report's advice, which depends on the index's answer.
    const failed = unfinished.filter((f) => f.status === 'failed');
    return {
      files,
      signing,
      failure: {
        title: 'Upload failed',
        message: `${unfinished.length} of ${files.length} file(s) were not published:\n${(failed.length > 0 ? failed : unfinished).map((f) => `- ${f.filename}: ${f.reason ?? f.status}`).join('\n')}`,
      },
    };
  }
  return { files, signing };
}
