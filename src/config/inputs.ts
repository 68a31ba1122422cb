// Reads the action's inputs exactly as pypa/gh-action-pypi-publish v1.14 does: each kebab-case
// input falls back to its deprecated snake_case alias (which carries the default in action.yml),
// booleans are true unless the value is "false", and Trusted Publishing is chosen when the user is
// "__token__" and no password was given. Pure: the edge passes the INPUT_* variables in.
import type { ConfigNotice, ConfigResult, PublishConfig } from './types.ts';
import { isHttpsOrLoopback } from './loopback.ts';
import { PYPI_DEFAULT_URL, isPyPIHost } from './pypi-hosts.ts';

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

// Each upload waits one round trip plus the index's own work on the file (digests, archive checks,
// attestation verification), so it is the number in flight, not bandwidth, that bounds many small
// dists: bench (b), 100 × 1 MiB at 100 ms, spends ~1.5 s uploading at 8 and ~1 s at 16. PyPI documents
// no per-upload rate limit; the first file of a new release still goes alone.
export const DEFAULT_UPLOAD_CONCURRENCY = 16;

export function readConfig(env: InputEnv): ConfigResult {
  const notices: ConfigNotice[] = [];
  const errors: string[] = [];

  const user = getNormalizedInput(env, 'user') || '__token__';
  const rawPassword = env['INPUT_PASSWORD'] ?? '';
  const password = rawPassword.trim();
  const urlText = getNormalizedInput(env, 'repository-url') || PYPI_DEFAULT_URL;
  const packagesDir = (getNormalizedInput(env, 'packages-dir') || 'dist')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  let repositoryUrl: URL | undefined;
  try {
    repositoryUrl = new URL(urlText);
  } catch {
    errors.push(`The repository-url input "${urlText}" is not a URL. Use the upload endpoint of the index, e.g. ${PYPI_DEFAULT_URL}`);
  }
  if (repositoryUrl && !['https:', 'http:'].includes(repositoryUrl.protocol)) {
    errors.push(`The repository-url input "${urlText}" must be an https:// URL.`);
    repositoryUrl = undefined;
  }
  if (repositoryUrl && !isHttpsOrLoopback(repositoryUrl)) {
    // Credentials (a password or a minted token) would cross the network in clear text.
    errors.push(
      `The repository-url input "${urlText}" uses plain http to a remote host; credentials would be sent unencrypted. Use https://${repositoryUrl.host}${repositoryUrl.pathname}.`,
    );
    repositoryUrl = undefined;
  }
  if (repositoryUrl && (repositoryUrl.username || repositoryUrl.password)) {
    errors.push('The repository-url input must not contain credentials; pass them as `user` and `password` (from a secret).');
    repositoryUrl = undefined;
  }

  const concurrencyText = getNormalizedInput(env, 'upload-concurrency');
  let uploadConcurrency = DEFAULT_UPLOAD_CONCURRENCY;
  if (concurrencyText !== '') {
    uploadConcurrency = Number(concurrencyText);
    if (!Number.isInteger(uploadConcurrency) || uploadConcurrency < 1 || uploadConcurrency > 32) {
      errors.push(`The upload-concurrency input "${concurrencyText}" must be a whole number from 1 to 32.`);
    }
  }

  if (packagesDir.length === 0) errors.push('The packages-dir input is empty. Name the directory holding your dists, e.g. `dist`.');

  const trustedPublishing = user === '__token__' && password === '';
  const mode = trustedPublishing ? 'trusted-publishing' : user === '__token__' ? 'api-token' : 'password';
  const onPyPI = repositoryUrl ? isPyPIHost(repositoryUrl) : false;
  let attestations = flag(env, 'attestations', true);

  if (rawPassword !== '' && password === '') {
    notices.push({
      level: 'warning',
      title: 'EMPTY TOKEN',
      message: 'The password input is set but blank, so Trusted Publishing will be used. If you meant to upload with an API token, check that the secret you pass exists and is not empty.',
    });
  }

  if (attestations && !trustedPublishing) {
    notices.push({
      level: 'warning',
      title: 'attestations input ignored',
      message: "The workflow was run with the 'attestations: true' input, but an explicit password was also set, disabling Trusted Publishing. As a result, the attestations input is ignored.",
    });
    attestations = false;
  }

  if (!trustedPublishing && onPyPI && repositoryUrl) {
    // The "Create a Trusted Publisher" links need the project names: the engine adds them once
    // the dists are read (see trustedPublisherNudge).
    notices.push({
      level: 'warning',
      title: 'Upgrade to Trusted Publishing',
      message: 'Trusted Publishers allows publishing packages to PyPI from automated environments like GitHub Actions without needing to use username/password combinations or API tokens to authenticate with PyPI. Read more: https://docs.pypi.org/trusted-publishers',
    });
    if (mode === 'password') {
      errors.push(
        'Password-based uploads disabled: As of 2024, PyPI requires all users to enable Two-Factor Authentication. This consequently requires all users to switch to either Trusted Publishers (preferred) or API tokens for package uploads. Read more: https://blog.pypi.org/posts/2023-05-25-securing-pypi-with-2fa/',
      );
    }
  }

  if (mode === 'api-token' && !password.startsWith('pypi-')) {
    notices.push({
      level: 'warning',
      title: 'POTENTIALLY INVALID TOKEN',
      message: 'It looks like you are trying to use an API token to authenticate in the package index and your token value does not start with "pypi-" as it typically should. This may cause an authentication error. Please verify that you have copied your token properly if such an error occurs.',
    });
  }

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
    uploadConcurrency,
  };
  return { config, notices, errors };
}
