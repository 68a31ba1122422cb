import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readConfig, getNormalizedInput } from '../../src/config/inputs.ts';

// What the runner puts in the environment for the incumbent's action.yml defaults.
const DEFAULTS = {
  INPUT_USER: '__token__',
  INPUT_REPOSITORY_URL: 'https://upload.pypi.org/legacy/',
  INPUT_PACKAGES_DIR: 'dist',
  INPUT_VERIFY_METADATA: 'true',
  INPUT_SKIP_EXISTING: 'false',
  INPUT_VERBOSE: 'true',
  INPUT_PRINT_HASH: 'true',
  INPUT_ATTESTATIONS: 'true',
};

test('defaults: Trusted Publishing to PyPI with attestations', () => {
  const { config, errors, notices } = readConfig(DEFAULTS);
  assert.deepEqual(errors, []);
  assert.deepEqual(notices, []);
  assert.equal(config?.mode, 'trusted-publishing');
  assert.equal(config?.repositoryUrl.href, 'https://upload.pypi.org/legacy/');
  assert.deepEqual(config?.packagesDir, ['dist']);
  assert.equal(config?.attestations, true);
  assert.equal(config?.verifyMetadata, true);
  assert.equal(config?.skipExisting, false);
  assert.equal(config?.printHash, true);
});

test('kebab-case input wins over its deprecated alias, which still works alone', () => {
  assert.equal(getNormalizedInput({ 'INPUT_PACKAGES-DIR': 'out', INPUT_PACKAGES_DIR: 'dist' }, 'packages-dir'), 'out');
  assert.equal(getNormalizedInput({ INPUT_PACKAGES_DIR: 'legacy' }, 'packages-dir'), 'legacy');
  const { config } = readConfig({ ...DEFAULTS, 'INPUT_SKIP-EXISTING': 'TRUE', 'INPUT_REPOSITORY-URL': 'https://test.pypi.org/legacy/' });
  assert.equal(config?.skipExisting, true);
  assert.equal(config?.repositoryUrl.host, 'test.pypi.org');
});

test('booleans are true unless "false", like the incumbent', () => {
  const { config } = readConfig({ ...DEFAULTS, 'INPUT_VERIFY-METADATA': 'False', 'INPUT_PRINT-HASH': 'no' });
  assert.equal(config?.verifyMetadata, false);
  assert.equal(config?.printHash, true);
});

test('packages-dir takes several lines and globs', () => {
  const { config } = readConfig({ ...DEFAULTS, 'INPUT_PACKAGES-DIR': 'dist\n  wheels/*.whl \n\n# comment\nsdist' });
  assert.deepEqual(config?.packagesDir, ['dist', 'wheels/*.whl', 'sdist']);
});

test('an API token turns attestations off with the incumbent warning and nudges to Trusted Publishing', () => {
  const { config, notices } = readConfig({ ...DEFAULTS, INPUT_PASSWORD: 'pypi-abc' });
  assert.equal(config?.mode, 'api-token');
  assert.equal(config?.attestations, false);
  const titles = notices.map((n) => n.title);
  assert.ok(titles.includes('attestations input ignored'));
  assert.ok(titles.includes('Upgrade to Trusted Publishing'));
  assert.ok(!titles.includes('POTENTIALLY INVALID TOKEN'));
});

test('a token without the pypi- prefix warns', () => {
  const { notices } = readConfig({ ...DEFAULTS, INPUT_PASSWORD: 'abc', 'INPUT_REPOSITORY-URL': 'https://devpi.example/root/prod/' });
  const warning = notices.find((n) => n.title === 'POTENTIALLY INVALID TOKEN');
  assert.match(warning?.message ?? '', /does not start with "pypi-"/);
});

test('a blank password set on purpose warns (EMPTY TOKEN) and falls back to Trusted Publishing', () => {
  const { config, notices } = readConfig({ ...DEFAULTS, INPUT_PASSWORD: '   ' });
  assert.equal(config?.mode, 'trusted-publishing');
  assert.ok(notices.some((n) => n.title === 'EMPTY TOKEN'));
});

test("username and password on pypi.org: the incumbent's nudge here, its refusal in the engine (which names the projects)", () => {
  const { config, errors, notices } = readConfig({ ...DEFAULTS, INPUT_USER: 'alice', INPUT_PASSWORD: 'secret' });
  assert.equal(config?.mode, 'password');
  assert.deepEqual(errors, []);
  assert.ok(notices.some((n) => n.title === 'Upgrade to Trusted Publishing'));
});

test('username and password to another index is fine, without attestations', () => {
  const { config, errors } = readConfig({
    ...DEFAULTS,
    INPUT_USER: 'alice',
    INPUT_PASSWORD: 'secret',
    'INPUT_REPOSITORY-URL': 'https://devpi.example/alice/dev/',
  });
  assert.deepEqual(errors, []);
  assert.equal(config?.mode, 'password');
  assert.equal(config?.attestations, false);
});

test('attestations only for PyPI and TestPyPI, as the incumbent decides, each refusal with its warning', () => {
  const ignored = (n: { title?: string }) => n.title === 'attestations input ignored';
  const other = readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': 'https://pkgs.example/legacy/' });
  assert.equal(other.config?.mode, 'trusted-publishing');
  assert.equal(other.config?.attestations, false);
  assert.deepEqual(
    other.notices.filter(ignored).map((n) => n.message),
    [
      "The workflow was run with 'attestations: true' input, but the specified repository URL does not support PEP 740 attestations. As a result, the attestations input is ignored.",
    ],
  );
  // With a password as well, both of the incumbent's warnings.
  const both = readConfig({ ...DEFAULTS, INPUT_USER: 'alice', INPUT_PASSWORD: 'secret', 'INPUT_REPOSITORY-URL': 'https://devpi.example/alice/dev/' });
  assert.equal(both.notices.filter(ignored).length, 2);
  // PyPI, TestPyPI, and a PyPI stand-in on this machine (a rehearsal) keep them; so does `false`, silently.
  for (const url of ['https://upload.pypi.org/legacy/', 'https://test.pypi.org/legacy/', 'http://127.0.0.1:8080/legacy/']) {
    const r = readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': url });
    assert.equal(r.config?.attestations, true, url);
    assert.equal(r.notices.filter(ignored).length, 0, url);
  }
  assert.equal(
    readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': 'https://pkgs.example/legacy/', INPUT_ATTESTATIONS: 'false' }).notices.filter(ignored).length,
    0,
  );
});

test('plain http is refused except to loopback', () => {
  assert.match(readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': 'http://index.example/legacy/' }).errors.join(), /plain http to a remote host/);
  for (const host of ['127.0.0.1:8080', 'localhost:1', '[::1]:9']) {
    assert.deepEqual(readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': `http://${host}/legacy/` }).errors, []);
  }
});

test("PyPI's own hosts are reached over https, and the legacy sites are refused, as twine does", () => {
  for (const [given, used] of [
    ['http://upload.pypi.org/legacy/', 'https://upload.pypi.org/legacy/'],
    ['http://test.pypi.org/legacy/', 'https://test.pypi.org/legacy/'],
  ]) {
    const { config, errors } = readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': given });
    assert.deepEqual(errors, [], given);
    assert.equal(config?.repositoryUrl.href, used);
  }
  for (const legacy of ['https://pypi.python.org/pypi', 'http://testpypi.python.org/pypi']) {
    const { config, errors } = readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': legacy });
    assert.equal(config, undefined);
    assert.match(
      errors.join(),
      /You're trying to upload to the legacy PyPI site 'https:\/\/(test)?pypi\.python\.org\/pypi'\. Uploading to those sites is deprecated\./,
    );
  }
});

test('bad URLs and concurrency values are named in the error', () => {
  assert.match(readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': 'not a url' }).errors.join(), /"not a url" is not a URL/);
  assert.match(readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': 'ftp://x/' }).errors.join(), /must be an https/);
  assert.match(readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': 'https://u:p@x/' }).errors.join(), /must not contain credentials/);
  // A credential typed into the URL is never echoed, whichever check refuses it first.
  for (const url of ['https://u:s3cret@x y/', 'ftp://u:s3cret@x/', 'http://u:s3cret@index.example/legacy/']) {
    const errors = readConfig({ ...DEFAULTS, 'INPUT_REPOSITORY-URL': url }).errors.join();
    assert.match(errors, /"\w+:\/\/\*\*\*@/, url);
    assert.doesNotMatch(errors, /s3cret/, url);
  }
  assert.match(readConfig({ ...DEFAULTS, 'INPUT_UPLOAD-CONCURRENCY': '0' }).errors.join(), /upload-concurrency input "0"/);
});
