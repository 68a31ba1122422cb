// The `verify` subcommand's command line, parsed into a typed request. The action's edge builds the
// same request from its inputs (src/verify-action.ts).
import { closest } from '../cli/args.ts';
import { readIndexUrl } from './index-url.ts';
import { withoutUserinfo } from '../http/errors.ts';

/** A command line `verify` refuses; the CLI exits 2 with its message. */
export class VerifyUsageError extends Error {}

export interface VerifyRequest {
  /** `name==version` pins given as arguments */
  pins: string[];
  /** requirements files (`-r FILE`): pins with `--hash=sha256:…` */
  requirementFiles: string[];
  /** a PEP 751 lock file (`--lock FILE`, or an argument named pylock.toml / pylock.*.toml) */
  lockFile?: string;
  /** simple index base URL; default: each lock package's `index`, else PyPI */
  indexUrl?: string;
  /** expected publisher repository (owner/name or https://github.com/owner/name) */
  repository?: string;
  /** expected workflow file name, with --repository */
  workflow?: string;
  /** fail when a file has no provenance */
  require: boolean;
  json: boolean;
  /** record what was verified into the lock file's attestation-identities */
  writeIdentities: boolean;
  /** files checked at once */
  concurrency?: number;
}

export const VERIFY_USAGE = `Usage: node dist/cli.js verify [name==version ...] [-r requirements.txt] [--lock pylock.toml]
         [--index-url URL] [--repository owner/name [--workflow file.yml]]
         [--require] [--json] [--write-identities] [--concurrency N]

Verifies the PEP 740 provenance of every file of the given releases or lock file against the index's
Integrity API, and checks who published it:
  expected identity   the lock file's attestation-identities, else --repository [--workflow],
                      else none: the identity found is reported
  outcome per file    verified (identity) | no provenance | identity differs | invalid |
                      file hash differs from the lock
  exit status         1 on any differs or invalid (and no provenance with --require), 2 on usage errors

  --write-identities  record each verified package's publisher in pylock.toml's attestation-identities,
                      so a later run fails if the publisher changes
The trust root is public-good Sigstore's (TUF), or PYPI_PUBLISH_TRUST_CONFIG's. More: docs/verify.md.`;

const LOCK_NAME = /(^|[\\/])pylock(\.[^\\/.]+)?\.toml$/;
const VALUE_FLAGS = new Set(['requirement', 'lock', 'index-url', 'repository', 'workflow', 'concurrency']);
const BOOLEAN_FLAGS = new Set(['require', 'json', 'write-identities']);

export function checkIndexUrl(url: string): string {
  const read = readIndexUrl(url, 'refuse');
  if (read === 'not-a-url') throw new VerifyUsageError(`--index-url ${JSON.stringify(withoutUserinfo(url))} is not a URL`);
  if (read === 'credentials') throw new VerifyUsageError('--index-url must not contain credentials: provenance is read from public pages only');
  if (read === 'not-https') throw new VerifyUsageError('--index-url must be https:// (plain http only to this machine)');
  return read.href;
}

function apply(req: VerifyRequest, name: string, value: string): void {
  if (name === 'requirement') req.requirementFiles.push(value);
  else if (name === 'lock') {
    if (req.lockFile) throw new VerifyUsageError('only one lock file can be verified per run');
    req.lockFile = value;
  } else if (name === 'index-url') req.indexUrl = checkIndexUrl(value);
  else if (name === 'repository') req.repository = value;
  else if (name === 'workflow') req.workflow = value;
  else if (name === 'concurrency') {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new VerifyUsageError('--concurrency must be a whole number from 1 to 256');
    req.concurrency = n;
  }
}

// As the other commands do: a misspelt flag names the closest one (`--requre` → `--require`).
function unknownFlag(flag: string): VerifyUsageError {
  const guess = closest(flag.replace(/^-+/, '').replace(/=.*$/s, ''), [...VALUE_FLAGS, ...BOOLEAN_FLAGS]);
  return new VerifyUsageError(`unknown flag ${flag.replace(/=.*$/s, '=…')} for \`verify\`.${guess ? ` Did you mean --${guess}?` : ''}`);
}

/** `undefined` when --help was asked for. */
export function parseVerifyArgs(argv: string[]): VerifyRequest | undefined {
  const req: VerifyRequest = { pins: [], requirementFiles: [], require: false, json: false, writeIdentities: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return undefined;
    const m = /^(?:--([a-z][a-z-]*)|-(r))(?:=(.*))?$/s.exec(arg);
    if (!m) {
      if (arg.startsWith('-')) throw unknownFlag(arg);
      if (LOCK_NAME.test(arg)) apply(req, 'lock', arg);
      else req.pins.push(arg);
      continue;
    }
    const name = m[2] ? 'requirement' : m[1]!;
    if (BOOLEAN_FLAGS.has(name) && m[3] === undefined) {
      (req as unknown as Record<string, boolean>)[name === 'write-identities' ? 'writeIdentities' : name] = true;
    } else if (VALUE_FLAGS.has(name)) {
      const value = m[3] ?? argv[++i];
      if (value === undefined) throw new VerifyUsageError(`--${name} needs a value`);
      apply(req, name, value);
    } else throw unknownFlag(arg);
  }
  return validate(req);
}

export function validate(req: VerifyRequest): VerifyRequest {
  if (req.pins.length + req.requirementFiles.length === 0 && !req.lockFile) {
    throw new VerifyUsageError('nothing to verify: give name==version, -r requirements.txt or a pylock.toml');
  }
  if (req.workflow && !req.repository) throw new VerifyUsageError('--workflow needs --repository');
  if (req.writeIdentities && !req.lockFile) throw new VerifyUsageError('--write-identities needs a pylock.toml');
  return req;
}
