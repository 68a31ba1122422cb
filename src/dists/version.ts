// PEP 440 version parsing and normalization, following pypa/packaging src/packaging/version.py.
// PyPI compares filename and metadata versions with packaging.Version (so "1.0" == "1.0.0") and
// builds the PEP 625 sdist name from str(Version) — both need the exact normalized string.

import { PYTHON_SPACE } from './python-space.ts';

// packaging's VERSION_PATTERN (the non-possessive variant), anchored, with surrounding whitespace
// allowed as packaging's `_regex` does (Python's \s: "1.0\x85" is a version). JS `\d` is
// ASCII-only, like packaging's `(?a:...)`.
const VERSION_RE = new RegExp(
  `^[${PYTHON_SPACE}]*v?` +
    '(?:(\\d+)!)?' + // epoch
    '(\\d+(?:\\.\\d+)*)' + // release
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\\d+)?)?' + // pre
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?' + // post (implicit "-N" or lettered)
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?' + // dev
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' + // local
    `[${PYTHON_SPACE}]*$`,
  'i',
);

const LETTER_NORMALIZATION: Record<string, string> = {
  alpha: 'a',
  beta: 'b',
  c: 'rc',
  pre: 'rc',
  preview: 'rc',
  rev: 'post',
  r: 'post',
};

export interface Version {
  epoch: bigint;
  release: bigint[];
  pre?: [string, bigint];
  post?: bigint;
  dev?: bigint;
  /** Local segment parts: digits become numbers (packaging uses int), others lower-case strings. */
  local?: Array<string | bigint>;
  /** str(Version): the normalized form. */
  normalized: string;
  isPostrelease: boolean;
}

export class InvalidVersion extends Error {}

// BigInt keeps "20240101000000000001"-style segments exact (Python ints are unbounded).
const int = (s: string): bigint => BigInt(s);

export function parseVersion(text: string): Version {
  const m = VERSION_RE.exec(text);
  if (!m) throw new InvalidVersion(`Invalid version: '${text}'`);
  const epoch = m[1] ? int(m[1]) : 0n;
  const release = (m[2] as string).split('.').map(int);
  let pre: [string, bigint] | undefined;
  if (m[3]) {
    const l = m[3].toLowerCase();
    pre = [LETTER_NORMALIZATION[l] ?? l, int(m[4] ?? '0')];
  }
  let post: bigint | undefined;
  if (m[5] !== undefined) post = int(m[5]);
  else if (m[6]) post = int(m[7] ?? '0');
  const dev = m[8] ? int(m[9] ?? '0') : undefined;
  const local = m[10] ? m[10].split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? int(p) : p.toLowerCase())) : undefined;

  let s = release.join('.');
  if (epoch !== 0n) s = `${epoch}!${s}`;
  if (pre) s += `${pre[0]}${pre[1]}`;
  if (post !== undefined) s += `.post${post}`;
  if (dev !== undefined) s += `.dev${dev}`;
  if (local) s += `+${local.join('.')}`;
  const v: Version = { epoch, release, normalized: s, isPostrelease: post !== undefined };
  if (pre) v.pre = pre;
  if (post !== undefined) v.post = post;
  if (dev !== undefined) v.dev = dev;
  if (local) v.local = local;
  return v;
}

export function tryParseVersion(text: string): Version | undefined {
  try {
    return parseVersion(text);
  } catch {
    return undefined;
  }
}

/** Normalized string, or undefined when invalid. */
export function normalizeVersion(text: string): string | undefined {
  return tryParseVersion(text)?.normalized;
}

function trimmed(release: bigint[]): string {
  const r = [...release];
  while (r.length > 1 && r[r.length - 1] === 0n) r.pop();
  return r.join('.');
}

/** packaging's Version.__eq__: trailing zeros of the release don't matter ("1.0" == "1"). */
export function versionsEqual(a: Version, b: Version): boolean {
  return (
    a.epoch === b.epoch &&
    trimmed(a.release) === trimmed(b.release) &&
    String(a.pre) === String(b.pre) &&
    a.post === b.post &&
    a.dev === b.dev &&
    String(a.local) === String(b.local)
  );
}

/**
 * A key equal for two versions exactly when packaging says they are equal: PyPI finds a release by
 * its canonical version, so "1.0" and "1.0.0" are one release.
 */
export function comparableVersion(v: Version): string {
  return [v.epoch, trimmed(v.release), v.pre?.join(''), v.post, v.dev, v.local?.join('.')].join('|');
}
