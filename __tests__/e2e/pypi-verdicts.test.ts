// The examples of issue #14, each through the built action against the local world, with PyPI's
// verdict. Accepted ones: every file of one release run is published with its attestation (the
// index stores its provenance), as PyPI accepts them. Refused ones: the run stops before anything
// leaves the runner, and the error for each file carries exactly the message the PyPI stand-in gives
// for that file when twine's form is sent (test/differential/judge.py runs warehouse's checks).
import assert from 'node:assert/strict';
import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { buildSdist, buildWheel, type WheelOptions } from '../../test/fixtures/dists/build.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { standInVerdicts as judgeFiles } from '../../test/helpers/judge.ts';

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs);
let root: string;

before(async () => {
  root = await scratchDir('e2e-verdicts-');
});

/** The action run on the dists of `ws`, publishing to the stand-in. */
async function publishFrom(ws: string): Promise<ActionRun> {
  const run = await runAction({ cwd: ws, inputs: { 'repository-url': suite.pypi.uploadUrl }, env: suite.world.env });
  runs.push(run);
  return run;
}

/** The stand-in's verdict on each file, judged with the form twine sends. */
function standInVerdicts(dir: string, files: string[]): Map<string, string | null> {
  const out = judgeFiles(files.map((f) => ({ path: join(dir, f), filename: f, form: 'twine' })));
  return new Map(files.map((f, i) => [f, out[i]?.message ?? null]));
}

// 246 bytes: the longest wheel name PyPI stores ("<name>.metadata" must fit in 255).
const LONG_VERSION = `10${'.1'.repeat(110)}`;
const LONG_WHEEL = `v_long-${LONG_VERSION}-py3-none-any.whl`;

async function acceptedRelease(dist: string): Promise<string[]> {
  const w = (name: string, o: Partial<WheelOptions> = {}) => buildWheel(dist, { name, version: '1.0', ...o });
  await w('v-unknown', { metadata: { 'Home-page': 'UNKNOWN', 'Download-URL': 'UNKNOWN', 'Author-email': 'UNKNOWN' } });
  await w('v-empty', { metadata: { 'Home-page': '', 'Author-email': '' } });
  await w('v-urls', {
    metadata: {
      'Home-page': 'https://exämple.org/',
      'Download-URL': 'http://',
      'Project-URL': ['Docs, https://example.org/a b', 'Source, https://example.org/%zz'],
    },
  });
  await w('v-email', { metadata: { 'Author-email': 'Jane <jane@example.org', 'Maintainer-email': 'jane@@example.org' } });
  await w('v-python', { metadata: { 'Requires-Python': '>=3.9,' } });
  await w('v-any', { tag: 'py3-none-Any' });
  await w('v-abi', { tag: 'py3--any' });
  await buildWheel(dist, { name: 'v-long', version: LONG_VERSION });
  const garbage = await buildSdist(dist, { name: 'v-garbage', version: '1.0' });
  await appendFile(garbage, 'trailing bytes after the gzip member');
  await buildSdist(dist, {
    name: 'v-members',
    version: '1.0',
    rawMembers: [
      { name: 'v_members-1.0/tty', type: '3' },
      { name: 'v_members-1.0/pipe', type: '6' },
      { name: 'v_members-1.0/../escape.txt', data: 'x' },
      { name: 'v_members-1.0/passwd', type: '2', linkname: '../../etc/passwd' },
    ],
  });
  return (await readdir(dist)).sort();
}

describe('PyPI accepts: the action publishes', () => {
  test('UNKNOWN and empty values, rfc3986 URLs, parseaddr e-mails, a trailing comma, tag case, empty abi, gzip trailing bytes, odd sdist members, a 246-byte wheel name', async () => {
    const ws = join(root, 'accepted');
    const dist = join(ws, 'dist');
    await mkdir(dist, { recursive: true });
    const files = await acceptedRelease(dist);
    assert.ok(files.includes(LONG_WHEEL) && Buffer.byteLength(LONG_WHEEL) === 246, LONG_WHEEL);
    for (const [file, message] of standInVerdicts(dist, files)) assert.equal(message, null, `the stand-in accepts ${file}`);
    for (const p of ['v-unknown', 'v-empty', 'v-urls', 'v-email', 'v-python', 'v-any', 'v-abi', 'v-long', 'v-garbage', 'v-members'])
      await suite.pypi.trust({ project: p });

    const run = await publishFrom(ws);
    const where = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
    assert.equal(run.code, 0, `the run succeeds${where}`);
    assert.equal(run.outputs['uploaded-count'], String(files.length), where);
    const state = await suite.pypi.state();
    for (const f of files) {
      const stored = state.files.find((x: { filename: string }) => x.filename === f);
      assert.ok(stored, `${f} is on the index${where}`);
      assert.equal(stored.has_provenance, true, `${f} is stored with its attestation`);
    }
    // The sdist members installers refuse are warned about, with the reason, not refused.
    assert.match(
      run.stdout,
      /::warning[^\n]*v_members-1\.0\.tar\.gz: The sdist has a member installers refuse: member "v_members-1\.0\/tty" is a character-device/,
    );
    assert.match(run.stdout, /::warning[^\n]*PEP 706/);
    // The 246-byte wheel: its sidecars cannot be named, so they are not written; a warning says so.
    assert.ok(
      run.stdout
        .split('\n')
        .some(
          (l) => l.startsWith('::warning') && l.includes(`${LONG_WHEEL}: ${LONG_WHEEL}.sigstore.json and ${LONG_WHEEL}.publish.attestation are not written`),
        ),
      `the sidecar warning${where}`,
    );
    const written = await readdir(dist);
    assert.ok(written.includes('v_unknown-1.0-py3-none-any.whl.publish.attestation'), 'the other dists have their sidecars');
    assert.ok(!written.some((f) => f.startsWith(LONG_WHEEL) && f !== LONG_WHEEL), 'no sidecar of the long wheel');
  });
});

describe("PyPI refuses: the action stops before the upload, with PyPI's message", () => {
  test('lower-case charset, invalid entry points, PyArmor, retired and wrong-case extensions', async () => {
    const ws = join(root, 'refused');
    const dist = join(ws, 'dist');
    await mkdir(dist, { recursive: true });
    await buildWheel(dist, { name: 'r-charset', version: '1.0', metadata: { 'Description-Content-Type': 'text/markdown; charset=utf-8' }, body: '# Title\n' });
    await buildWheel(dist, {
      name: 'r-entry',
      version: '1.0',
      files: { 'r_entry-1.0.dist-info/entry_points.txt': '[console_scripts]\n../evil = r_entry:main\n' },
    });
    await buildWheel(dist, {
      name: 'r-armor',
      version: '1.0',
      files: { 'r_armor/core.py': "from pytransform import pyarmor_runtime\n__pyarmor__(__name__, __file__, b'\\x00')\n" },
    });
    for (const name of ['r_egg-1.0-py3.12.egg', 'r_tgz-1.0.tgz', 'r_exe-1.0.win-amd64.exe', 'r_upper-1.0-py3-none-any.WHL', 'r_upper-1.0.TAR.GZ'])
      await writeFile(join(dist, name), 'not a dist');
    const files = (await readdir(dist)).sort();
    const verdicts = standInVerdicts(dist, files);

    const attemptsBefore = JSON.stringify((await suite.pypi.state()).uploadAttempts);
    const run = await publishFrom(ws);
    const where = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
    assert.equal(run.code, 1, `the run fails${where}`);
    assert.equal(JSON.stringify((await suite.pypi.state()).uploadAttempts), attemptsBefore, 'nothing reached the index');
    const errors = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .join('\n')
      .replace(/%0A/g, '\n')
      .replace(/%25/g, '%');
    for (const f of files) {
      const message = verdicts.get(f);
      assert.ok(message, `the stand-in refuses ${f}`);
      assert.ok(errors.includes(`${f}: ${message}`), `the action answers PyPI's message for ${f}: ${message}${where}`);
    }
  });
});

describe("A classifier newer than the action's copy of trove-classifiers", () => {
  test("is refused with PyPI's message while the index does not list it, and published once it does", async () => {
    const newer = 'Framework :: Example :: 9';
    const ws = join(root, 'newer-classifier');
    const dist = join(ws, 'dist');
    await mkdir(dist, { recursive: true });
    await buildWheel(dist, { name: 'c-newer', version: '1.0', metadata: { Classifier: ['Programming Language :: Python :: 3', newer] } });
    const [filename] = (await readdir(dist)) as [string];
    await suite.pypi.trust({ project: 'c-newer' });
    const message = standInVerdicts(dist, [filename]).get(filename);
    assert.equal(message, `'${newer}' is not a valid classifier. See https://packaging.python.org/specifications/core-metadata for more information.`);

    const refused = await publishFrom(ws);
    assert.equal(refused.code, 1, refused.stdout);
    assert.ok(refused.stdout.includes(`${filename}: ${message}`), refused.stdout);
    assert.deepEqual(await suite.pypi.files('c-newer'), [], 'nothing reached the index');

    // PyPI deploys a trove-classifiers release that has it: the index lists it, and the action asks.
    await suite.pypi.newerClassifiers([newer]);
    const run = await publishFrom(ws);
    const where = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}`;
    assert.equal(run.code, 0, `the run succeeds${where}`);
    assert.ok(
      run.stdout.includes(`Classifier '${newer}' is not in this action's copy (trove-classifiers `) &&
        run.stdout.includes(`the index lists it (${suite.pypi.base}/pypi?%3Aaction=list_classifiers), so it is accepted.`),
      where,
    );
    assert.deepEqual(
      (await suite.pypi.files('c-newer')).map((f) => [f.filename, f.has_provenance]),
      [[filename, true]],
    );
  });
});
