// Bad inputs, end to end: each one is run through the built action (dist/index.js, as the runner
// runs it) against the local world. Every run must fail (exit 1) before anything leaves the runner —
// no OIDC token requested, nothing signed (Fulcio, Rekor, TSA untouched), nothing sent to the
// index — and must say which file (or input) is wrong and what to do about it. Dists that were
// found are reported one by one as "not attempted" with the reason.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service } from '../../test/helpers/world.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { buildSdist, buildWheel, type SdistOptions, type WheelOptions } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

let root: string;
const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs, async ({ pypi }) => {
  // The projects exist and trust this workflow: were a check missing, the upload would go through.
  await pypi.trust({ project: 'sampleproject' });
  await pypi.trust({ project: 'companion' });
  root = await scratchDir('e2e-bad-');
});

const NAME = 'sampleproject';
const V = '1.0.0';
const WHEEL = 'sampleproject-1.0.0-py3-none-any.whl';
const SDIST = 'sampleproject-1.0.0.tar.gz';

interface Case {
  /** What is bad. */
  title: string;
  /** Writes the workspace (default packages-dir is `dist`). */
  setup: (ws: string) => Promise<unknown>;
  inputs?: Record<string, string>;
  /** Text (PyPI's wording where it has one) that must be in the error. */
  message: string | RegExp;
  /** Text of the fix that must follow "Fix:" (or, for input errors, be in the message). */
  fix: string | RegExp;
  /** The dist the error is about: it must be named, and reported as not attempted with the reason. */
  file?: string;
  /** Without a file: what the error must name instead (an input, a path). */
  names?: string;
  /** Also put a valid wheel of another project next to the bad one (default true for dist cases). */
  companion?: boolean;
}

const dist = (ws: string) => join(ws, 'dist');
const W =
  (o: Partial<WheelOptions> = {}) =>
  (ws: string) =>
    buildWheel(dist(ws), { name: NAME, version: V, ...o });
const S =
  (o: Partial<SdistOptions> = {}) =>
  (ws: string) =>
    buildSdist(dist(ws), { name: NAME, version: V, ...o });
const M = (metadata: Record<string, string | string[] | null>, o: Partial<WheelOptions> = {}) => W({ metadata, ...o });
const file = (name: string, data: string | Buffer) => async (ws: string) => {
  await mkdir(dist(ws), { recursive: true });
  await writeFile(join(dist(ws), name), data);
};
const REBUILD = /rebuild/i;

const INPUT_CASES: Case[] = [
  // ---- packages-dir ----
  {
    title: 'packages-dir that does not exist',
    setup: W(),
    inputs: { 'packages-dir': 'build/dists' },
    message: 'packages-dir "build/dists" does not exist',
    fix: /Build the dists first.*set packages-dir/,
    names: 'build/dists',
  },
  {
    title: 'packages-dir that is empty',
    setup: (ws) => mkdir(dist(ws), { recursive: true }),
    message: 'No distributions (*.whl, *.tar.gz, *.zip) found in "dist"',
    fix: 'python -m build --outdir dist',
    names: '"dist"',
  },
  {
    title: 'packages-dir holding only download-artifact sub-directories',
    setup: (ws) =>
      Promise.all([buildWheel(join(dist(ws), 'wheels'), { name: NAME, version: V }), buildSdist(join(dist(ws), 'sdist'), { name: NAME, version: V })]),
    message: 'No distributions (*.whl, *.tar.gz, *.zip) found in "dist"',
    fix: /merge-multiple: true.*"dist\/\*\/\*"/,
    names: 'sdist, wheels',
  },
  {
    title: 'a directory named like a wheel (download-artifact nesting)',
    setup: (ws) => buildWheel(join(dist(ws), WHEEL), { name: NAME, version: V }),
    message: `look like distributions but are not actually files: dist/${WHEEL}`,
    fix: 'merge-multiple: true',
    file: WHEEL,
  },
  {
    title: 'a dist that is a symlink to a file outside the workspace',
    setup: async (ws) => {
      const outside = await scratchDir('outside-');
      const real = await buildWheel(outside, { name: NAME, version: V });
      await mkdir(dist(ws), { recursive: true });
      await symlink(real, join(dist(ws), WHEEL));
    },
    message: /is a symbolic link to .*outside-.*, outside the workspace/,
    fix: 'Copy the dist into the workspace',
    file: WHEEL,
  },
  {
    title: 'a dist that is a broken symlink',
    setup: async (ws) => {
      await mkdir(dist(ws), { recursive: true });
      await symlink(join(ws, 'gone.whl'), join(dist(ws), WHEEL));
    },
    message: 'is a symbolic link whose target does not exist',
    fix: 'fix the link',
    file: WHEEL,
  },
  {
    title: 'a glob that matches nothing',
    setup: S(),
    inputs: { 'packages-dir': 'dist/*.whl' },
    message: 'No distributions (*.whl, *.tar.gz, *.zip) match "dist/*.whl"',
    fix: 'Check the pattern',
    names: 'dist/*.whl',
  },
  {
    title: 'one of two packages-dir lines matches nothing',
    setup: W(),
    inputs: { 'packages-dir': 'dist\nwheelhouse/*.whl' },
    message: 'match "wheelhouse/*.whl"',
    fix: 'download-artifact',
    names: 'wheelhouse/*.whl',
  },
  {
    title: 'packages-dir naming a file that is not a dist',
    setup: async (ws) => {
      await W()(ws);
      await writeFile(join(ws, 'README.md'), '# hi\n');
    },
    inputs: { 'packages-dir': 'README.md' },
    message: '"README.md" is neither a directory nor a *.whl / *.tar.gz / *.zip file',
    fix: 'Set packages-dir to the directory holding the dists',
    names: 'README.md',
  },
  {
    title: 'packages-dir of comments only',
    setup: W(),
    inputs: { 'packages-dir': '# dist' },
    message: 'The packages-dir input is empty',
    fix: 'Name the directory holding your dists',
    names: 'packages-dir',
  },
  // ---- repository-url ----
  {
    title: 'repository-url that is not a URL',
    setup: W(),
    inputs: { 'repository-url': 'upload.pypi.org/legacy' },
    message: 'The repository-url input "upload.pypi.org/legacy" is not a URL',
    fix: 'https://upload.pypi.org/legacy/',
    names: 'repository-url',
  },
  {
    title: 'repository-url with an ftp scheme',
    setup: W(),
    inputs: { 'repository-url': 'ftp://upload.pypi.org/legacy/' },
    message: 'must be an https:// URL',
    fix: 'https://',
    names: 'repository-url',
  },
  {
    title: 'repository-url over plain http to a remote host',
    setup: W(),
    inputs: { 'repository-url': 'http://pypi.internal.example/legacy/' },
    message: 'uses plain http to a remote host; credentials would be sent unencrypted',
    fix: 'Use https://pypi.internal.example/legacy/',
    names: 'repository-url',
  },
  {
    title: 'repository-url on legacy PyPI (refused as twine refuses it)',
    setup: W(),
    inputs: { 'repository-url': 'https://pypi.python.org/pypi' },
    message: "You're trying to upload to the legacy PyPI site 'https://pypi.python.org/pypi'",
    fix: 'Try using https://upload.pypi.org/legacy/',
    names: 'legacy PyPI site',
  },
  {
    title: 'repository-url carrying credentials',
    setup: W(),
    inputs: { 'repository-url': 'https://me:hunter22@upload.pypi.org/legacy/' },
    message: 'must not contain credentials',
    fix: 'pass them as `user` and `password`',
    names: 'repository-url',
  },
  // ---- upload-concurrency ----
  {
    title: 'upload-concurrency 0',
    setup: W(),
    inputs: { 'upload-concurrency': '0' },
    message: 'The upload-concurrency input "0"',
    fix: 'whole number from 1 to 32',
    names: 'upload-concurrency',
  },
  {
    title: 'upload-concurrency not a number',
    setup: W(),
    inputs: { 'upload-concurrency': 'many' },
    message: 'The upload-concurrency input "many"',
    fix: 'whole number from 1 to 32',
    names: 'upload-concurrency',
  },
  {
    title: 'upload-concurrency above 32',
    setup: W(),
    inputs: { 'upload-concurrency': '100' },
    message: 'The upload-concurrency input "100"',
    fix: 'whole number from 1 to 32',
    names: 'upload-concurrency',
  },
  {
    title: 'upload-concurrency fractional',
    setup: W(),
    inputs: { 'upload-concurrency': '2.5' },
    message: 'The upload-concurrency input "2.5"',
    fix: 'whole number from 1 to 32',
    names: 'upload-concurrency',
  },
  // ---- credentials ----
  {
    title: 'a username and password for PyPI (password uploads are disabled)',
    setup: W(),
    inputs: { 'repository-url': 'https://upload.pypi.org/legacy/', user: 'someone', password: 'letmein-please' },
    message: 'Password-based uploads disabled',
    fix: 'switch to either Trusted Publishers (preferred) or API tokens',
    names: 'Two-Factor',
  },
];

const DIST_CASES: Case[] = [
  // ---- file names ----
  {
    title: 'sdist name not PEP 625 normalized',
    setup: S({ name: 'Sample.Project', filename: 'Sample.Project-1.0.0.tar.gz', topDir: 'Sample.Project-1.0.0' }),
    file: 'Sample.Project-1.0.0.tar.gz',
    message: "Filename 'Sample.Project-1.0.0.tar.gz' is invalid, should be 'sample_project-1.0.0.tar.gz'.",
    fix: REBUILD,
  },
  {
    title: '.zip sdist',
    setup: S({ format: 'zip' }),
    file: 'sampleproject-1.0.0.zip',
    message: "Filename 'sampleproject-1.0.0.zip' is invalid, should be 'sampleproject-1.0.0.tar.gz'.",
    fix: /tar\.gz/,
  },
  {
    title: 'wheel name not normalized',
    setup: W({ name: 'SampleProject', filename: 'SampleProject-1.0.0-py3-none-any.whl', distInfo: 'SampleProject-1.0.0.dist-info' }),
    file: 'SampleProject-1.0.0-py3-none-any.whl',
    message: "should contain the normalized project name 'sampleproject', not 'SampleProject'.",
    fix: REBUILD,
  },
  {
    title: 'wheel file name with too few parts',
    setup: W({ filename: 'sampleproject-1.0.0-py3-none.whl' }),
    file: 'sampleproject-1.0.0-py3-none.whl',
    message: 'Invalid wheel filename (wrong number of parts)',
    fix: REBUILD,
  },
  {
    title: 'wheel with a non-numeric build tag',
    setup: W({ filename: 'sampleproject-1.0.0-abc-py3-none-any.whl' }),
    file: 'sampleproject-1.0.0-abc-py3-none-any.whl',
    message: 'Invalid build number: abc',
    fix: /build tag|rebuild/i,
  },
  {
    title: 'sdist file name without a version',
    setup: S({ filename: 'sampleproject.tar.gz' }),
    file: 'sampleproject.tar.gz',
    message: 'Invalid source distribution filename: sampleproject.tar.gz',
    fix: REBUILD,
  },
  {
    title: 'file name version differs from metadata Version',
    setup: M({ Version: '1.1' }),
    file: WHEEL,
    message: "Version in filename should be '1.1' not '1.0.0'.",
    fix: REBUILD,
  },
  {
    title: 'wheel of another project than its metadata Name',
    setup: M({ Name: 'otherproject' }),
    file: WHEEL,
    message: "Start filename for 'otherproject' with 'otherproject'.",
    fix: /name|rebuild/i,
  },
  {
    title: 'wheel with unsupported platform tag linux_x86_64',
    setup: W({ tag: 'cp312-cp312-linux_x86_64' }),
    file: 'sampleproject-1.0.0-cp312-cp312-linux_x86_64.whl',
    message: "has an unsupported platform tag 'linux_x86_64'.",
    fix: /auditwheel|manylinux/,
  },
  {
    title: 'macOS 11 wheel with a minor version',
    setup: W({ tag: 'cp312-cp312-macosx_11_3_arm64' }),
    file: 'sampleproject-1.0.0-cp312-cp312-macosx_11_3_arm64.whl',
    message: "unsupported platform tag 'macosx_11_3_arm64'",
    fix: /macosx|platform/i,
  },
  {
    title: 'unsupported file extension .egg',
    setup: file('sampleproject-1.0.0.egg', 'x'),
    file: 'sampleproject-1.0.0.egg',
    message: 'Invalid file extension: Use .tar.gz, .whl or .zip extension.',
    fix: 'python -m build',
  },
  { title: 'empty wheel file', setup: file(WHEEL, ''), file: WHEEL, message: 'Invalid distribution file. File is not a zipfile', fix: /empty.*rebuild/ },
  // ---- metadata ----
  {
    title: 'Metadata-Version 2.0',
    setup: M({ 'Metadata-Version': '2.0' }),
    file: WHEEL,
    message: "'2.0' is not a valid metadata version. See https://packaging.python.org/specifications/core-metadata",
    fix: /Metadata-Version|build backend|upgrade/i,
  },
  {
    title: 'Metadata-Version 9.9',
    setup: M({ 'Metadata-Version': '9.9' }),
    file: WHEEL,
    message: "'9.9' is not a valid metadata version",
    fix: /Metadata-Version|build backend|upgrade/i,
  },
  { title: 'no Metadata-Version', setup: M({ 'Metadata-Version': null }), file: WHEEL, message: 'None is not a valid metadata version.', fix: REBUILD },
  { title: 'missing Name', setup: M({ Name: null }), file: WHEEL, message: "'' is an invalid value for Name. Error: This field is required.", fix: /name/i },
  { title: 'missing Version', setup: M({ Version: null }), file: WHEEL, message: "'version' is a required field", fix: /version/i },
  {
    title: 'local version 1.0.0+local.7',
    setup: W({ version: '1.0.0+local.7' }),
    file: 'sampleproject-1.0.0+local.7-py3-none-any.whl',
    message: "The use of local versions in '1.0.0+local.7' is not allowed.",
    fix: /local/i,
  },
  {
    title: 'Summary longer than 512 characters',
    setup: M({ Summary: 's'.repeat(600) }),
    file: WHEEL,
    message: "'summary' field must be 512 characters or less.",
    fix: /512|Summary|description/i,
  },
  {
    title: 'Summary on two lines',
    setup: M({ Summary: 'first\n        second' }),
    file: WHEEL,
    message: "'summary' must be a single line",
    fix: /line|Summary/i,
  },
  { title: 'Home-page that is not a URL', setup: M({ 'Home-page': 'not a url' }), file: WHEEL, message: "'not a url' is not a valid url.", fix: /http/i },
  {
    title: 'Project-URL with a git+ssh URL',
    setup: M({ 'Project-URL': 'Source, git+ssh://git@example.com/x' }),
    file: WHEEL,
    message: "'git+ssh://git@example.com/x' is not a valid url",
    fix: /http/i,
  },
  {
    title: 'Project-URL label longer than 32 characters',
    setup: M({ 'Project-URL': `${'L'.repeat(40)}, https://example.com` }),
    file: WHEEL,
    message: `'${'L'.repeat(40)}' must be 32 characters or less.`,
    fix: /label|32/i,
  },
  {
    title: 'direct-URL requirement in Requires-Dist',
    setup: M({ 'Requires-Dist': 'dep @ https://example.com/dep-1.0-py3-none-any.whl' }),
    file: WHEEL,
    message: "Can't have direct dependency: dep @ https://example.com/dep-1.0-py3-none-any.whl",
    fix: /direct|URL|index/i,
  },
  {
    title: 'invalid requirement in Requires-Dist',
    setup: M({ 'Requires-Dist': 'dep >>> 1' }),
    file: WHEEL,
    message: "'dep >>> 1' is invalid for 'requires-dist'",
    fix: /PEP 508|requirement|dependenc/i,
  },
  {
    title: 'License together with License-Expression',
    setup: M({ License: 'MIT License', 'License-Expression': 'MIT' }),
    file: WHEEL,
    message: 'License is deprecated when License-Expression is present. Only License-Expression should be present.',
    fix: /SPDX license expression/,
  },
  {
    title: 'License-Expression under Metadata-Version 2.1',
    setup: M({ 'Metadata-Version': '2.1', 'License-Expression': 'MIT' }),
    file: WHEEL,
    message: 'license-expression introduced in metadata version 2.4, not 2.1',
    fix: /Metadata-Version|backend|upgrade/i,
  },
  {
    title: 'License-File not in the wheel',
    setup: M({ 'License-File': 'LICENSE' }),
    file: WHEEL,
    message: 'License-File LICENSE does not exist in distribution file',
    fix: /licen/i,
  },
  {
    title: 'Description-Content-Type text/html',
    setup: M({ 'Description-Content-Type': 'text/html' }),
    file: WHEEL,
    message: "'description-content-type' must be one of ['text/x-rst', 'text/markdown', 'text/plain'], not 'text/html'",
    fix: /text\/markdown|readme|content-type/i,
  },
  {
    title: 'Dynamic: Version',
    setup: M({ Dynamic: 'Version' }),
    file: WHEEL,
    message: "'version' is not allowed as a dynamic field",
    fix: /Dynamic|version|rebuild/i,
  },
  {
    title: 'invalid Requires-Python',
    setup: M({ 'Requires-Python': '>=3.x' }),
    file: WHEEL,
    message: "'>=3.x' is invalid for 'requires-python'",
    fix: /requires-python|specifier/i,
  },
  {
    title: 'reStructuredText description that fails to render',
    setup: W({ body: 'My project\n=====\n\nText.\n' }),
    file: WHEEL,
    message: 'The description failed to render in the default format of reStructuredText.',
    fix: /twine check|text\/markdown|rst|readme/i,
  },
  // ---- wheel archives ----
  {
    title: 'wheel without METADATA',
    setup: W({ omit: ['METADATA'] }),
    file: WHEEL,
    message: 'does not contain the required METADATA file: sampleproject-1.0.0.dist-info/METADATA',
    fix: REBUILD,
  },
  { title: 'wheel without WHEEL', setup: W({ omit: ['WHEEL'] }), file: WHEEL, message: 'WHEEL not found at sampleproject-1.0.0.dist-info/WHEEL', fix: REBUILD },
  {
    title: 'wheel without RECORD',
    setup: W({ omit: ['RECORD'] }),
    file: WHEEL,
    message: 'does not contain the required RECORD file: sampleproject-1.0.0.dist-info/RECORD',
    fix: REBUILD,
  },
  {
    title: 'wheel with bzip2 compression method',
    setup: W({ method: 12 }),
    file: WHEEL,
    message: 'File does not use a supported compression type',
    fix: /deflate|stored|rebuild/i,
  },
  {
    title: 'wheel with an unknown compression method 99',
    setup: W({ method: 99 }),
    file: WHEEL,
    message: 'File does not use a supported compression type',
    fix: /deflate|stored|rebuild/i,
  },
  {
    title: 'zip bomb (compression ratio > 50)',
    setup: W({ files: { 'sampleproject/zeros.bin': Buffer.alloc(70 * 1024 * 1024) } }),
    file: WHEEL,
    message: 'File exceeds compression ratio of 50',
    fix: /50×|remove large/,
  },
  { title: 'wheel that is not a zip', setup: file(WHEEL, 'not a zip at all'), file: WHEEL, message: 'File is not a zipfile', fix: REBUILD },
  {
    title: 'wheel with a data descriptor',
    setup: W({ zip: { dataDescriptor: true } }),
    file: WHEEL,
    message: 'ZIP archive not accepted: ZIP contains a data descriptor. See https://docs.pypi.org/archives',
    fix: REBUILD,
  },
  {
    title: 'wheel with trailing data after the zip',
    setup: W({ zip: { trailing: Buffer.from('junk') } }),
    file: WHEEL,
    message: 'Trailing data',
    fix: REBUILD,
  },
  {
    title: 'wheel with duplicate member names',
    setup: W({ rawMembers: [{ name: 'sampleproject/__init__.py', data: '__version__ = "1.0.0"\n' }] }),
    file: WHEEL,
    message: 'Duplicate filename in local headers',
    fix: REBUILD,
  },
  // ---- sdist archives ----
  {
    // warehouse's os.path.commonpath raises on the mix of absolute and relative names: a server error.
    title: 'sdist member with an absolute path',
    setup: S({ rawMembers: [{ name: '/etc/cron.d/evil', data: 'x' }] }),
    file: SDIST,
    message: "PyPI fails on this sdist with a server error (500): os.path.commonpath raises ValueError (Can't mix absolute and relative paths)",
    fix: 'rather than repacking it by hand',
  },
  {
    title: 'sdist with sparse members',
    setup: S({ rawMembers: [{ name: 'sampleproject-1.0.0/big', data: 'x', type: 'S' }] }),
    file: SDIST,
    message: 'Sparse members are not allowed',
    fix: REBUILD,
  },
  {
    title: 'corrupt gzip (truncated sdist)',
    setup: S({ truncate: true, files: { 'data.bin': Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251)) } }),
    file: SDIST,
    message: 'Invalid distribution file. None',
    fix: /rebuild|download|upload-artifact/i,
  },
  { title: 'sdist that is not gzip at all', setup: file(SDIST, 'plain text, not gzip'), file: SDIST, message: 'File is not a tarfile', fix: REBUILD },
  {
    title: 'sdist without PKG-INFO',
    setup: S({ omitPkgInfo: true }),
    file: SDIST,
    message: 'PKG-INFO not found at sampleproject-1.0.0/PKG-INFO',
    fix: 'python -m build --sdist',
  },
  {
    title: 'sdist without a top-level directory',
    setup: S({ topDir: '' }),
    file: SDIST,
    message: 'Incorrect number of top-level directories in sdist',
    fix: 'exactly one top-level directory',
  },
  // ---- across files ----
  {
    title: 'two sdists for one version',
    setup: async (ws) => {
      await S()(ws);
      await S({ version: '1.0' })(ws);
    },
    file: 'sampleproject-1.0.tar.gz',
    message: 'Only one sdist may be uploaded per release.',
    fix: 'Keep a single .tar.gz sdist',
  },
  {
    title: 'two different files with the same name',
    setup: async (ws) => {
      await buildWheel(join(ws, 'a'), { name: NAME, version: V });
      await buildWheel(join(ws, 'b'), { name: NAME, version: V, files: { 'x.py': '1' } });
    },
    inputs: { 'packages-dir': 'a\nb' },
    file: WHEEL,
    message: 'File already exists',
    fix: 'list each dist once',
    companion: false,
  },
];

type Counts = Record<string, number>;
async function counters(): Promise<{ services: Record<Service, Counts>; attempts: unknown; files: number; tokens: number }> {
  const names: Service[] = ['oidc', 'fulcio', 'rekor', 'tsa'];
  const stats = await Promise.all(names.map((s) => suite.world.stats(s)));
  const state = await suite.pypi.state();
  return {
    services: Object.fromEntries(names.map((s, i) => [s, stats[i]?.requests ?? {}])) as Record<Service, Counts>,
    attempts: state.uploadAttempts,
    files: state.files.length,
    tokens: state.tokensMinted,
  };
}

let n = 0;
async function runCase(c: Case): Promise<ActionRun> {
  const ws = join(root, `${n++}`);
  await mkdir(ws, { recursive: true });
  await c.setup(ws);
  const isDistCase = c.file !== undefined;
  if (isDistCase && c.companion !== false) await buildWheel(dist(ws), { name: 'companion', version: '2.0.0' });
  const before = await counters();
  const run = await runAction({ cwd: ws, inputs: { 'repository-url': suite.pypi.uploadUrl, ...c.inputs }, env: suite.world.env });
  runs.push(run);
  const after = await counters();
  const log = run.stdout + run.stderr;
  const where = `\n--- stdout ---\n${run.stdout}\n--- stderr ---\n${run.stderr}\n--- summary ---\n${run.summary}`;

  assert.equal(run.code, 1, `exit code${where}`);
  // Nothing left the runner.
  assert.equal(after.services.oidc['GET /token'] ?? 0, before.services.oidc['GET /token'] ?? 0, 'no OIDC token was requested');
  assert.deepEqual(after.services.fulcio, before.services.fulcio, 'Fulcio was not called');
  assert.deepEqual(after.services.rekor, before.services.rekor, 'Rekor was not called');
  assert.deepEqual(after.services.tsa, before.services.tsa, 'the TSA was not called');
  assert.deepEqual(after.attempts, before.attempts, 'no upload reached the index');
  assert.equal(after.files, 0, 'the index holds no file');
  assert.equal(after.tokens, before.tokens, 'no PyPI token was minted');
  assert.doesNotMatch(log, /Generating and uploading digital attestations|^(?:::group::)?Uploading \d+ distribution/m, 'no signing or upload stage ran');

  // The error says what is wrong, where, and what to do.
  const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
  // One error annotation, printed once, holding every problem with its full text.
  assert.equal(errors.length, 1, `one ::error:: annotation${where}`);
  const errorText = errors.join('\n').replace(/%0A/g, '\n').replace(/%25/g, '%').replace(/%0D/g, '\r');
  if (typeof c.message === 'string') assert.ok(errorText.includes(c.message), `error lacks ${JSON.stringify(c.message)}${where}`);
  else assert.match(errorText, c.message);
  if (isDistCase) {
    const line = errorText.split('\n').find((l) => l.includes(`${c.file}: `) && (typeof c.message === 'string' ? l.includes(c.message) : c.message.test(l)));
    assert.ok(line, `an error line names ${c.file} with the message${where}`);
    const fix = line.slice(line.indexOf(' Fix: ') + 6);
    assert.ok(line.includes(' Fix: '), `the line gives a fix: ${line}`);
    if (typeof c.fix === 'string') assert.ok(fix.includes(c.fix), `fix ${JSON.stringify(fix)} lacks ${JSON.stringify(c.fix)}`);
    else assert.match(fix, c.fix);
  } else {
    if (typeof c.fix === 'string') assert.ok(errorText.includes(c.fix), `error lacks the fix ${JSON.stringify(c.fix)}${where}`);
    else assert.match(errorText, c.fix);
    assert.ok(errorText.includes(c.names as string), `error names ${c.names}${where}`);
  }
  // A bad dist gets a summary that says nothing was published; a bad input may stop before there is one.
  if (isDistCase || run.summary !== '') assert.match(run.summary, /^## ❌ .*nothing published/m, `summary says nothing was published${where}`);

  if (isDistCase) {
    // Per-file report: outputs and summary show every dist as not attempted, the bad one with why.
    assert.equal(run.outputs['all-published'], 'false');
    assert.equal(run.outputs['uploaded-count'], '0');
    assert.ok(run.results.length >= 1, `results list the dists${where}`);
    for (const r of run.results) assert.equal(r.status, 'not-attempted', `${r.filename} not attempted`);
    const bad = run.results.find((r) => r.filename === c.file);
    assert.ok(bad, `results include ${c.file}: ${JSON.stringify(run.results)}`);
    assert.ok(bad.reason, `${c.file} has a reason`);
    if (typeof c.message === 'string') assert.ok(bad.reason.includes(c.message), `reason ${JSON.stringify(bad.reason)} lacks the message`);
    else assert.match(bad.reason, c.message);
    const row = run.summary.split('\n').find((l) => l.startsWith(`| \`${c.file}\` |`));
    assert.ok(row, `summary row for ${c.file}${where}`);
    // The file at fault is not shown like the files held back because of it.
    assert.match(row, /❌ \*\*refused\*\*: \S/);
    assert.match(run.summary, /### What went wrong/);
    if (c.title === 'two different files with the same name') {
      assert.deepEqual(
        run.results.map((r) => r.filename),
        [WHEEL, WHEEL],
      );
      for (const r of run.results) assert.match(r.reason ?? '', /File already exists/, 'both copies carry the reason');
    }
    if (c.companion !== false) {
      const good = run.results.find((r) => r.filename === 'companion-2.0.0-py3-none-any.whl');
      assert.equal(good?.status, 'not-attempted', 'the valid dist next to it is held back too');
      assert.ok(good?.reason, 'and says why');
      assert.match(run.summary, /\| `companion-2\.0\.0-py3-none-any\.whl` \| ⏸️ held back: \d problem/);
    }
  }
  return run;
}

describe('bad inputs stop the action before anything leaves the runner', () => {
  test('there are at least 40 bad inputs', () => assert.ok(INPUT_CASES.length + DIST_CASES.length >= 40));
  describe('inputs', () => {
    for (const c of INPUT_CASES) test(c.title, async () => void (await runCase(c)));
  });
  describe('dists', () => {
    for (const c of DIST_CASES) test(c.title, async () => void (await runCase(c)));
  });
  describe('verify-metadata: false', () => {
    test('an unsupported platform tag is still an error', async () => {
      await runCase({
        title: '',
        setup: W({ tag: 'cp312-cp312-linux_x86_64' }),
        inputs: { 'verify-metadata': 'false' },
        file: 'sampleproject-1.0.0-cp312-cp312-linux_x86_64.whl',
        message: "unsupported platform tag 'linux_x86_64'",
        fix: /auditwheel|manylinux/,
      });
    });
    test('a corrupt archive is still an error', async () => {
      await runCase({
        title: '',
        setup: W({ method: 12 }),
        inputs: { 'verify-metadata': 'false' },
        file: WHEEL,
        message: 'File does not use a supported compression type',
        fix: /deflate|stored|rebuild/i,
      });
    });
    test('a local version is still an error', async () => {
      await runCase({
        title: '',
        setup: W({ version: '1.0.0+cu121' }),
        inputs: { 'verify-metadata': 'false' },
        file: 'sampleproject-1.0.0+cu121-py3-none-any.whl',
        message: "The use of local versions in '1.0.0+cu121' is not allowed.",
        fix: /local/i,
      });
    });
  });
});
