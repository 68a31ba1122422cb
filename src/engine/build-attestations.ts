// The engine's two stages for build provenance (docs/build-provenance.md):
//  - check, before any token: the `<dist>.slsa.attestation` beside each dist, verified with PyPI's
//    policy for this run's publisher and the dist's sha256; one PyPI would refuse stops the run;
//  - read back, as each upload succeeds: the provenance the index serves for each file uploaded now,
//    compared with what was sent; a difference is a warning (the file is public).
import type { PublishConfig } from '../config/types.ts';
import type { Dist } from '../dists/types.ts';
import { reusableWorkflow, type Claims } from '../pypi/claims.ts';
import { findBuildAttestations, runPublisher, verifyBuildAttestations, type BuildAttestation } from '../provenance/build-attestations.ts';
import { provenanceReader, servedLine, type ServedProvenance, type UploadedFile } from '../provenance/read-back.ts';
import type { DistVerifier, PublisherIdentity } from '../sigstore/types.ts';
import type { Attested } from './attest.ts';
import type { Prepared } from './prepare.ts';
import type { RunReport } from './report.ts';
import { folded, type GitHubContext, type Runtime } from './runtime.ts';
import type { Services } from './services.ts';
import type { UploadOutcome } from './upload-all.ts';

/** The build attestations to upload, by dist path. */
export type BuildAttestations = ReadonlyMap<string, BuildAttestation>;

/** What these stages read of the run. */
export interface BuildStageRun {
  config: PublishConfig;
  github: GitHubContext;
  runtime: Runtime;
  services: Services;
  report: RunReport;
}

const NONE: BuildAttestations = new Map();

function refuse(report: RunReport, failures: Array<{ filename: string; reason: string }>): undefined {
  const message = `${failures.length} build attestation(s) would be refused by PyPI; nothing was sent and no token was requested:\n${failures.map((f) => `- ${f.filename}: ${f.reason}`).join('\n')}`;
  report.attestationFailed(failures, message);
  return undefined;
}

/** Check: the build attestations found, each verified as PyPI will; undefined when the run stops here. */
export async function checkBuildAttestations(run: BuildStageRun, checked: Prepared): Promise<BuildAttestations | undefined> {
  const { found, failures } = await findBuildAttestations(checked.dists, run.config.buildAttestations);
  if (failures.length > 0) return refuse(run.report, failures);
  if (found.size === 0) return NONE;
  // Folded like every stage: the verifier may load the trust root, and each file gets a line.
  return folded(run.runtime.log, `Checking ${found.size} build attestation(s)`, () => verifyFound(run, checked, found));
}

/** Each found build attestation verified against this run's workflow, as PyPI will. */
async function verifyFound(run: BuildStageRun, checked: Prepared, found: BuildAttestations): Promise<BuildAttestations | undefined> {
  const identity = run.github.publisher ?? runPublisher(run.github);
  if (!identity) {
    const named =
      run.services.identity.platform === 'gitlab-ci'
        ? 'CI_PROJECT_PATH (which GitLab sets in every job) names no project'
        : 'GITHUB_REPOSITORY and GITHUB_WORKFLOW_REF (which GitHub sets in every job) name no workflow';
    return refuse(
      run.report,
      [...found.values()].map((b) => ({ filename: b.attestationPath, reason: `${named} to check the build attestation against` })),
    );
  }
  // The sha256 of a large dist may still be read on: the check waits for it, before any token.
  const { dists } = await checked.digested;
  const verifier = await run.services.verifier();
  const refused = await verifyBuildAttestations(
    found,
    dists.filter((d) => d.digests.sha256).map((d) => ({ path: d.path, filename: d.filename, sha256: d.digests.sha256 })),
    verifier,
    identity,
  );
  if (refused.length > 0) return refuse(run.report, refused);
  for (const b of found.values())
    run.runtime.log.info(`${b.attestationPath}: build attestation verified with PyPI's policy for ${identity.repository} (${identity.workflow})`);
  return found;
}

/** In a reusable workflow PyPI refuses every attestation (README, "Reusable workflows"): the build ones are not sent either. */
export function dropBuildAttestations(run: BuildStageRun, claims: Claims, build: BuildAttestations): BuildAttestations {
  if (build.size === 0 || !reusableWorkflow(claims)) return build;
  run.runtime.log.warning(
    `The ${build.size} build attestation(s) are not uploaded: PyPI checks attestations against the workflow the trusted publisher names, and this job runs in a reusable workflow.`,
    'Build attestations skipped',
  );
  return NONE;
}

export interface ReadBackInputs {
  attested: ReadonlyMap<string, Attested>;
  build: BuildAttestations;
  /** the signing stage's verifier, when there was one */
  verifier: (() => Promise<DistVerifier>) | undefined;
  identity: PublisherIdentity;
}

/**
 * Read back every file uploaded now that carried an attestation, each as soon as its own upload
 * (`uploads`, one per dist) succeeded. What was served is logged once every upload and read back
 * ended, in the dists' order, after the upload lines.
 */
export async function readBackServed(run: BuildStageRun, dists: Dist[], uploads: Array<Promise<UploadOutcome>>, sent: ReadBackInputs): Promise<void> {
  let verifier: Promise<DistVerifier> | undefined;
  const read = provenanceReader({
    http: run.services.http,
    identity: sent.identity,
    verifier: () => (verifier ??= sent.verifier?.() ?? run.services.verifier()),
  });
  const served = await Promise.all(
    dists.map(async (dist, i) => {
      const file = uploadedFile(dist, await uploads[i], sent);
      return file && { dist, provenance: await read(file) };
    }),
  );
  for (const s of served) if (s) logServed(run, s.dist, s.provenance);
}

/** What the read back needs of a dist this run uploaded now with an attestation; undefined for any other. */
function uploadedFile(dist: Dist, outcome: UploadOutcome | undefined, sent: ReadBackInputs): UploadedFile | undefined {
  const provenanceUrl = outcome?.uploaded?.provenanceUrl;
  const publish = sent.attested.get(dist.path)?.signed.attestation;
  const build = sent.build.get(dist.path)?.attestation;
  if (!provenanceUrl || (publish === undefined && build === undefined)) return undefined;
  const kinds = { ...(publish !== undefined ? { publish } : {}), ...(build !== undefined ? { build } : {}) };
  return { filename: dist.filename, sha256: dist.digests.sha256, provenanceUrl, sent: kinds };
}

function logServed(run: BuildStageRun, dist: Dist, p: ServedProvenance): void {
  const { log } = run.runtime;
  if (!p.checked) {
    log.debug(`${p.filename}: the index has no Integrity API answer for it; its provenance was not read back`);
    return;
  }
  run.report.provenanceServed(dist, servedLine(p).replace(/^provenance served by the index: /, ''));
  log.info(`${p.filename}: ${servedLine(p)}`);
  if (p.differences.length > 0)
    log.warning(`The index serves provenance for ${p.filename} that differs from what this run uploaded: ${p.differences.join('; ')}`, 'Provenance read back');
}
