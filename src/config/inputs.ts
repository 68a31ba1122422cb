// Reads the action's inputs exactly as pypa/gh-action-pypi-publish v1.14 does: each kebab-case
// input falls back to its deprecated snake_case alias (which carries the default in action.yml),
// booleans are true unless the value is "false", and Trusted Publishing is chosen when the user is
// "__token__" and no password was given. Pure: the edge passes the INPUT_* variables in.
import type { ConfigNotice, ConfigResult, PublishConfig } from './types.ts';
import { withoutUserinfo } from '../http/errors.ts';
import { isHttpsOrLoopback, isLoopbackHost } from './loopback.ts';
import { PYPI_DEFAULT_URL, isPyPIHost } from './pypi-hosts.ts';
import { BUILD_ATTESTATION_MODES, type BuildAttestationMode } from '../provenance/build-attestations.ts';
import { MAX_UPLOAD_CONCURRENCY } from '../tunables.ts';

export type InputEnv = Readonly<Record<string, string | undefined>>;

/** `INPUT_<NAME>` as the runner writes it (upper case, hyphens kept), then the `_` spelling. */
export function getNormalizedInput(env: InputEnv, name: string): string {
  const key = `INPUT_${name.toUpperCase()}`;
  return (env[key] || env[key.replace(/-/g, '_')] || '').trim();
}

function flag(env: InputEnv, name: string, fallback: boolean): boolean {
  const raw = getNormalizedInput(env, name);
  return raw === '' ? fallback : raw.toLowerCase() !== 'false';
}

// Each upload waits one round trip plus the index's own work on the file, so it is the number in
// flight, not bandwidth, that bounds many small dists (docs/benchmarks.md). PyPI documents no
// per-upload rate limit; the first file of a new release still goes alone.
export const DEFAULT_UPLOAD_CONCURRENCY = 16;

/** twine's _HOSTNAMES: the hosts it always reaches over https. */
const TWINE_PYPI_HOSTS = new Set(['pypi.python.org', 'testpypi.python.org', 'upload.pypi.org', 'test.pypi.org']);

/** twine's UploadToDeprecatedPyPIDetected, for the legacy PyPI sites twine refuses to upload to. */
function legacyPyPIMessage(url: string): string {
  return (
    `You're trying to upload to the legacy PyPI site '${url}'. Uploading to those sites is deprecated. ` +
    `The new sites are pypi.org and test.pypi.org. Try using ${PYPI_DEFAULT_URL} (or https://test.pypi.org/legacy/) to upload your packages instead. ` +
    'More at https://packaging.python.org/guides/migrating-to-pypi-org/ .'
  );
}

/** The upload URL, or undefined with the reason in `errors`: a URL, https (or http to this machine), no credentials. */
function readRepositoryUrl(env: InputEnv, errors: string[]): URL | undefined {
  const urlText = getNormalizedInput(env, 'repository-url') || PYPI_DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    errors.push(`The repository-url input "${withoutUserinfo(urlText)}" is not a URL. Use the upload endpoint of the index, e.g. ${PYPI_DEFAULT_URL}`);
    return undefined;
  }
  if (!['https:', 'http:'].includes(url.protocol)) {
    errors.push(`The repository-url input "${withoutUserinfo(urlText)}" must be an https:// URL.`);
    return undefined;
  }
  // twine's normalize_repository_url: PyPI's hosts are reached over https whatever the URL says.
  if (TWINE_PYPI_HOSTS.has(url.host)) url.protocol = 'https:';
  if (/^https:\/\/(?:test)?pypi\.python\.org\//.test(url.href)) {
    errors.push(legacyPyPIMessage(withoutUserinfo(url.href)));
    return undefined;
  }
  if (!isHttpsOrLoopback(url)) {
    // Credentials (a password or a minted token) would cross the network in clear text.
    errors.push(
      `The repository-url input "${withoutUserinfo(urlText)}" uses plain http to a remote host; credentials would be sent unencrypted. Use https://${url.host}${url.pathname}.`,
    );
    return undefined;
  }
  if (url.username || url.password) {
    errors.push('The repository-url input must not contain credentials; pass them as `user` and `password` (from a secret).');
    return undefined;
  }
  return url;
}

function readUploadConcurrency(env: InputEnv, errors: string[]): number {
  const text = getNormalizedInput(env, 'upload-concurrency');
  if (text === '') return DEFAULT_UPLOAD_CONCURRENCY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_UPLOAD_CONCURRENCY)
    errors.push(`The upload-concurrency input "${text}" must be a whole number from 1 to ${MAX_UPLOAD_CONCURRENCY}.`);
  return n;
}

function readPackagesDir(env: InputEnv, errors: string[]): string[] {
  const lines = (getNormalizedInput(env, 'packages-dir') || 'dist')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) errors.push('The packages-dir input is empty. Name the directory holding your dists, e.g. `dist`.');
  return lines;
}

const EMPTY_TOKEN: ConfigNotice = {
  level: 'warning',
  title: 'EMPTY TOKEN',
  message:
    'The password input is set but blank, so Trusted Publishing will be used. If you meant to upload with an API token, check that the secret you pass exists and is not empty.',
};

/**
 * The incumbent's warnings about a password or token. Its one refusal, a password to PyPI, is the
 * engine's (src/engine/publish.ts): the "Create a Trusted Publisher" links that go with it need the
 * project names of the dists, as they do after a token (see trustedPublisherNudge).
 */
function credentialNotices(mode: PublishConfig['mode'], password: string, onPyPI: boolean, notices: ConfigNotice[]): void {
  if (mode !== 'trusted-publishing' && onPyPI) {
    notices.push({
      level: 'warning',
      title: 'Upgrade to Trusted Publishing',
      message:
        'Trusted Publishers allows publishing packages to PyPI from automated environments like GitHub Actions without needing to use username/password combinations or API tokens to authenticate with PyPI. Read more: https://docs.pypi.org/trusted-publishers',
    });
  }
  if (mode === 'api-token' && !password.startsWith('pypi-')) {
    notices.push({
      level: 'warning',
      title: 'POTENTIALLY INVALID TOKEN',
      message:
        'It looks like you are trying to use an API token to authenticate in the package index and your token value does not start with "pypi-" as it typically should. This may cause an authentication error. Please verify that you have copied your token properly if such an error occurs.',
    });
  }
}

/**
 * Attestations are made only with Trusted Publishing and only for PyPI or TestPyPI, as the incumbent
 * decides (its test is `=~ pypi\.org`), each refusal with its warning: another index takes none, and
 * signing would put the workflow's identity in public logs for nothing. An index on this machine (a
 * PyPI stand-in for a rehearsal, such as the local world's) is taken for PyPI.
 */
function readAttestations(env: InputEnv, mode: PublishConfig['mode'], url: URL | undefined, notices: ConfigNotice[]): boolean {
  if (!flag(env, 'attestations', true)) return false;
  const ignored = (message: string) => notices.push({ level: 'warning', title: 'attestations input ignored', message });
  if (mode !== 'trusted-publishing') {
    ignored(
      "The workflow was run with the 'attestations: true' input, but an explicit password was also set, disabling Trusted Publishing. As a result, the attestations input is ignored.",
    );
  }
  const forPyPI = !url || isPyPIHost(url) || isLoopbackHost(url.hostname);
  if (!forPyPI) {
    ignored(
      "The workflow was run with 'attestations: true' input, but the specified repository URL does not support PEP 740 attestations. As a result, the attestations input is ignored.",
    );
  }
  return mode === 'trusted-publishing' && forPyPI;
}

/**
 * `build-attestations`: whether the `<dist>.slsa.attestation` files build-provenance wrote are checked
 * and uploaded. PyPI takes attestations only from a Trusted Publisher, so without one `auto` means
 * `ignore` and `require` is an error.
 */
function readBuildAttestationMode(env: InputEnv, mode: PublishConfig['mode'], errors: string[]): BuildAttestationMode {
  const raw = (getNormalizedInput(env, 'build-attestations') || 'auto').toLowerCase();
  if (!(BUILD_ATTESTATION_MODES as readonly string[]).includes(raw)) {
    errors.push(`The build-attestations input "${raw}" must be one of ${BUILD_ATTESTATION_MODES.join(', ')}.`);
    return 'ignore';
  }
  if (mode === 'trusted-publishing') return raw as BuildAttestationMode;
  if (raw === 'require')
    errors.push('build-attestations is "require", but PyPI accepts attestations only with Trusted Publishing, and a password or API token is set.');
  return 'ignore';
}

export function readConfig(env: InputEnv): ConfigResult {
  const notices: ConfigNotice[] = [];
  const errors: string[] = [];
  const user = getNormalizedInput(env, 'user') || '__token__';
  const rawPassword = env['INPUT_PASSWORD'] ?? '';
  const password = rawPassword.trim();
  const repositoryUrl = readRepositoryUrl(env, errors);
  const uploadConcurrency = readUploadConcurrency(env, errors);
  const packagesDir = readPackagesDir(env, errors);
  const mode = user === '__token__' && password === '' ? 'trusted-publishing' : user === '__token__' ? 'api-token' : 'password';
  // In the incumbent's order: the empty token, the ignored attestations, then the password's warnings.
  if (rawPassword !== '' && password === '') notices.push({ ...EMPTY_TOKEN });
  const attestations = readAttestations(env, mode, repositoryUrl, notices);
  const buildAttestations = readBuildAttestationMode(env, mode, errors);
  credentialNotices(mode, password, repositoryUrl ? isPyPIHost(repositoryUrl) : false, notices);
  if (errors.length > 0 || !repositoryUrl) return { notices, errors };
  const config: PublishConfig = {
    user,
    password,
    mode,
    repositoryUrl,
    packagesDir,
    verifyMetadata: flag(env, 'verify-metadata', true),
    skipExisting: flag(env, 'skip-existing', false),
    verbose: flag(env, 'verbose', true),
    printHash: flag(env, 'print-hash', true),
    attestations,
    buildAttestations,
    uploadConcurrency,
  };
  return { config, notices, errors };
}
