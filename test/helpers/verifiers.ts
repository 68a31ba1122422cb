// Five independent verifiers judge the bundles the action made, as a consumer of a published file would:
// cosign 3 (verify-blob-attestation), sigstore-go's example verifier (both built by
// scripts/setup-verifiers.sh), sigstore-python's CLI and pypi-attestations (PyPI's own check, in
// test/world/verify_bundles.py) at warehouse's pins, and the same check with pypi-attestations' and
// sigstore-python's newest releases (.venv/pypi-attestations-latest: sigstore 4.5.1 validates the
// certificate path with cryptography's policies, not OpenSSL's), all against the world's trusted
// root. The e2e suites call assertVerifiedByAll on every bundle they produce.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pypiControl } from './pypi.ts';
import type { World } from './world.ts';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, '.tools/bin');
const VENV = join(ROOT, '.venv/bin');

export const PUBLISH_PREDICATE_TYPE = 'https://docs.pypi.org/attestations/publish/v1';
export const SLSA_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1';
export const VERIFIERS = ['cosign', 'sigstore-go', 'sigstore-python', 'pypi-attestations', 'pypi-attestations (newest)'] as const;
/** pypi-attestations and sigstore-python's newest releases, put first on the .venv's path. */
const NEWEST = join(ROOT, '.venv/pypi-attestations-latest');
export type VerifierName = (typeof VERIFIERS)[number];
/** Per verifier: null when it accepted the bundle, else why it refused. */
export type Verdicts = Record<VerifierName, string | null>;

/** What a consumer expects of the file: the world's default GitHub scenario unless told otherwise. */
export interface Expected {
  /** the CI that signed: GitHub Actions (default) or GitLab CI */
  platform?: 'github' | 'gitlab';
  repository: string;
  /** GitHub: the workflow file name; GitLab: the pipeline file path */
  workflow: string;
  ref: string;
  issuer: string;
  predicateType: string;
}

export const DEFAULT_EXPECTED: Expected = {
  repository: 'octo-org/sampleproject',
  workflow: 'release.yml',
  ref: 'refs/tags/v1.0.0',
  issuer: 'https://token.actions.githubusercontent.com',
  predicateType: PUBLISH_PREDICATE_TYPE,
};

export interface BundleOfDist {
  /** path of `<dist>.sigstore.json` */
  bundle: string;
  /** path of the dist it is for */
  dist: string;
}

/** The certificate's SAN: Fulcio's for a GitHub workflow, or for a GitLab pipeline (`project//file@ref`). */
const identity = (e: Expected) =>
  e.platform === 'gitlab'
    ? `https://gitlab.com/${e.repository}//${e.workflow}@${e.ref}`
    : `https://github.com/${e.repository}/.github/workflows/${e.workflow}@${e.ref}`;

/** The certificate identity (SAN) of the world's default GitHub scenario: release.yml of octo-org/sampleproject at v1.0.0. */
export const DEFAULT_IDENTITY = identity(DEFAULT_EXPECTED);

/** What a consumer expects of a GitLab pipeline's files (the world's GitLab defaults). */
export const GITLAB_EXPECTED: Partial<Expected> = {
  platform: 'gitlab',
  repository: 'octo-group/sampleproject',
  workflow: '.gitlab-ci.yml',
  issuer: 'https://gitlab.com',
};

async function refusal(command: string, args: string[]): Promise<string | null> {
  try {
    await exec(command, args, { env: { ...process.env, HOME: process.env['HOME'] ?? '/tmp' }, maxBuffer: 16 << 20 });
    return null;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.stderr ?? ''}${e.stdout ?? ''}`.trim() || e.message;
  }
}

function goVerdicts(world: World, item: BundleOfDist, e: Expected): Promise<[string | null, string | null]> {
  const trustedRoot = world.env['WORLD_TRUSTED_ROOT']!;
  return Promise.all([
    refusal(join(BIN, 'cosign'), [
      'verify-blob-attestation',
      '--bundle',
      item.bundle,
      '--trusted-root',
      trustedRoot,
      '--certificate-identity',
      identity(e),
      '--certificate-oidc-issuer',
      e.issuer,
      ...(e.platform === 'gitlab' ? [] : ['--certificate-github-workflow-repository', e.repository]),
      '--type',
      e.predicateType,
      item.dist,
    ]),
    refusal(join(BIN, 'sigstore-go-verification'), [
      '-trustedrootJSONpath',
      trustedRoot,
      '-expectedIssuer',
      e.issuer,
      '-expectedSAN',
      identity(e),
      '-artifact',
      item.dist,
      item.bundle,
    ]),
  ]);
}

async function pypiVerdicts(world: World, items: BundleOfDist[], e: Expected, newest = false): Promise<Array<string | null>> {
  // Without the directory Python would quietly judge with the .venv's pins again.
  if (newest && !existsSync(join(NEWEST, 'pypi_attestations'))) throw new Error(`${NEWEST} is missing: run scripts/setup.sh`);
  const env = newest ? { env: { ...process.env, PYTHONPATH: NEWEST } } : {};
  const { stdout } = await exec(
    join(VENV, 'python'),
    [
      join(ROOT, 'test/world/verify_bundles.py'),
      '--trusted-root',
      world.env['WORLD_TRUSTED_ROOT']!,
      '--repository',
      e.repository,
      '--workflow',
      e.workflow,
      '--predicate-type',
      e.predicateType,
      ...(e.platform === 'gitlab' ? ['--publisher', 'gitlab'] : []),
      ...items.map((i) => `${i.bundle}=${i.dist}`),
    ],
    env,
  );
  return JSON.parse(stdout) as Array<string | null>;
}

// sigstore-python's CLI verifies many files in one start (each `<dist>.sigstore.json` beside its dist):
// one call for all when they all pass, one per file to say which failed otherwise.
async function sigstorePythonVerdicts(world: World, items: BundleOfDist[], e: Expected): Promise<Array<string | null>> {
  const policy =
    e.platform === 'gitlab'
      ? ['identity', '--cert-identity', identity(e), '--cert-oidc-issuer', e.issuer]
      : ['github', '--cert-identity', identity(e), '--repository', e.repository, '--ref', e.ref];
  const args = (dists: string[], bundle?: string) => [
    '--trust-config',
    world.env['WORLD_TRUST_CONFIG']!,
    'verify',
    policy[0]!,
    ...(bundle ? ['--bundle', bundle] : []),
    ...policy.slice(1),
    ...dists,
  ];
  const beside = items.every((i) => i.bundle === `${i.dist}.sigstore.json`);
  if (beside && items.length > 1 && (await refusal(join(VENV, 'sigstore'), args(items.map((i) => i.dist)))) === null) return items.map(() => null);
  const verdicts: Array<string | null> = [];
  for (const item of items) verdicts.push(await refusal(join(VENV, 'sigstore'), args([item.dist], item.bundle)));
  return verdicts;
}

/** Every verifier's verdict on every bundle (the Go tools two at a time: the machine has two cores). */
export async function judgeBundles(world: World, items: BundleOfDist[], expected: Partial<Expected> = {}): Promise<Verdicts[]> {
  const e = { ...DEFAULT_EXPECTED, ...expected };
  const python = Promise.all([pypiVerdicts(world, items, e), sigstorePythonVerdicts(world, items, e), pypiVerdicts(world, items, e, true)]);
  const verdicts: Verdicts[] = [];
  for (const item of items) {
    const [cosign, sigstoreGo] = await goVerdicts(world, item, e);
    verdicts.push({ cosign, 'sigstore-go': sigstoreGo, 'sigstore-python': null, 'pypi-attestations': null, 'pypi-attestations (newest)': null });
  }
  const [pypi, sigstore, newest] = await python;
  verdicts.forEach((v, i) => {
    v['pypi-attestations'] = pypi[i]!;
    v['sigstore-python'] = sigstore[i]!;
    v['pypi-attestations (newest)'] = newest[i]!;
  });
  return verdicts;
}

/** Asserts that every verifier accepts every bundle. */
export async function assertVerifiedByAll(world: World, items: BundleOfDist[], expected: Partial<Expected> = {}): Promise<void> {
  assert.ok(items.length > 0, 'no bundle to verify');
  const verdicts = await judgeBundles(world, items, expected);
  verdicts.forEach((v, i) => {
    for (const name of VERIFIERS) assert.equal(v[name], null, `${name} refused ${basename(items[i]!.bundle)}: ${v[name]}`);
  });
}

/** After a successful run that made bundles, asserts that every verifier accepts each of them. */
export async function assertRunVerified(
  world: World,
  workspace: string,
  run: { code: number; results: Array<{ filename: string; bundle: string | null }> },
  expected: Partial<Expected> = {},
): Promise<void> {
  const bundles = bundlesOf(workspace, run.results);
  if (run.code === 0 && bundles.length > 0) await assertVerifiedByAll(world, bundles, expected);
}

/** The bundles of an action run's results (each beside its dist), resolved against its workspace. */
export function bundlesOf(workspace: string, results: Array<{ filename: string; bundle: string | null }>): BundleOfDist[] {
  return results
    .filter((r) => r.bundle)
    .map((r) => {
      const bundle = resolve(workspace, r.bundle!);
      return { bundle, dist: join(dirname(bundle), r.filename) };
    });
}

/** What pypi-attestations verified: the statement's predicate type and predicate. */
export interface PyPIVerified {
  predicate_type: string;
  predicate: unknown;
}

/**
 * pypi-attestations' verdict on one attestation as PyPI gives it on upload (Attestation.verify with a
 * GitHubPublisher, test/world/check_attestation.py), against the world's trusted root: what it verified,
 * or its refusal ("FAIL …"). `args` name the attestation (`--attestation FILE` or `--bundle FILE`) and
 * the dist (`--dist PATH`, or `--dist-name NAME --dist-sha256 HEX`); the publisher is the default one
 * unless told otherwise.
 */
export async function pypiAttestationVerdict(
  world: Pick<World, 'env'>,
  args: string[],
  publisher: { repository?: string; workflow?: string } = {},
): Promise<PyPIVerified | string> {
  const check = [
    join(ROOT, 'test/world/check_attestation.py'),
    '--trusted-root',
    world.env['WORLD_TRUSTED_ROOT']!,
    '--repository',
    publisher.repository ?? DEFAULT_EXPECTED.repository,
    '--workflow',
    publisher.workflow ?? DEFAULT_EXPECTED.workflow,
    ...args,
  ];
  const verdict = await exec(join(VENV, 'python'), check).catch((e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e));
  return typeof verdict === 'string' ? verdict : (JSON.parse(verdict.stdout) as PyPIVerified);
}

/** Asserts that pypi-attestations accepts the attestation (see pypiAttestationVerdict); returns what it verified. */
export async function assertPyPIAccepts(
  world: Pick<World, 'env'>,
  args: string[],
  publisher?: { repository?: string; workflow?: string },
): Promise<PyPIVerified> {
  const verdict = await pypiAttestationVerdict(world, args, publisher);
  if (typeof verdict === 'string') assert.fail(`pypi-attestations refused ${args.join(' ')}: ${verdict}`);
  return verdict;
}

/**
 * The predicate types of the attestations the index serves for one file (the Integrity API's
 * provenance), in the order served, each verified by pypi-attestations for the default publisher
 * against the dist that `dist` names (as in pypiAttestationVerdict); they are written to `dir` to be judged.
 */
export async function servedPredicateTypes(
  world: World,
  dir: string,
  file: { project: string; version: string; filename: string },
  dist: string[],
): Promise<string[]> {
  const res = await pypiControl(world).provenance(file.project, file.version, file.filename);
  const provenance = (await res.json()) as { attestation_bundles: Array<{ attestations: unknown[] }> };
  const types: string[] = [];
  for (const [i, attestation] of provenance.attestation_bundles[0]!.attestations.entries()) {
    const path = join(dir, `${file.filename}.served-${i}.attestation`);
    await writeFile(path, JSON.stringify(attestation));
    types.push((await assertPyPIAccepts(world, ['--attestation', path, ...dist])).predicate_type);
  }
  return types;
}

/**
 * sigstore-python's `verify identity` of `artifact` with `bundle`, against the world's trust config, for
 * the certificate identity and issuer expected (the default scenario's unless told); rejects if it refuses.
 */
export function sigstoreVerifyIdentity(world: Pick<World, 'env'>, bundle: string, artifact: string, expected: Partial<Expected> = {}) {
  const e = { ...DEFAULT_EXPECTED, ...expected };
  return exec(join(VENV, 'sigstore'), [
    '--trust-config',
    world.env['WORLD_TRUST_CONFIG']!,
    'verify',
    'identity',
    '--bundle',
    bundle,
    '--cert-identity',
    identity(e),
    '--cert-oidc-issuer',
    e.issuer,
    artifact,
  ]);
}

/** `twine upload --attestations` of `files` (dists and their `.attestation` files) with an API token; throws if twine refuses. */
export async function twineUploadWithAttestations(uploadUrl: string, token: string, files: string[]): Promise<void> {
  await exec(join(VENV, 'twine'), [
    'upload',
    '--non-interactive',
    '--disable-progress-bar',
    '--attestations',
    '--repository-url',
    uploadUrl,
    '-u',
    '__token__',
    '-p',
    token,
    ...files,
  ]);
}
