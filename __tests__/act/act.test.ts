// The action under nektos/act in host mode (-P ubuntu-latest=-self-hosted): the shipped example
// workflow examples/release.yml (`permissions: id-token: write`, checkout, a build step and
// `uses: ./`, the action.yml + dist/ of a repository laid out like this one), run by act built from
// the Go module proxy (scripts/setup-act.sh) against the local world, as the README's act section
// says. No docker, loopback only.
//
// Why it works (act v0.2.87 source): act never sets ACTIONS_ID_TOKEN_REQUEST_* itself, but in host
// mode startHostEnvironment() (pkg/runner/run_context.go) copies every variable of act's own
// environment into the job env ("don't override" act's own keys), so the world's exported
// variables reach the action. The node24 action runs with the `node` first on PATH
// (GetNodeToolFullPath runs `node -e console.log(process.execPath)` on the host). The workspace
// is a fresh <cache>/act/<random>/hostexecutor directory that act fills only for a local
// `actions/checkout` step (stepActionRemote.main copies the repo instead of cloning, unless
// --no-skip-checkout, which would clone actions/checkout from github.com: not used here).
//
// Process hygiene: act runs each step with Setpgid (pkg/container/util.go), so a step's children
// are not in act's process group. Every process of a run carries a marker variable; after the run
// the test looks for it in /proc/*/environ, kills stragglers by pid and fails if there were any.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commitRepository, runAct as runActIn } from '../../test/helpers/act.ts';
import { findSecrets } from '../../test/helpers/secrets.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ACT_TIMEOUT_MS = 180_000;
const REPOSITORY = 'octo-org/sampleproject';
const PROJECT = 'sampleproject';

// The workflow the README's act section runs, as shipped: it builds the sample dists
// (scripts/sample-dists.ts) and publishes them with `uses: ./` (action.yml + dist/ at the root).
const WORKFLOW = 'examples/release.yml';
/** What a repository needs for that workflow: the action and the sample builder. */
const REPO_FILES = ['action.yml', 'dist', 'examples/release.yml', 'scripts/sample-dists.ts', 'test/fixtures/dists/build.ts'];

interface PyPIState {
  files: Array<{ project: string; version: string; filename: string; sha256: string; has_provenance: boolean; via_trusted_publishing: boolean }>;
  tokensMinted: number;
}

describe('the action under nektos/act (host mode)', () => {
  let world: World;
  let tmp: string;
  let repo: string;
  let sums: Record<string, string>;

  before(async () => {
    const setup = spawnSync('bash', [join(ROOT, 'scripts/setup-act.sh')], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(setup.status, 0, `scripts/setup-act.sh failed:\n${setup.stdout}${setup.stderr}`);
    for (const f of ['action.yml', 'dist/index.js']) assert.ok(existsSync(join(ROOT, f)), `${f} missing (build with node scripts/build.mjs)`);

    world = await startWorld();
    const pypi = world.env.WORLD_PYPI_URL;
    for (const [path, body] of [
      ['projects', { name: PROJECT }],
      ['publishers', { project: PROJECT, repository: REPOSITORY, repository_owner_id: '1001', workflow_filename: 'release.yml' }],
    ] as const) {
      const res = await fetch(`${pypi}/_world/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 200, `POST /_world/${path}: ${await res.text()}`);
    }

    // A clone of this repository as the README's act section has it (the files the example workflow
    // uses), a GitHub remote (act derives GITHUB_REPOSITORY from it) and a tag.
    tmp = await mkdtemp(join(tmpdir(), 'act-e2e-'));
    repo = join(tmp, 'sampleproject');
    for (const f of REPO_FILES) await cp(join(ROOT, f), join(repo, f), { recursive: true });
    // The sample dists are the same bytes on every build: what the index must hold.
    const expected = join(tmp, 'expected');
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts/sample-dists.ts'), expected], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    sums = {};
    for (const f of built.stdout.trim().split('\n'))
      sums[f.split('/').pop() as string] = createHash('sha256')
        .update(await readFile(f))
        .digest('hex');
    await writeFile(join(tmp, 'event.json'), JSON.stringify({ ref: 'refs/tags/v1.0.0', repository: { full_name: REPOSITORY, default_branch: 'main' } }));
    commitRepository(repo, REPOSITORY, 'release 1.0.0', 'v1.0.0');
  });

  after(async () => {
    await world?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** Runs the example workflow once; `extra` is the world's variables, or not. */
  const runAct = (extra: Record<string, string>) =>
    runActIn({ repo, tmp, workflow: WORKFLOW, event: join(tmp, 'event.json'), extra, timeoutMs: ACT_TIMEOUT_MS });

  const state = async (): Promise<PyPIState> => (await (await fetch(`${world.env.WORLD_PYPI_URL}/_world/state`)).json()) as PyPIState;

  test('without the exported OIDC variables the job fails: act itself provides no ID token', async () => {
    const { ACTIONS_ID_TOKEN_REQUEST_URL: _url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: _token, ...rest } = world.env;
    // act's host executor can lose the end of a step's output when the step's process exits right
    // after writing it (its copy of the output races the exit): once in about ten runs of this
    // test, everything after the checks' first request was missing, though the step summary had
    // the error. Such a run is repeated once; an action that never prints the error fails both.
    let run = await runAct(rest);
    if (!/::error::/.test(run.output) && /Summary - .*nothing published/.test(run.output)) run = await runAct(rest);
    assert.equal(run.timedOut, false, `act timed out:\n${run.output}`);
    assert.deepEqual(run.stragglers, [], 'processes of the act run outlived it');
    assert.notEqual(run.code, 0, `act should fail without ACTIONS_ID_TOKEN_REQUEST_*:\n${run.output}`);
    assert.match(run.output, /❌\s+Failure - Main Publish package distributions/);
    assert.match(run.output, /::error::.*ACTIONS_ID_TOKEN_REQUEST_URL/, 'the action should name what is missing');
    assert.match(run.output, /id-token: write/, 'the action should say how to fix it');
    assert.match(run.output, /Job failed/);
    assert.deepEqual((await state()).files, [], 'nothing may be uploaded');
  });

  test('act push publishes both dists with Trusted Publishing and PEP 740 provenance', async () => {
    const run = await runAct(world.env);
    assert.equal(run.timedOut, false, `act timed out:\n${run.output}`);
    assert.deepEqual(run.stragglers, [], 'processes of the act run outlived it');
    assert.equal(run.code, 0, `act failed:\n${run.output}`);

    // The job ran on the host, with act's GitHub context and the world's OIDC variables.
    assert.doesNotMatch(run.output, /Start image=/, 'act must not start a container in host mode');
    assert.match(run.output, /✅\s+Success - Main Build the dists \(sample\)/);
    assert.match(run.output, /✅\s+Success - Main Publish package distributions/);
    assert.match(run.output, /uploaded-count=2 all-published=true/);
    assert.match(run.output, /🏁\s+Job succeeded/);

    // The stand-in holds exactly our files, uploaded via Trusted Publishing with provenance.
    const files = (await state()).files.filter((f) => f.project === PROJECT);
    assert.deepEqual(files.map((f) => f.filename).sort(), Object.keys(sums).sort());
    for (const f of files) {
      assert.equal(f.sha256, sums[f.filename], `${f.filename}: digest`);
      assert.equal(f.via_trusted_publishing, true, `${f.filename}: Trusted Publishing`);
      assert.equal(f.has_provenance, true, `${f.filename}: provenance`);
      const res = await fetch(`${world.env.WORLD_PYPI_URL}/integrity/${PROJECT}/1.0.0/${f.filename}/provenance`);
      assert.equal(res.status, 200, `${f.filename}: provenance endpoint`);
      const provenance = (await res.json()) as { attestation_bundles: Array<{ publisher: Record<string, unknown>; attestations: unknown[] }> };
      assert.equal(provenance.attestation_bundles.length, 1);
      const bundle = provenance.attestation_bundles[0];
      assert.deepEqual(bundle?.publisher, { kind: 'GitHub', repository: REPOSITORY, workflow: 'release.yml', environment: null });
      assert.equal(bundle?.attestations.length, 1);
    }

    // No token the world issued (request tokens, ID tokens, PyPI API tokens) reaches act's output.
    const secrets = await world.secrets();
    assert.ok(secrets.length >= 3, `expected the world to have journalled its tokens, got ${secrets.length}`);
    assert.deepEqual(
      findSecrets(run.output, secrets).map((s) => `${s.slice(0, 6)}…`),
      [],
      'a token issued by the world appears in act output',
    );
  });
});
