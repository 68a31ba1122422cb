// PEP 751 lock files (pylock.toml): the files each package pins, their sha256, the index they came
// from, and the `attestation-identities` a verification must find. Parsed with smol-toml; written back
// (`--write-identities`) by inserting `[[packages.attestation-identities]]` tables into the text, so
// comments, order and formatting stay as the locker wrote them.
import { isDeepStrictEqual } from 'node:util';
import { parse, TomlError } from 'smol-toml';
import { expectIdentity, identityRecord } from './identity.ts';
import { readIndexUrl } from './index-url.ts';
import { parseDistFilename } from '../dists/filename.ts';
import { redactUrl, withoutUserinfo } from '../http/errors.ts';
import { isJsonObject } from '../http/json-object.ts';
import { PYPI_SIMPLE_URL } from './index-client.ts';
import type { FileTarget, PublisherIdentity } from './types.ts';

/** The lock file cannot be read as PEP 751 describes it; the message says where. */
export class LockFileError extends Error {}

export interface LockedFile extends FileTarget {
  /** position of its package among the lock's `[[packages]]` */
  packageIndex: number;
}

export interface ParsedLock {
  files: LockedFile[];
  /** packages that pin no index file (directory, vcs, archive): nothing on an index to verify */
  notFromIndex: string[];
  /** per package position: whether it already records attestation identities */
  hasIdentities: boolean[];
}

type Table = Record<string, unknown>;

function fileName(entry: Table, where: string): string {
  if (typeof entry['name'] === 'string') return entry['name'];
  if (typeof entry['url'] === 'string') {
    const last = new URL(entry['url']).pathname.split('/').pop();
    if (last) return decodeURIComponent(last);
  }
  throw new LockFileError(`${where}: a file has neither name nor url`);
}

/** A package's own `index`, held to --index-url's rule; a credential a locker recorded in it is dropped. */
function lockedIndex(value: string, where: string): string {
  const read = readIndexUrl(value, 'drop');
  if (typeof read !== 'string') return read.href;
  // 'credentials' is never the answer here: they are dropped.
  throw new LockFileError(
    read === 'not-a-url'
      ? `${where}: its index ${JSON.stringify(withoutUserinfo(value))} is not a URL`
      : `${where}: its index ${redactUrl(value)} is not https (plain http only to this machine)`,
  );
}

/** PEP 751 makes `version` optional: then each file's name says it. */
function versionOf(pkg: Table, filename: string, where: string): string {
  if (typeof pkg['version'] === 'string') return pkg['version'];
  try {
    return parseDistFilename(filename).versionAsWritten;
  } catch {
    throw new LockFileError(`${where}: no version, and the file name ${JSON.stringify(filename)} names none`);
  }
}

function packageFiles(pkg: Table, packageIndex: number, defaultIndex: string | undefined): LockedFile[] {
  const where = `[[packages]] #${packageIndex + 1} (${String(pkg['name'])})`;
  if (typeof pkg['name'] !== 'string') return [];
  const entries = [...(pkg['sdist'] ? [pkg['sdist'] as Table] : []), ...((pkg['wheels'] as Table[] | undefined) ?? [])];
  const indexUrl = defaultIndex ?? (typeof pkg['index'] === 'string' ? lockedIndex(pkg['index'], where) : PYPI_SIMPLE_URL);
  const identities = (pkg['attestation-identities'] as PublisherIdentity[] | undefined) ?? [];
  if (!Array.isArray(identities) || identities.some((i) => typeof i?.kind !== 'string')) {
    throw new LockFileError(`${where}: attestation-identities must be tables with a kind`);
  }
  return entries.map((entry) => {
    const hashes = isJsonObject(entry['hashes']) ? entry['hashes'] : {};
    const sha256 = hashes['sha256'];
    const filename = fileName(entry, where);
    return {
      project: pkg['name'] as string,
      version: versionOf(pkg, filename, where),
      filename,
      ...(typeof sha256 === 'string' ? { sha256: sha256.toLowerCase() } : { lockHashes: Object.keys(hashes) }),
      indexUrl,
      expected: identities.map(expectIdentity),
      origin: where,
      packageIndex,
    };
  });
}

/** `indexOverride` (the run's --index-url) replaces each package's own `index`. */
export function parsePylock(text: string, indexOverride?: string): ParsedLock {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (err) {
    throw new LockFileError(err instanceof TomlError ? `not valid TOML: ${err.message}` : String(err));
  }
  if (typeof doc['lock-version'] !== 'string') throw new LockFileError('no lock-version: not a PEP 751 lock file');
  const packages = (doc['packages'] as Table[] | undefined) ?? [];
  const files: LockedFile[] = [];
  const notFromIndex: string[] = [];
  packages.forEach((pkg, i) => {
    const found = packageFiles(pkg, i, indexOverride);
    if (found.length === 0) notFromIndex.push(String(pkg['name']));
    for (const f of found) files.push(f);
  });
  return { files, notFromIndex, hasIdentities: packages.map((p) => Array.isArray(p['attestation-identities']) && p['attestation-identities'].length > 0) };
}

const PACKAGE_HEADER = /^\s*\[\[\s*packages\s*\]\]\s*(#.*)?$/;
// Any table header that does not belong to the current package (its own are [packages.x], [[packages.x]]).
const OTHER_HEADER = /^\s*\[{1,2}(?!\[)\s*(?!packages\s*[.\]])[^\]]*\]{1,2}\s*(#.*)?$/;

function tomlString(value: string): string {
  // JSON's escapes (\" \\ \n \t \uXXXX …) are all valid in a TOML basic string.
  return JSON.stringify(value);
}

function identityTables(identities: PublisherIdentity[], eol: string): string {
  return identities
    .map((identity) => {
      const record = identityRecord(identity);
      const lines = Object.entries(record).map(([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k)} = ${tomlString(v)}`);
      return `${eol}[[packages.attestation-identities]]${eol}${lines.join(eol)}${eol}`;
    })
    .join('');
}

/** Where each package's text ends: after its last non-blank line before the next package or table. */
function packageEnds(lines: string[]): number[] {
  const ends: number[] = [];
  let current = -1;
  const close = (at: number) => {
    let end = at;
    while (end > current + 1 && lines[end - 1]!.trim() === '') end--;
    ends.push(end);
    current = -1;
  };
  lines.forEach((line, i) => {
    if (PACKAGE_HEADER.test(line)) {
      if (current >= 0) close(i);
      current = i;
    } else if (current >= 0 && OTHER_HEADER.test(line)) close(i);
  });
  if (current >= 0) close(lines.length);
  return ends;
}

/**
 * Adds `[[packages.attestation-identities]]` to the packages given (position → identities), and
 * checks by parsing the result that nothing else changed.
 */
export function writeIdentities(text: string, additions: Map<number, PublisherIdentity[]>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const ends = packageEnds(lines);
  const before = parse(text) as Table;
  const packages = (before['packages'] as Table[] | undefined) ?? [];
  if (ends.length !== packages.length) {
    throw new LockFileError('cannot add attestation identities: the packages are not written as [[packages]] tables');
  }
  // From the end, so earlier positions stay valid.
  for (const [position, identities] of [...additions].sort((a, b) => b[0] - a[0])) {
    const at = ends[position]!;
    // One element holding the block's lines (joined with eol below like the rest): a spread of
    // them into splice's arguments would put every line on the stack.
    if (identities.length > 0) lines.splice(at, 0, identityTables(identities, eol).slice(0, -eol.length));
  }
  const written = lines.join(eol);
  const after = parse(written) as Table;
  const expected = parse(text) as Table;
  for (const [position, identities] of additions) {
    const pkg = (expected['packages'] as Table[])[position]!;
    // New tables extend an array the package may already hold.
    pkg['attestation-identities'] = [...((pkg['attestation-identities'] as Table[] | undefined) ?? []), ...identities.map(identityRecord)];
  }
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(after)), JSON.parse(JSON.stringify(expected)))) {
    throw new LockFileError('cannot add attestation identities to this layout without changing other entries; nothing was written');
  }
  return written;
}
