// The consumer side meets a CircleCI Trusted Publisher (pypi-attestations 0.0.30 on): a wheel the
// world's index holds, signed in a CircleCI job (sigstore-python and pypi-attestations, as the
// `pypi-attestations sign` step of such a job signs, with a token of the world's CircleCI issuer and a
// certificate of the world's Fulcio, whose circleci-job provider real-servers.test.ts compares with
// sigstore/fulcio's). The stand-in follows a warehouse without CircleCI publishers, so the provenance
// naming that publisher is served in place of the one it holds (a fault of the world's, as an index
// with CircleCI publishing would serve it). Every verdict of `verify` is held to the judge's:
// pypi-attestations' and sigstore-python's newest releases verifying the same provenance and wheel
// (check_provenance.py).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { circleCIIdTokens } from '../../test/helpers/gitlab.ts';
import { pipLock, publishGroup, verifyCli } from '../../test/helpers/verify.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { CIRCLECI_DEFAULTS } from '../../test/world/oidc/circleci.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PYTHON = join(ROOT, '.venv/bin/python');
const WHEEL = 'delta-1.0.0-py3-none-any.whl';
const PROVENANCE_PATH = `/integrity/delta/1.0.0/${WHEEL}/provenance`;

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let dir: string;
let wheel: string;
/** the wheel's attestation signed in the default CircleCI job, and in one a custom webhook started (no repository, no ref) */
const signed: Record<'job' | 'webhook', unknown> = { job: undefined, webhook: undefined };

const PUBLISHER = {
  kind: 'CircleCI',
  project_id: CIRCLECI_DEFAULTS.project,
  pipeline_definition_id: CIRCLECI_DEFAULTS.pipelineDefinition,
  vcs_origin: CIRCLECI_DEFAULTS.vcsOrigin,
  vcs_ref: CIRCLECI_DEFAULTS.vcsRef,
};

/** Signs the wheel as a CircleCI job does; returns its PEP 740 attestation. */
async function signInCircleCI(claims: Record<string, null>): Promise<unknown> {
  const token = (await circleCIIdTokens(world, ['sigstore'], claims))['sigstore']!;
  const copy = join(await scratchDir('circleci-sign-'), basename(wheel));
  await copyFile(wheel, copy);
  const out = await run(PYTHON, [join(ROOT, 'test/world/sign_incumbent.py'), '--trust-config', world.env['WORLD_TRUST_CONFIG']!, copy], {
    env: { PATH: process.env['PATH'] ?? '', SIGSTORE_ID_TOKEN: token },
  });
  assert.doesNotMatch(out.stdout, /FAIL/);
  return JSON.parse(await readFile(`${copy}.publish.attestation`, 'utf8'));
}

const provenance = (publisher: Record<string, unknown>, attestation: unknown = signed.job) => ({
  version: 1,
  attestation_bundles: [{ publisher, attestations: [attestation] }],
});

interface Verdicts {
  ours: { code: number; status: string; identity: Record<string, string> | null; outcome: string };
  judge: string;
}

/** `verify delta==1.0.0` with the index serving `served` as the wheel's provenance, and the judge's verdict on it. */
async function verdicts(served: object, args: string[] = ['delta==1.0.0']): Promise<Verdicts> {
  // A fault a run left unconsumed would answer the next run: each run starts from none.
  await pypi.clearFaults();
  await pypi.fault({ method: 'GET', path: PROVENANCE_PATH, count: 1, status: 200, body: served });
  const r = await verifyCli(world, [...args, '--json', '--index-url', `${world.env['WORLD_PYPI_URL']}/simple/`]);
  const file = (JSON.parse(r.stdout).files as Array<Verdicts['ours'] & { filename: string }>).find((f) => f.filename === WHEEL)!;
  const path = join(dir, `provenance-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(served));
  const judge = await run(PYTHON, [
    join(ROOT, 'test/world/check_provenance.py'),
    '--trusted-root',
    world.env['WORLD_TRUSTED_ROOT']!,
    '--provenance',
    path,
    '--dist',
    wheel,
  ]).then(
    (o) => o.stdout.trim(),
    (e: { stdout: string }) => e.stdout.trim(),
  );
  return { ours: { code: r.code, status: file.status, identity: file.identity, outcome: file.outcome }, judge };
}

before(async () => {
  world = await startWorld();
  pypi = pypiControl(world);
  dir = await scratchDir('verify-circleci-');
  const published = await publishGroup(world, { releases: [{ name: 'delta', version: '1.0.0', sdist: false }] });
  wheel = published.results.find((f) => f.filename === WHEEL)!.attestation!.replace(/\.publish\.attestation$/, '');
  signed.job = await signInCircleCI({});
  signed.webhook = await signInCircleCI({ 'oidc.circleci.com/vcs-origin': null, 'oidc.circleci.com/vcs-ref': null });
});

after(() => world.stop());

test('a CircleCI publisher that signed the file is verified and named, as pypi-attestations verifies it', async () => {
  const v = await verdicts(provenance(PUBLISHER));
  assert.equal(v.judge, 'OK CircleCI');
  assert.equal(v.ours.code, 0, v.ours.outcome);
  assert.equal(v.ours.status, 'verified');
  assert.deepEqual(v.ours.identity, PUBLISHER);
  assert.match(v.ours.outcome, /^verified \(CircleCI github\.com\/octo-org\/sampleproject \(project 5f2b9c1e-[^,]+, pipeline definition 0c8e1f2a-/);
});

test('a publisher without the repository and ref is held to the project and the pipeline definition alone', async () => {
  const { vcs_origin: _o, vcs_ref: _r, ...bare } = PUBLISHER;
  for (const [served, name] of [
    [provenance(bare), 'a job of a repository'],
    [provenance({ ...bare, vcs_origin: null, vcs_ref: null }), 'nulls'],
    [provenance(bare, signed.webhook), 'a job a custom webhook started'],
  ] as const) {
    const v = await verdicts(served);
    assert.equal(v.judge, 'OK CircleCI', name);
    assert.equal(v.ours.status, 'verified', `${name}: ${v.ours.outcome}`);
  }
});

test('each field the policy reads is held to the certificate: another value is invalid for both', async () => {
  const cases: Array<[string, Record<string, unknown>, unknown?, RegExp?]> = [
    ['another project', { ...PUBLISHER, project_id: '00000000-0000-4000-8000-000000000000' }, undefined, /Build Signer URI/],
    ['another pipeline definition', { ...PUBLISHER, pipeline_definition_id: 'x' }, undefined, /Build Signer URI/],
    ['another repository', { ...PUBLISHER, vcs_origin: 'github.com/octo-org/other' }, undefined, /Source Repository URI/],
    ['another ref', { ...PUBLISHER, vcs_ref: 'refs/heads/main' }, undefined, /Source Repository Ref/],
    ['a repository the webhook job has none of', { ...PUBLISHER, vcs_ref: undefined }, signed.webhook, /Source Repository URI is \(missing\)/],
    ['no project id', { ...PUBLISHER, project_id: undefined }, undefined, /no project_id/],
    ['a project id that is not a string', { ...PUBLISHER, project_id: 7 }, undefined, /no project_id/],
    ['a ref that is not a string', { ...PUBLISHER, vcs_ref: 7 }, undefined, /no vcs_ref/],
    [
      'a GitHub publisher for the CircleCI certificate',
      { kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml' },
      undefined,
      /issued for https:\/\/oidc\.circleci\.com/,
    ],
  ];
  for (const [name, publisher, attestation, why] of cases) {
    const v = await verdicts(provenance(JSON.parse(JSON.stringify(publisher)), attestation));
    assert.match(v.judge, /^FAIL/, name);
    assert.equal(v.ours.status, 'invalid', `${name}: ${v.ours.outcome}`);
    assert.match(v.ours.outcome, why!, name);
  }
});

test("the index's own provenance of the action's upload verifies for both; a CircleCI publisher for it is invalid for both", async () => {
  await pypi.clearFaults();
  const genuine = (await (await pypi.provenance('delta', '1.0.0', WHEEL)).json()) as { attestation_bundles: Array<{ attestations: unknown[] }> };
  const own = await verdicts(genuine);
  assert.equal(own.judge, 'OK GitHub', 'the newest pypi-attestations and sigstore-python accept what the action signed');
  assert.equal(own.ours.status, 'verified');
  const v = await verdicts(provenance(PUBLISHER, genuine.attestation_bundles[0]!.attestations[0]));
  assert.match(v.judge, /^FAIL/);
  assert.equal(v.ours.status, 'invalid');
  assert.match(v.ours.outcome, /issued for https:\/\/token\.actions\.githubusercontent\.com, not https:\/\/oidc\.circleci\.com/);
});

test('a lock records the CircleCI publisher, and then holds the file to it', async () => {
  const lock = await pipLock(world, ['delta==1.0.0'], await scratchDir('circleci-lock-'));
  const write = await verdicts(provenance(PUBLISHER), [lock, '--write-identities']);
  assert.equal(write.ours.status, 'verified');
  assert.match(
    await readFile(lock, 'utf8'),
    /\[\[packages\.attestation-identities\]\]\nkind = "CircleCI"\nproject_id = "5f2b9c1e-[^"]+"\npipeline_definition_id = "0c8e1f2a-/,
  );
  assert.equal((await verdicts(provenance(PUBLISHER), [lock])).ours.status, 'verified');
  // A file that verifies under a publisher naming no repository is not the recorded publisher, which names one.
  const { vcs_origin: _o, vcs_ref: _r, ...bare } = PUBLISHER;
  const other = await verdicts(provenance(bare, signed.webhook), [lock]);
  assert.equal(other.judge, 'OK CircleCI');
  assert.equal(other.ours.status, 'identity-differs', other.ours.outcome);
  assert.equal(other.ours.code, 1);
});
