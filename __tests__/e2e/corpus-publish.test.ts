// Real dists, end to end: the corpus (test/corpus/list.txt, downloaded by test/corpus/fetch.sh —
// CI runs it before the tests) is published by the built action with Trusted Publishing and
// attestations to the PyPI stand-in, which runs warehouse's checks and verifies each attestation
// with pypi-attestations. Every file PyPI accepts today must be accepted: a check of ours that
// refuses a real, already-published dist would be a false positive that blocks a release. The few
// PyPI refuses now (test/corpus/refused.ts) are refused before anything is signed, with its message.
//
// Each project publishes from its own repository (octo-org/<project>, release.yml), as in real
// life: one Trusted Publisher per project, one action run per project.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertVerifiedByAll, bundlesOf } from '../../test/helpers/verifiers.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { assertNoSecretLeaked } from '../../test/helpers/secrets.ts';
import { REFUSED } from '../../test/corpus/refused.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = join(ROOT, 'test/corpus');
const CACHE = join(CORPUS, '.cache');
const EXPECTED = readFileSync(join(CORPUS, 'list.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#')).length;
const FILES = existsSync(CACHE)
  ? readdirSync(CACHE)
      .filter((f) => /\.(whl|tar\.gz)$/.test(f))
      .sort()
  : [];
const MISSING = `The corpus cache has ${FILES.length} of ${EXPECTED} dists. Run: bash test/corpus/fetch.sh (downloads test/corpus/list.txt into test/corpus/.cache)`;

const canonical = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
/** Project of a dist file name: a wheel's first component, an sdist's name before the version. */
function projectOf(filename: string): string {
  if (filename.endsWith('.whl')) return canonical(filename.split('-')[0] as string);
  const stem = filename.replace(/\.tar\.gz$/, '');
  return canonical(stem.slice(0, stem.lastIndexOf('-')));
}

const byProject = new Map<string, string[]>();
for (const f of FILES) byProject.set(projectOf(f), [...(byProject.get(projectOf(f)) ?? []), f]);
/** Projects of which PyPI refuses a file: their run publishes nothing. */
const refusedProject = (project: string) => (byProject.get(project) ?? []).some((f) => REFUSED[f]);

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let root: string;
const runs = new Map<string, ActionRun>();

before(async () => {
  assert.ok(FILES.length >= EXPECTED, MISSING);
  world = await startWorld();
  pypi = pypiControl(world);
  root = await mkdtemp(join(tmpdir(), 'corpus-publish-'));
  for (const [project, files] of byProject) {
    const repository = `octo-org/${project}`;
    await pypi.trust({ project, repository });
    const requestToken = await world.scenario({ repository });
    // The runner's workspace: a fresh checkout with the dists in dist/ (sidecars are written there).
    const ws = join(root, project);
    await mkdir(join(ws, 'dist'), { recursive: true });
    for (const f of files) await copyFile(join(CACHE, f), join(ws, 'dist', f));
    const run = await runAction({
      cwd: ws,
      inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist' },
      env: {
        ...world.env,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
        GITHUB_REPOSITORY: repository,
        GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/release.yml@refs/tags/v1.0.0`,
      },
    });
    runs.set(project, run);
  }
});

after(async () => {
  try {
    if (world) await assertNoSecretLeaked(world, runs);
  } finally {
    await world?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  }
});

test('cosign, sigstore-go, sigstore-python and pypi-attestations accept every bundle of every project', async () => {
  for (const [project, run] of runs) {
    if (refusedProject(project)) continue;
    await assertVerifiedByAll(world, bundlesOf(join(root, project), run.results), { repository: `octo-org/${project}` });
  }
});

test(`the corpus is downloaded (${EXPECTED} dists)`, () => {
  assert.ok(FILES.length >= EXPECTED, MISSING);
  assert.equal(FILES.length, EXPECTED, 'exactly the dists of list.txt');
  for (const files of byProject.values()) assert.ok(files.filter((f) => f.endsWith('.tar.gz')).length <= 1, 'one sdist per release');
});

test('every project run succeeds and uploads every file', () => {
  assert.equal(runs.size, byProject.size);
  for (const [project, run] of runs) {
    if (refusedProject(project)) continue;
    const where = `${project}:\n${run.stdout}\n${run.stderr}\n${run.summary}`;
    assert.equal(run.code, 0, where);
    assert.deepEqual(run.results.map((r) => r.filename).sort(), [...(byProject.get(project) ?? [])].sort(), where);
    for (const r of run.results) {
      assert.equal(r.status, 'uploaded', `${r.filename}: ${r.reason}\n${where}`);
      assert.ok(r.bundle && r.attestation, `${r.filename} has its sidecars`);
    }
    assert.equal(run.outputs['all-published'], 'true');
    assert.doesNotMatch(run.stdout, /^::warning.*Distribution check/m, `${project}: no check warned about a real dist`);
  }
});

/** The start of PyPI's message for each reason a corpus file is refused (test/corpus/refused.ts). */
const PYPI_MESSAGE: Record<string, RegExp> = {
  'description-rst': /^The description failed to render in the default format of reStructuredText\./,
  'wheel-name-not-normalized': /^Filename '[^']+' should contain the normalized project name '[^']+', not '[^']+'\.$/,
};

test("a project of which PyPI refuses a file publishes nothing and signs nothing, with PyPI's message", () => {
  const refused = [...runs].filter(([project]) => refusedProject(project));
  assert.ok(refused.length >= 1, 'the corpus has a dist PyPI refuses');
  for (const [project, run] of refused) {
    const where = `${project}:\n${run.stdout}\n${run.stderr}`;
    assert.equal(run.code, 1, where);
    for (const r of run.results) {
      assert.equal(r.status, 'not-attempted', `${r.filename}\n${where}`);
      const code = REFUSED[r.filename] ?? '';
      assert.ok(code in PYPI_MESSAGE, `${r.filename}: a refused file of the corpus with its code\n${where}`);
      assert.match(r.reason ?? '', PYPI_MESSAGE[code]!, where);
      assert.ok(!r.bundle && !r.attestation, `${r.filename}: no sidecar`);
    }
    assert.match(run.stdout, /nothing was signed or sent/, where);
    assert.doesNotMatch(run.stdout, /signingCert|mint-token/, `${project}: no certificate or token was asked for`);
  }
});

test('the index holds every corpus file PyPI accepts, byte for byte, each with provenance from Trusted Publishing', async () => {
  const state = await pypi.state();
  const stored = new Map<string, { sha256: string; has_provenance: boolean; via_trusted_publishing: boolean; project: string }>(
    state.files.map((f: { filename: string }) => [f.filename, f]),
  );
  const accepted = FILES.filter((f) => !REFUSED[f]);
  assert.deepEqual([...stored.keys()].sort(), accepted);
  for (const f of accepted) {
    const s = stored.get(f);
    const sha256 = createHash('sha256')
      .update(readFileSync(join(CACHE, f)))
      .digest('hex');
    assert.equal(s?.sha256, sha256, `${f} stored unchanged`);
    assert.equal(s?.has_provenance, true, `${f} stored with its provenance`);
    assert.equal(s?.via_trusted_publishing, true, `${f} uploaded via Trusted Publishing`);
    assert.equal(canonical(s?.project ?? ''), projectOf(f));
  }
});

test("the Integrity API serves each file's provenance, naming its own repository", async () => {
  const state = await pypi.state();
  for (const f of state.files as Array<{ filename: string; project: string; version: string }>) {
    const res = await pypi.provenance(f.project, f.version, f.filename);
    assert.equal(res.status, 200, f.filename);
    const body = (await res.json()) as { attestation_bundles: Array<{ publisher: { repository: string } }> };
    assert.equal(body.attestation_bundles[0]?.publisher.repository, `octo-org/${projectOf(f.filename)}`);
  }
});
