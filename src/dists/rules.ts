// Field-level validators PyPI applies to core metadata (packaging.metadata `_process_*`, warehouse
// warehouse/forklift/metadata.py `_validate_metadata`, warehouse/utils/http.py `is_valid_uri`).
// Each returns packaging's / warehouse's error text, or undefined when the value is fine.
// These are deliberately small: what we cannot check cheaply is listed in NOT_CHECKED.

import { isValidName } from './filename.ts';
import { pyRepr } from './pyrepr.ts';
import { tryParseVersion } from './version.ts';

const SPEC_OPS = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(.*?)\s*$/s;

/** One PEP 440 specifier clause ("~=1.2", "==1.*", ">=3.9"); undefined if valid. */
function specifierError(clause: string): string | undefined {
  const m = SPEC_OPS.exec(clause);
  if (!m) return 'invalid specifier';
  const [, op, ver] = m as unknown as [string, string, string];
  if (!ver) return 'invalid specifier';
  if (op === '===') return /\s/.test(ver) ? 'invalid specifier' : undefined;
  if ((op === '==' || op === '!=') && ver.endsWith('.*')) {
    const v = tryParseVersion(ver.slice(0, -2));
    return v && !v.local ? undefined : 'invalid specifier';
  }
  const v = tryParseVersion(ver);
  if (!v) return 'invalid specifier';
  if (v.local && op !== '==' && op !== '!=') return 'invalid specifier';
  if (op === '~=' && v.release.length < 2) return 'invalid specifier';
  return undefined;
}

/** A comma-separated PEP 440 specifier set (Requires-Python, or a requirement's version part). */
export function specifierSetError(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  for (const clause of value.split(',')) {
    const e = specifierError(clause);
    if (e) return e;
  }
  return undefined;
}

/** Loose PEP 508 marker check: non-empty, balanced parentheses and quotes. */
function markerError(marker: string): string | undefined {
  if (!marker.trim()) return 'empty marker';
  let depth = 0;
  let quote = '';
  for (const ch of marker) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return 'unbalanced parentheses';
  }
  if (quote) return 'unterminated string';
  if (depth) return 'unbalanced parentheses';
  return undefined;
}

export interface Requirement {
  name: string;
  extras: string[];
  url?: string;
  specifier: string;
  marker?: string;
}

const REQ_HEAD = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*/;

/** PEP 508 requirement, parsed enough to find direct URLs and bad specifiers. */
export function parseRequirement(text: string): Requirement | string {
  const m = REQ_HEAD.exec(text);
  if (!m) return 'Expected package name at the start of dependency specifier';
  const name = m[1] as string;
  const extras = m[2] !== undefined ? m[2].split(',').map((e) => e.trim()) : [];
  if (m[2] !== undefined && m[2].trim() !== '' && extras.some((e) => !isValidName(e))) return 'Expected extra name';
  let rest = text.slice(m[0].length);
  const req: Requirement = { name, extras, specifier: '' };
  if (rest.startsWith('@')) {
    const um = /^@\s*(\S+)\s*/.exec(rest);
    if (!um) return 'Expected URL after @';
    req.url = um[1] as string;
    rest = rest.slice(um[0].length);
    if (rest && !rest.startsWith(';')) return 'Expected semicolon (after URL and whitespace) or end';
  } else {
    const semi = rest.indexOf(';');
    let spec = (semi < 0 ? rest : rest.slice(0, semi)).trim();
    rest = semi < 0 ? '' : rest.slice(semi);
    if (spec.startsWith('(')) {
      if (!spec.endsWith(')')) return "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier";
      spec = spec.slice(1, -1);
    }
    const e = specifierSetError(spec);
    if (e) return `Invalid specifier: ${pyRepr(spec)}`;
    req.specifier = spec;
  }
  if (rest.startsWith(';')) {
    const marker = rest.slice(1);
    const e = markerError(marker);
    if (e) return `Invalid marker (${e})`;
    req.marker = marker.trim();
  } else if (rest.trim()) return 'Expected end or semicolon (after version specifier)';
  return req;
}

/**
 * warehouse `is_valid_uri(uri, require_authority=False)`: scheme required and http/https; host,
 * port, path and query must be well-formed (rfc3986). Approximated with the WHATWG parser plus
 * rfc3986's character rules.
 */
export function isValidUrl(url: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  if (!m || !['http', 'https'].includes((m[1] as string).toLowerCase())) return false;
  // rfc3986: no whitespace, controls, or characters outside the URI set (besides %-escapes).
  if (/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/.test(url)) return false;
  if (/%(?![0-9A-Fa-f]{2})/.test(url)) return false;
  const auth = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  if (auth) {
    const hostport = (auth[1] as string).replace(/^.*@/, '');
    const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
    if (!pm) return false;
    if (pm[2] !== undefined && pm[2] !== '' && Number(pm[2]) > 65535) return false;
  }
  try {
    new URL(url);
  } catch {
    return !auth; // "https:relative" has no authority and WHATWG may still reject; rfc3986 allows it
  }
  return true;
}

const CONTENT_TYPES = ['text/plain', 'text/x-rst', 'text/markdown'];

/** packaging `_process_description_content_type`. */
export function descriptionContentTypeError(value: string): string | undefined {
  const [typePart, ...params] = value.split(';');
  const ct = (typePart ?? '').trim().toLowerCase();
  const invalid = `'Description-Content-Type' must be one of ${pyList(CONTENT_TYPES)}, not ${pyRepr(value)}`;
  if (!CONTENT_TYPES.includes(ct)) return invalid;
  const p = new Map<string, string>();
  for (const param of params) {
    const i = param.indexOf('=');
    if (i < 0) continue;
    p.set(param.slice(0, i).trim().toLowerCase(), param.slice(i + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  const charset = p.get('charset') ?? 'UTF-8';
  if (charset.toLowerCase() !== 'utf-8') return `'Description-Content-Type' can only specify the UTF-8 charset, not ${pyRepr(charset)}`;
  const variant = p.get('variant') ?? 'GFM';
  if (ct === 'text/markdown' && variant !== 'GFM' && variant !== 'CommonMark') {
    return `valid Markdown variants for 'Description-Content-Type' are ['GFM', 'CommonMark'], not ${pyRepr(variant)}`;
  }
  return undefined;
}

export function pyList(items: string[]): string {
  return `[${items.map(pyRepr).join(', ')}]`;
}

/** packaging `_process_license_files`. */
export function licenseFileError(path: string): string | undefined {
  if (path.includes('..')) return `${pyRepr(path)} is invalid for 'license-file', parent directory indicators are not allowed`;
  if (path.includes('*')) return `${pyRepr(path)} is invalid for 'license-file', paths must be resolved`;
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')) {
    return `${pyRepr(path)} is invalid for 'license-file', paths must be relative`;
  }
  if (path.includes('\\')) return `${pyRepr(path)} is invalid for 'license-file', paths must use '/' delimiter`;
  return undefined;
}

// ---- Description rendering (warehouse readme.render: readme_renderer with docutils halt_level 2,
// i.e. any docutils WARNING fails the upload for reStructuredText). ----

/**
 * What the reStructuredText check does NOT verify. PyPI renders rst with docutils and fails on any
 * warning; we only catch the commonest cheap-to-detect one (a section underline/overline shorter
 * than its title). Quote this in the README.
 */
export const NOT_CHECKED: readonly string[] = [
  'reStructuredText: everything except section-title underline/overline length and mismatched over/underlines — e.g. unknown directives or roles, unbalanced inline markup (*emphasis, `literal), malformed tables, bad indentation, duplicate or unknown link targets, raw/include directives (disabled on PyPI)',
  'Markdown and plain-text descriptions: always considered renderable (PyPI renders them with cmarkgfm and does not fail on content)',
  'Classifiers: not checked against the trove-classifiers list (unknown or deprecated classifiers are rejected by PyPI)',
  'Author-email / Maintainer-email: only a loose "local@domain" shape check, not email-validator\'s full rules',
  'License-Expression: SPDX syntax and identifiers are not validated against the SPDX license list',
  'Requires-Dist / Provides-Dist / Obsoletes-Dist environment markers: only balanced quotes and parentheses, not the marker grammar',
  'Import-Name / Import-Namespace (metadata 2.5): not validated (twine does not send them)',
  'Wheel RECORD hashes and entry_points.txt syntax (PyPI e-mails about RECORD mismatches and rejects bad entry points)',
  'PyPI-side state: project ownership, existing files, the 14-day release window, project total size and per-project size limits',
];

const ADORNMENT = /^([!-/:-@[-`{-~])\1{3,}\s*$/;

/** Cheap reStructuredText checks; returns docutils-style messages ("line N: Title underline too short."). */
export function rstProblems(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  const width = (s: string): number => [...s.trimEnd()].length;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const prev = lines[i - 1] as string;
    if (!ADORNMENT.test(line) || !prev.trim() || ADORNMENT.test(prev) || /^\s/.test(prev)) continue;
    const before = i >= 2 ? (lines[i - 2] as string) : '';
    const hasOverline = ADORNMENT.test(before);
    if (hasOverline) {
      if (before.trim() !== line.trim()) out.push(`line ${i + 1}: Title overline & underline mismatch.`);
      else if (width(before) < width(prev)) out.push(`line ${i - 1}: Title overline too short.`);
      continue;
    }
    // Only a title starting a block: an underline under the 2nd+ line of a paragraph is not a title.
    if (i >= 2 && before.trim()) continue;
    // docutils treats a < 4-char underline as text (INFO only); ADORNMENT already needs ≥ 4.
    if (width(line) < width(prev)) out.push(`line ${i + 1}: Title underline too short.`);
  }
  return out;
}
