// The engine: one run, stage by stage, in the order it happens:
//
//   find → check → check build attestations → exchange → sign → verify → upload → read back → report
//
// Each stage finishes for every file before the next begins, so a problem found late (a bad dist, a
// signing failure) never leaves a release half-published. Work that may overlap for speed is handed
// forward as a promise: the index's audience (asked for while the dists are checked), the claims of
// the JWT being traded (the Sigstore stack loads from them while the index answers), the run's
// certificate (asked for once the exchange succeeded), a large dist's SHA-256 (read while the
// exchange goes on), each file's upload outcome (its read back starts while the other uploads go
// on). The report is written whatever ends the run.
import type { PublishConfig } from '../config/types.ts';
import { isPyPIHost, isWarehouseHost, trustedPublisherNudge } from '../config/pypi-hosts.ts';
import { isLoopbackHost } from '../config/loopback.ts';
import type { Dist } from '../dists/types.ts';
import { findDistFiles } from '../dists/find.ts';
import { parseDistFilename } from '../dists/filename.ts';
import { reusableWorkflow, type Claims } from '../pypi/claims.ts';
import { createTokenSource } from '../pypi/trusted-publishing.ts';
import { TrustedPublishingError } from '../pypi/errors.ts';
import { reusableWorkflowWarning } from '../pypi/messages.ts';
import { defaultSimpleUrl, type IndexedFile } from '../pypi/simple-index.ts';
import { classifierListUrl, indexClassifiers } from '../pypi/classifiers.ts';
import { CLASSIFIERS_SOURCE } from '../dists/metadata-validators.ts';
import { pyRepr } from '../dists/pyrepr.ts';
import { reportResult } from '../report/finish.ts';
import { signingReport } from '../report/signing.ts';
import type { PublisherIdentity } from '../sigstore/types.ts';
import { attestAll, AttestationError, publisherIdentity, type Attested } from './attest.ts';
import { hashBlock, type HashBlock } from './hashes.ts';
import { linksFor } from './links.ts';
import { formatProblem, prepareDists, type Prepared } from './prepare.ts';
import { RunReport, type PublishResult } from './report.ts';
import { folded, type GitHubContext, type Runtime } from './runtime.ts';
import { redactUrl } from '../http/client.ts';
import { basename } from 'node:path';
import type { Services, SigstoreServices } from './services.ts';
import { lookUpProjects, startUploads, type Listings, type UploadOutcome } from './upload-all.ts';
import { checkBuildAttestations, dropBuildAttestations, readBackServed, type BuildAttestations } from './build-attestations.ts';

export type { PublishResult } from './report.ts';

/** What every stage may read: the run's inputs, its host and services, and the report it fills in. */
interface Run {
  config: PublishConfig;
  github: GitHubContext;
  runtime: Runtime;
  services: Services;
  report: RunReport;
}

type TokenSource = ReturnType<typeof createTokenSource>;

/** Signing as planned once the exchange succeeded: the Sigstore stack and the certificate, both on their way. */
interface Signing {
  sigstore: Promise<SigstoreServices>;
  certified: Promise<void>;
  identity: PublisherIdentity;
}

export async function publish(config: PublishConfig, github: GitHubContext, runtime: Runtime, services: Services): Promise<PublishResult> {
  const run: Run = { config, github, runtime, services, report: new RunReport() };
  try {
    await runStages(run);
  } catch (error) {
    run.report.stopped(error);
  } finally {
    await reportStage(run);
  }
  return run.report.result();
}

async function runStages(run: Run): Promise<void> {
  if (run.config.mode === 'password' && isPyPIHost(run.config.repositoryUrl)) return refusePassword(run);
  const tokens = run.config.mode === 'trusted-publishing' ? tokenSource(run) : undefined;
  // The index's audience is public: it is asked for while the dists are read and checked, which takes
  // longer than the round trip. Every token is still requested only once they all passed.
  const checked = await folded(run.runtime.log, 'Checking the distributions', async () => {
    const audience = tokens?.prefetchAudience();
    const found = await findAndCheck(run);
    // The exchange needs the audience first thing, so waiting for it here costs nothing and folds its
    // request line into the stage that asked for it. Dists that failed their checks do not wait.
    if (found) await audience;
    return found;
  });
  if (!checked) return;
  const hashes = run.config.printHash || run.config.verbose ? hashBlock(checked.dists, run.runtime.log) : undefined;
  try {
    const build = await checkBuildAttestations(run, checked);
    if (!build) return;
    await publishChecked(run, checked, tokens, hashes, build);
  } finally {
    // The digests are read whatever happened; print-hash shows them before the report.
    await hashes?.finish((await checked.digested).dists);
  }
}

/** The stages after the checks passed, each given what the one before it produced. */
async function publishChecked(
  run: Run,
  checked: Prepared,
  tokens: TokenSource | undefined,
  hashes: HashBlock | undefined,
  checkedBuild: BuildAttestations,
): Promise<void> {
  const { log } = run.runtime;
  // The Sigstore stack loads from the claims of the JWT being traded, while the index answers.
  const { claims, sigstore } = await folded(log, tokens ? `Trusted Publishing exchange with ${run.config.repositoryUrl.host}` : undefined, async () => {
    const minting = tokens?.get();
    const warned = warnOfReusableWorkflow(run, tokens?.issuedClaims);
    const loading = loadSigstore(run, tokens?.claims);
    const claims = await exchange(run, minting);
    await warned;
    return { claims, sigstore: loading };
  });
  if (!claims) return;
  const signing = await planSigning(run, claims, sigstore);
  const build = dropBuildAttestations(run, claims, checkedBuild);
  const dists = await digests(run, checked);
  if (!dists) return;
  // The index is asked what it already holds while the dists are signed (public data; never rejects).
  const listings = lookUpProjects(dists, run.services.http, defaultSimpleUrl(run.config.repositoryUrl), run.runtime.log);
  const attested = await folded(log, signing ? `Signing and verifying ${count(dists)}` : undefined, () => signAndVerify(run, dists, signing));
  if (!attested) return;
  const signer = attested.size > 0 ? signingReport(claims) : undefined;
  if (signer) run.report.signedBy(signer);
  // The read back of what was sent is part of the upload stage (it asks the index): each file's starts
  // as soon as its own upload succeeded, while the others go on.
  await folded(log, `Uploading ${count(dists)} to ${redactUrl(run.config.repositoryUrl.href)}`, async () => {
    const uploads = upload(run, dists, { tokens, hashes, attested, build, listings: await listings });
    await readBack(run, dists, uploads, { attested, build, signing, claims });
  });
  run.report.uploadsSettled();
}

const count = (dists: Dist[]) => `${dists.length} distribution${dists.length === 1 ? '' : 's'}`;

function tokenSource(run: Run): TokenSource {
  const { services, runtime, github } = run;
  return createTokenSource({ http: services.http, identity: services.identity, mask: runtime.mask, log: runtime.log, github }, run.config.repositoryUrl);
}

/** Find and check: every dist read and held to PyPI's rules; undefined when the run stops here. */
async function findAndCheck(run: Run): Promise<Prepared | undefined> {
  const { config, report, runtime } = run;
  const listUrl = classifierListUrl(config.repositoryUrl);
  const forPyPI = isWarehouseHost(config.repositoryUrl) || isLoopbackHost(config.repositoryUrl.hostname);
  const prepared = await prepareDists(config.packagesDir, run.github.workspace, config.verifyMetadata, {
    indexClassifiers: () => indexClassifiers(run.services.http, listUrl),
    ...(forPyPI ? {} : { otherIndex: config.repositoryUrl.host }),
  });
  report.found(prepared.paths, prepared.dists);
  // The incumbent nudges before its checks: a token for PyPI hears of Trusted Publishing whatever they find.
  await nudgeTowardTrustedPublishing(
    run,
    prepared.dists.map((d) => d.project),
  );
  for (const c of prepared.listedByIndex)
    runtime.log.info(`Classifier ${pyRepr(c)} is not in this action's copy (${CLASSIFIERS_SOURCE}); the index lists it (${listUrl}), so it is accepted.`);
  for (const p of prepared.problems.filter((p) => p.severity === 'warning')) runtime.log.warning(formatProblem(p), 'Distribution check');
  const errors = prepared.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) report.heldBack(errors);
  else if (prepared.dists.length === 0) report.fail({ message: 'No distributions to publish.' });
  return report.failed ? undefined : prepared;
}

/**
 * The incumbent's one refusal: PyPI takes no password since 2024. Nothing is read or sent; the
 * "Create a Trusted Publisher" links name the projects of the dists' file names, as the incumbent's do.
 */
async function refusePassword(run: Run): Promise<void> {
  const { files } = await findDistFiles(run.config.packagesDir, run.github.workspace);
  run.report.found(files, []);
  run.report.fail({
    title: 'Password-based uploads disabled',
    message: PASSWORD_UPLOADS_DISABLED,
    summary: `**Password-based uploads disabled.** ${PASSWORD_UPLOADS_DISABLED}`,
  });
  await nudgeTowardTrustedPublishing(
    run,
    files.flatMap((path) => projectOfFilename(basename(path)) ?? []),
  );
}

const PASSWORD_UPLOADS_DISABLED =
  'As of 2024, PyPI requires all users to enable Two-Factor Authentication. This consequently requires all users to switch to either Trusted Publishers (preferred) or API tokens for package uploads. Read more: https://blog.pypi.org/posts/2023-05-25-securing-pypi-with-2fa/';

/** The project a dist's file name names, or undefined for a name no dist has. */
function projectOfFilename(filename: string): string | undefined {
  try {
    return parseDistFilename(filename).name;
  } catch {
    return undefined;
  }
}

/** A password or API token sent to PyPI itself: say how to make a Trusted Publisher instead. */
async function nudgeTowardTrustedPublishing(run: Run, names: string[]): Promise<void> {
  const { config, github, runtime } = run;
  if (config.mode === 'trusted-publishing' || !isPyPIHost(config.repositoryUrl)) return;
  const projects = [...new Set(names)];
  // A GitLab job's publisher is its project and pipeline file; GitHub's, the repository and workflow.
  const gitlab = github.publisher?.kind === 'gitlab' ? { repository: github.publisher.repository, workflow: github.publisher.workflow } : undefined;
  const nudge = trustedPublisherNudge(config.repositoryUrl, {
    repository: github.repository,
    workflowRef: github.workflowRef,
    ...(gitlab ? { gitlab } : {}),
    projects,
  });
  if (!nudge) return;
  runtime.log.warning(nudge, 'Create a Trusted Publisher');
  await runtime.appendSummary(`${nudge}\n`);
}

/**
 * The incumbent's reusable-workflow warning, in the log and the summary, as soon as the claims of the
 * JWT being traded are known: before the mint's answer, whatever it is (PyPI matches a publisher on
 * the called workflow, so a refusal is what such a job most often meets), with attestations or not.
 */
async function warnOfReusableWorkflow(run: Run, claims: Promise<Claims> | undefined): Promise<void> {
  const known = await claims?.catch(() => undefined);
  const reusable = known && reusableWorkflow(known);
  if (!reusable) return;
  const text = reusableWorkflowWarning(reusable.caller, reusable.called, run.config.attestations);
  run.runtime.log.warning(text, run.config.attestations ? 'Attestations skipped: reusable workflow' : 'Potential workflow misconfiguration');
  await run.runtime.appendSummary(`${text}\n`);
}

/**
 * Starts loading the Sigstore stack once the claims of the JWT being traded are known (a macrotask
 * after the mint request left), unless this publisher gets no attestations. Not earlier: compiling
 * the stack holds the thread and delayed the mint request. No certificate is asked for here.
 */
function loadSigstore(run: Run, claims: Promise<Claims> | undefined): Promise<SigstoreServices | undefined> | undefined {
  if (!run.config.attestations || !claims) return undefined;
  const loading = claims.then((c) => (reusableWorkflow(c) ? undefined : run.services.sigstore()));
  // A failure is reported where signing waits for the stack, or not at all when the run stops first.
  loading.catch(() => undefined);
  return loading;
}

/** The exchange: the claims of the traded JWT ({} without Trusted Publishing), or undefined when it was refused. */
async function exchange(run: Run, minting: ReturnType<TokenSource['get']> | undefined): Promise<Claims | undefined> {
  if (!minting) return {};
  try {
    return (await minting).claims;
  } catch (error) {
    if (!(error instanceof TrustedPublishingError)) throw error;
    run.report.fail({ message: error.message, ...(error.summary ? { summary: error.summary } : {}) });
    return undefined;
  }
}

/**
 * Whether and how the dists are signed, decided by the exchange's claims. The certificate is asked
 * for now, while a large dist may still be hashed; a refused exchange never got this far, so it
 * leaves no certificate (and no CT log entry) behind.
 */
async function planSigning(run: Run, claims: Claims, loading: Promise<SigstoreServices | undefined> | undefined): Promise<Signing | undefined> {
  // A reusable workflow was warned of as soon as its claims were known (warnOfReusableWorkflow).
  if (!loading || reusableWorkflow(claims)) return undefined;
  const sigstore = loading.then((s) => s ?? run.services.sigstore());
  const certified = sigstore.then((s) => s.signer.certify?.());
  // Both are reported where signing awaits them, or not at all when the run stops first.
  sigstore.catch(() => undefined);
  certified.catch(() => undefined);
  return { sigstore, certified, identity: publisherIdentity(claims) };
}

/** Every SHA-256 known (a large dist's was read on while the exchange went on); undefined when a read failed. */
async function digests(run: Run, checked: Prepared): Promise<Dist[] | undefined> {
  const { dists, problems } = await checked.digested;
  run.report.digested(dists);
  if (problems.length === 0) return dists;
  run.report.heldBack(problems);
  return undefined;
}

/** Sign, then verify, every dist; the attestations by dist path, or undefined when any failed. */
async function signAndVerify(run: Run, dists: Dist[], signing: Signing | undefined): Promise<Map<string, Attested> | undefined> {
  if (!signing) return new Map();
  run.runtime.log.notice('Generating and uploading digital attestations');
  try {
    const { signer, verifier, entryUrl } = await signing.sigstore.catch((error: unknown) => {
      // No trust root, no signature: every dist fails for the one reason.
      throw new AttestationError(dists.map((d) => ({ filename: d.filename, reason: `Sigstore could not be set up: ${(error as Error).message}` })));
    });
    const made = await attestAll(dists, signer, verifier, signing.identity, signing.certified);
    for (const a of made) {
      const transparencyLogUrl = a.rekorLogIndex && entryUrl ? entryUrl(a.rekorLogIndex) : undefined;
      run.report.attested(a.dist, {
        // Absent when the sidecars' names could not fit (the pre-flight warned): the attestation is still uploaded.
        ...(a.bundlePath ? { bundlePath: a.bundlePath } : {}),
        ...(a.attestationPath ? { attestationPath: a.attestationPath } : {}),
        ...(a.rekorLogIndex ? { transparencyLogIndex: a.rekorLogIndex } : {}),
        ...(transparencyLogUrl ? { transparencyLogUrl } : {}),
      });
    }
    return new Map(made.map((a) => [a.dist.path, a]));
  } catch (error) {
    if (!(error instanceof AttestationError)) throw error;
    run.report.attestationFailed(error.failures, error.message);
    return undefined;
  }
}

interface UploadInputs {
  tokens: TokenSource | undefined;
  hashes: HashBlock | undefined;
  attested: Map<string, Attested>;
  build: BuildAttestations;
  listings: Listings;
}

/** Upload: every dist's upload started; one promise per dist, in order, for its outcome. */
function upload(run: Run, dists: Dist[], { tokens, hashes, attested, build, listings }: UploadInputs): Array<Promise<UploadOutcome>> {
  const { config } = run;
  const { simpleUrl } = listings;
  return startUploads(dists, run.report, {
    http: run.services.http,
    url: config.repositoryUrl,
    simpleUrl,
    listings: listings.byProject,
    skipExisting: config.skipExisting,
    concurrency: config.uploadConcurrency,
    // A token that ages during a long upload is re-minted (with a fresh JWT) by the token source.
    credentials: async () => (tokens ? { user: '__token__', password: (await tokens.get()).token } : { user: config.user, password: config.password }),
    observeUpload: (dist) => hashes?.observerFor(dist),
    // PyPI keeps one attestation per predicate type: the publish one first, then the build one.
    attestationsFor: (dist) => {
      const both = [attested.get(dist.path)?.signed.attestation, build.get(dist.path)?.attestation].filter((a) => a !== undefined);
      return both.length > 0 ? both : undefined;
    },
    linksFor: (dist, listed) => linksFor({ uploadUrl: config.repositoryUrl, simpleUrl }, dist, listed, attested.has(dist.path) || build.has(dist.path)),
    log: run.runtime.log,
  });
}

/** Read back: the provenance the index serves for each file uploaded now, compared with what was sent; settles once every upload did. */
function readBack(
  run: Run,
  dists: Dist[],
  uploads: Array<Promise<UploadOutcome>>,
  sent: { attested: Map<string, Attested>; build: BuildAttestations; signing: Signing | undefined; claims: Claims },
): Promise<void> {
  const { signing } = sent;
  const verifier = signing ? async () => (await signing.sigstore).verifier : undefined;
  return readBackServed(run, dists, uploads, { ...sent, verifier, identity: signing?.identity ?? publisherIdentity(sent.claims) });
}

/** The per-file table in the log, the job summary and the outputs, in every ending of the run. */
async function reportStage(run: Run): Promise<void> {
  const { config, github } = run;
  await reportResult(run.report.result(), run.runtime, {
    repositoryUrl: config.repositoryUrl.href,
    mode: config.mode,
    workspace: github.workspace,
    ci: github.publisher?.kind === 'gitlab' ? 'gitlab' : 'github',
  });
}
