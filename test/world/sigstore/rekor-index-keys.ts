// The keys rekor-server files a logged entry under in its search index (each kind's IndexKeys):
// the SHA-256 of the key's canonical PEM (bare hex for hashedrekord and rekord, "sha256:"-prefixed
// for dsse and intoto), the names of its certificate (certificate-sans.ts), the entry's digests as
// "algorithm:hex", and for an in-toto payload its subjects' digests and, where the predicate reads
// as SLSA provenance, its materials' digests. The index lowercases every key.
import { createHash } from 'node:crypto';
import { goField } from '../go-json.ts';
import { subjectAlternateNames } from './certificate-sans.ts';
import { isObject } from './rekor-kind.ts';
import type { X509Key } from './rekor-x509.ts';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The key's canonical PEM's SHA-256 (`prefixed`: as "sha256:hex"), then its certificate's names. */
export function keyIndexKeys(key: X509Key, prefixed: boolean): string[] {
  const hash = createHash('sha256').update(key.canonical).digest('hex');
  return [prefixed ? `sha256:${hash}` : hash, ...(key.certificate ? subjectAlternateNames(key.certificate) : [])];
}

/** A digest object's keys ("alg:hex"), or undefined where Go's map[string]string would not take it. */
function digests(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) return undefined;
  return Object.entries(value).map(([alg, hex]) => `${alg}:${hex}`);
}

/** []struct{Digest map[string]string}: each element's digests, or undefined where Go's json refuses it. */
function digestList(list: unknown): string[] | undefined {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return undefined;
  const all: string[] = [];
  for (const item of list) {
    if (item !== null && !isObject(item)) return undefined;
    const found = item === null ? [] : digests(goField(item, 'digest'));
    if (!found) return undefined;
    all.push(...found);
  }
  return all;
}

/** The JSON payload, or undefined where json.Unmarshal refuses it (or it is no object). */
function statementOf(payload: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An in-toto statement's subjects' digests, then its predicate's materials' (when they read); or
 * undefined when its subjects do not read (json.Unmarshal refuses the statement).
 */
export function statementIndexKeys(payload: Buffer): string[] | undefined {
  const statement = statementOf(payload);
  if (!statement) return undefined;
  const subjects = digestList(goField(statement, 'subject'));
  if (!subjects) return undefined;
  const predicate = goField(statement, 'predicate');
  const materials = isObject(predicate) ? digestList(goField(predicate, 'materials')) : [];
  return [...subjects, ...(materials ?? [])];
}
