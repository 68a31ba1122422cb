// Releases named on the command line (`name==version`) or in a requirements file whose pins carry
// `--hash=sha256:…` (pip's hash-checking mode). Only exact pins are accepted: verifying "where a file
// came from" needs to know which file.
import { readFile } from 'node:fs/promises';
import { isValidName } from '../dists/filename.ts';
import type { IdentityExpectation, ReleaseTarget } from './types.ts';

/** A requirement that is not an exact pin, or a file that cannot be read; the message says which. */
export class RequirementError extends Error {}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s;]+)\s*(?:;.*)?$/;

export function parsePin(spec: string, origin: string, indexUrl: string, expected: IdentityExpectation[]): ReleaseTarget {
  const m = PIN.exec(spec.trim());
  if (!m || !isValidName(m[1]!)) throw new RequirementError(`${origin}: ${JSON.stringify(spec.trim())} is not a pinned requirement (name==version)`);
  return { project: m[1]!, version: m[2]!, indexUrl, expected, origin };
}

/** Logical lines: continuations joined, comments and blank lines dropped. */
function logicalLines(text: string): Array<{ line: string; at: number }> {
  const out: Array<{ line: string; at: number }> = [];
  let pending = '';
  let start = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (pending === '') start = i + 1;
    const line = raw.replace(/(^|\s)#.*$/, '');
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      return;
    }
    const joined = (pending + line).trim();
    pending = '';
    if (joined) out.push({ line: joined, at: start });
  });
  return out;
}

/**
 * Option lines that change which files pip installs: another file's pins, or another index. They are
 * not followed, so a file holding one is refused rather than verified in part, or against another
 * index than pip would use.
 */
const UNFOLLOWED = /^(?:-r|--requirement|-i|--index-url|--extra-index-url|-f|--find-links|--no-index)(?=$|[\s=]|(?<=^-[rif])\S)/;

/** Each pinned line of a requirements file; other option lines (-c, -e, --pre, …) pin no index file and are skipped. */
export function parseRequirements(text: string, file: string, indexUrl: string, expected: IdentityExpectation[]): ReleaseTarget[] {
  const targets: ReleaseTarget[] = [];
  for (const { line, at } of logicalLines(text)) {
    const option = UNFOLLOWED.exec(line)?.[0];
    if (option) {
      throw new RequirementError(`${file}:${at}: ${option} is not followed by verify: list the pins of that file here, or name the index with --index-url`);
    }
    if (line.startsWith('-')) continue;
    const hashes = [...line.matchAll(/--hash[=\s]+sha256:([0-9a-fA-F]{64})\b/g)].map((m) => m[1]!.toLowerCase());
    const spec = line.replace(/--hash[=\s]+\S+/g, '').trim();
    const target = parsePin(spec, `${file}:${at}`, indexUrl, expected);
    targets.push(hashes.length > 0 ? { ...target, sha256s: hashes } : target);
  }
  return targets;
}

export async function readRequirements(file: string, indexUrl: string, expected: IdentityExpectation[]): Promise<ReleaseTarget[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RequirementError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return parseRequirements(text, file, indexUrl, expected);
}
