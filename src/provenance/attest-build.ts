// The companion action's engine: for every dist of `subject-path`, one in-toto statement with exactly
// one subject (the file's name and sha256) and GitHub's SLSA build provenance predicate, all signed
// with one Fulcio certificate, each bundle verified with PyPI's policy for this workflow before its
// files are written. Stages: find → hash → identity (token, claims, predicate) → sign + verify → write.
// Free of @actions/*: the edge (src/build-provenance.ts) reads the inputs and wires the services.
import { basename } from 'node:path';
import { findDistFiles } from '../dists/find.ts';
import { digestFile } from '../dists/digest.ts';
import { mapLimit } from '../engine/concurrency.ts';
import { SIGN_CONCURRENCY } from '../tunables.ts';
import { SidecarStage } from '../engine/sidecars.ts';
import type { Logger } from '../engine/runtime.ts';
import { decodeClaims, type Claims } from '../pypi/claims.ts';
import type { Predicate } from '../sigstore/statement.ts';
import { SIGSTORE_AUDIENCE, type DistSigner, type DistVerifier, type IdentityProvider, type PublisherIdentity } from '../sigstore/types.ts';
import type { BuildProvenanceConfig } from './config.ts';
import { githubBuildPredicate } from './predicate.ts';
import { parseWorkflowRef } from '../pypi/workflow-ref.ts';
import { buildSidecarPaths } from './sidecars.ts';

export interface BuildSigstore {
  signer: DistSigner;
  verifier: DistVerifier;
}

export interface BuildProvenanceServices {
  identity: IdentityProvider;
  /** Loads Sigstore and makes a signer of `predicate` statements whose tokens come from `identity`. */
  sigstore(opts: { predicate: Predicate; identity: IdentityProvider }): Promise<BuildSigstore>;
}

export interface BuildProvenanceContext {
  /** Where relative subject paths start (the workspace). */
  workspace: string;
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  serverURL: string;
  log: Logger;
  mask(secret: string): void;
}

/** One dist and the two files that now carry its build provenance. */
export interface BuildAttestation {
  filename: string;
  path: string;
  sha256: string;
  bundlePath: string;
  attestationPath: string;
  rekorLogIndex?: string | undefined;
}

/** Why no build provenance was written; `failures` names each file that failed and why. */
export class BuildProvenanceError extends Error {
  readonly failures: Array<{ filename: string; reason: string }>;
  constructor(message: string, failures: Array<{ filename: string; reason: string }> = []) {
    super(failures.length === 0 ? message : `${message}\n${failures.map((f) => `- ${f.filename}: ${f.reason}`).join('\n')}`);
    this.name = 'BuildProvenanceError';
    this.failures = failures;
  }
}

interface Subject {
  filename: string;
  path: string;
  sha256: string;
}

async function findSubjects(config: BuildProvenanceConfig, workspace: string): Promise<Subject[]> {
  const { files, problems } = await findDistFiles(config.subjectPath, workspace, { workspace });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new BuildProvenanceError(
      'subject-path names no usable dist; no build provenance was made:',
      errors.map((p) => ({ filename: p.file || 'subject-path', reason: `${p.message} ${p.fix}` })),
    );
  }
  if (files.length === 0) throw new BuildProvenanceError(`subject-path (${config.subjectPath.join(', ')}) holds no dist (*.whl, *.tar.gz, *.zip)`);
  return mapLimit(files, 8, async (path) => ({ filename: basename(path), path, sha256: (await digestFile(path)).sha256 }));
}

/**
 * PyPI checks an attestation against the trusted publisher's workflow file, which it compares with the
 * certificate's Build Config URI: the top-level workflow (workflow_ref), also when this job runs in a
 * reusable workflow. A publish job in the same workflow file is held to the same identity.
 */
export function workflowIdentity(claims: Claims): PublisherIdentity {
  const repository = typeof claims['repository'] === 'string' ? claims['repository'] : '';
  return {
    repository,
    workflow: parseWorkflowRef(typeof claims['workflow_ref'] === 'string' ? claims['workflow_ref'] : '').filename,
    ref: typeof claims['ref'] === 'string' ? claims['ref'] : undefined,
    sha: typeof claims['sha'] === 'string' ? claims['sha'] : undefined,
  };
}

/** The token already fetched serves the first certificate; a later one (a renewed certificate) is asked for anew. */
function startingWith(identity: IdentityProvider, token: string): IdentityProvider {
  let first: string | undefined = token;
  return {
    getToken(audience) {
      if (audience !== SIGSTORE_AUDIENCE || first === undefined) return identity.getToken(audience);
      const t = first;
      first = undefined;
      return Promise.resolve(t);
    },
  };
}

async function signAndVerify(subjects: Subject[], sigstore: BuildSigstore, identity: PublisherIdentity): Promise<BuildAttestation[]> {
  const failures: Array<{ filename: string; reason: string }> = [];
  const sidecars = new SidecarStage(buildSidecarPaths);
  const done = await mapLimit(subjects, SIGN_CONCURRENCY, async (s) => {
    try {
      const signed = await sigstore.signer.sign({ filename: s.filename, sha256: s.sha256 });
      await sigstore.verifier.verify(signed, s.sha256, identity);
      sidecars.add(s.path, signed.bundle, signed.attestation);
      return { ...s, ...buildSidecarPaths(s.path), rekorLogIndex: logIndexOf(signed.bundle) };
    } catch (error) {
      failures.push({ filename: s.filename, reason: (error as Error).message });
      return undefined;
    }
  });
  if (failures.length > 0) {
    await sidecars.discard();
    throw new BuildProvenanceError(`Build provenance failed for ${failures.length} file(s); none was written:`, failures);
  }
  // The files are all this step makes: one left out for its name is a failure here.
  const unwritten = [...(await sidecars.commit()), ...sidecars.notWritten()];
  if (unwritten.length > 0) throw new BuildProvenanceError('The build provenance files could not be written:', unwritten);
  return done as BuildAttestation[];
}

function logIndexOf(bundle: unknown): string | undefined {
  return (bundle as { verificationMaterial?: { tlogEntries?: Array<{ logIndex?: string }> } })?.verificationMaterial?.tlogEntries?.[0]?.logIndex;
}

export async function attestBuild(
  config: BuildProvenanceConfig,
  context: BuildProvenanceContext,
  services: BuildProvenanceServices,
): Promise<BuildAttestation[]> {
  const subjects = await findSubjects(config, context.workspace);
  const token = await services.identity.getToken(SIGSTORE_AUDIENCE);
  context.mask(token);
  const claims = decodeClaims(token);
  const predicate = githubBuildPredicate(claims, context.serverURL);
  const identity = workflowIdentity(claims);
  context.log.info(`Signing the build provenance of ${subjects.length} file(s) as ${identity.repository}, workflow ${identity.workflow}`);
  const sigstore = await services.sigstore({ predicate, identity: startingWith(services.identity, token) });
  const written = await signAndVerify(subjects, sigstore, identity);
  for (const w of written) {
    context.log.info(
      `✓ ${w.filename}: build provenance (SLSA v1) signed and verified with PyPI's policy${w.rekorLogIndex ? `, Rekor log index ${w.rekorLogIndex}` : ''}`,
    );
  }
  return written;
}
