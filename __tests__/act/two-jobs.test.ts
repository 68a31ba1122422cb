// Build provenance under nektos/act (host mode, as __tests__/act/act.test.ts explains): one workflow
// file with a build job (build-provenance signs the SLSA statement of each dist) and a publish job
// (`needs: build`) that checks the build attestations and uploads both attestations of each file.
// upload-/download-artifact would fetch actions from github.com, so two shell steps carry the files
// from job to job through a directory, as the artifact store would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { commitRepository, runAct } from '../../test/helpers/act.ts';
import { findSecrets } from '../../test/helpers/secrets.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE, servedPredicateTypes } from '../../test/helpers/verifiers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ACT_TIMEOUT_MS = 180_000;
const REPOSITORY = 'octo-org/sampleproject';
const PROJECT = 'sampleproject';
const TYPES = [PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE];

const WORKFLOW = `name: release
on:
  push:
    tags: ['v*']
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - name: Build
        run: mkdir -p dist && cp staging/* dist/
      - name: Build provenance
        id: provenance
        uses: ./.github/actions/publish/build-provenance
        with:
          subject-path: dist/
      - name: Upload the dists
        run: cp dist/* "$ARTIFACTS/" && echo "attested=\${{ steps.provenance.outputs.attestation-paths }}"
  publish:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - name: Download the dists
        run: mkdir -p dist && cp "$ARTIFACTS"/* dist/ && ls dist
      - name: Publish
        uses: ./.github/actions/publish
        with:
          repository-url: \${{ env.WORLD_PYPI_UPLOAD_URL }}
          build-attestations: require
`;

let world: World;
let tmp: string;
let repo: string;
let output = '';
let code: number | null = null;
let stragglers: number[] = [];

/** The repository as a user would have it: the workflow, this action vendored with its companion, the sources' dists. */
async function makeRepository(): Promise<void> {
  repo = join(tmp, 'sampleproject');
  const action = join(repo, '.github/actions/publish');
  await mkdir(join(repo, '.github/workflows'), { recursive: true });
  await mkdir(join(action, 'build-provenance'), { recursive: true });
  await cp(join(ROOT, 'action.yml'), join(action, 'action.yml'));
  await cp(join(ROOT, 'build-provenance/action.yml'), join(action, 'build-provenance/action.yml'));
  await cp(join(ROOT, 'dist'), join(action, 'dist'), { recursive: true });
  await writeFile(join(repo, '.github/workflows/release.yml'), WORKFLOW);
  await buildWheel(join(repo, 'staging'), { name: PROJECT, version: '1.0.0' });
  await buildSdist(join(repo, 'staging'), { name: PROJECT, version: '1.0.0' });
  await writeFile(join(tmp, 'event.json'), JSON.stringify({ ref: 'refs/tags/v1.0.0', repository: { full_name: REPOSITORY, default_branch: 'main' } }));
  commitRepository(repo, REPOSITORY, 'release 1.0.0', 'v1.0.0');
}

async function runTwoJobs(): Promise<void> {
  const artifacts = join(tmp, 'artifacts');
  await mkdir(artifacts);
  const run = await runAct({
    repo,
    tmp,
    workflow: '.github/workflows/release.yml',
    event: join(tmp, 'event.json'),
    timeoutMs: ACT_TIMEOUT_MS,
    extra: {
      ARTIFACTS: artifacts,
      ...world.env,
      // GitHub sets GITHUB_WORKFLOW_REF in every job; act v0.2.87 does not, and in host mode passes its
      // own environment on to the jobs: give it the value GitHub would.
      GITHUB_WORKFLOW_REF: `${REPOSITORY}/.github/workflows/release.yml@refs/tags/v1.0.0`,
    },
  });
  ({ code, output, stragglers } = run);
}

before(async () => {
  const setup = spawnSync('bash', [join(ROOT, 'scripts/setup-act.sh')], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(setup.status, 0, `scripts/setup-act.sh failed:\n${setup.stdout}${setup.stderr}`);
  world = await startWorld();
  await pypiControl(world).trust({ project: PROJECT, repository: REPOSITORY, workflow_filename: 'release.yml' });
  tmp = await mkdtemp(join(tmpdir(), 'act-two-jobs-'));
  await makeRepository();
  await runTwoJobs();
});

after(async () => {
  await world?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('act push runs the build job, then the publish job; both succeed and nothing outlives them', () => {
  assert.equal(code, 0, `act failed:\n${output}`);
  assert.deepEqual(stragglers, []);
  assert.match(output, /\[release\/build\s*\].*✅\s+Success - Main Build provenance/);
  assert.match(output, /attested=.*sampleproject-1\.0\.0-py3-none-any\.whl\.slsa\.attestation/);
  assert.match(output, /\[release\/publish\s*\].*✅\s+Success - Main Publish/);
  assert.match(output, /provenance served by the index: publish ✓ build ✓/);
});

test("each published file has both attestations, and pypi-attestations verifies both with the publisher's policy", async () => {
  const files = await pypiControl(world).files(PROJECT);
  assert.equal(files.length, 2);
  for (const f of files) {
    const served = { project: PROJECT, version: '1.0.0', filename: f.filename };
    const types = await servedPredicateTypes(world, tmp, served, ['--dist-name', f.filename, '--dist-sha256', f.sha256]);
    assert.deepEqual(types, TYPES, `${f.filename}: publish first, then build`);
  }
});

test("no token the world issued reaches act's output", async () => {
  assert.deepEqual(
    findSecrets(output, await world.secrets()).map((s) => `${s.slice(0, 6)}…`),
    [],
  );
});
