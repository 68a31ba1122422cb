// Which files are dists. `packages-dir` may hold several directories or glob patterns, one per
// line (the incumbent takes one directory). Like the incumbent's attestations.py, a directory
// contributes only the *.whl, *.tar.gz and *.zip files directly in it (non-recursive), plus the files
// that look like dists PyPI refuses (.egg, .exe, .tgz, .WHL, ...: the pre-flight answers "Invalid file
// extension" for them, as PyPI would). Unlike twine (which fails "Unknown distribution format" on any
// stray file), other files — signatures (.asc), attestations (*.publish.attestation, *.sigstore.json),
// READMEs — are ignored silently.

import { lstat, readdir, realpath, stat, glob } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { error } from './problem.ts';
import type { Problem } from './types.ts';

export const DIST_EXTENSIONS = ['.whl', '.tar.gz', '.zip'] as const;
/**
 * Files that look like a dist PyPI refuses: the extensions PEP 527 retired (eggs, Windows installers,
 * other archive formats) and the right ones in the wrong case (warehouse reads ".WHL" as an extension
 * and refuses it). They are taken, so the pre-flight says what PyPI would: "Invalid file extension".
 */
const REFUSED_DIST = /(?:\.(?:egg|exe|msi|rpm|dmg|tgz|tbz2?|txz|tar|tar\.bz2|tar\.xz|tar\.z|tar\.zst)|\.(?:whl|zip|tar\.gz))$/i;
/** Files that sit next to dists but are never dists themselves. */
export const SIDECAR_SUFFIXES = ['.asc', '.sigstore.json', '.sigstore', '.publish.attestation', '.attestation', '.metadata'];
/** Longest dist basename PyPI can store (it writes "{name}.metadata" next to it: 255 - 9). */
export const MAX_FILENAME_BYTES = 246;

export function looksLikeDist(name: string): boolean {
  return (DIST_EXTENSIONS.some((e) => name.endsWith(e)) || REFUSED_DIST.test(name)) && !SIDECAR_SUFFIXES.some((s) => name.endsWith(s));
}

const GLOB_CHARS = /[*?[\]{}]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** Wheels first, then sdists (twine's order), each alphabetically — stable output for logs. */
function order(a: string, b: string): number {
  const wa = a.endsWith('.whl') ? 0 : 1;
  const wb = b.endsWith('.whl') ? 0 : 1;
  return wa - wb || (a < b ? -1 : a > b ? 1 : 0);
}

function within(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface FindOptions {
  /** Symlinked dists must resolve inside this directory (default: cwd). */
  workspace?: string;
}

export async function findDistFiles(
  patterns: string[],
  cwd: string,
  opts: FindOptions = {},
): Promise<{ files: string[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const files = new Set<string>();
  const workspace = await realpath(opts.workspace ?? cwd).catch(() => resolve(opts.workspace ?? cwd));
  const seenPatterns = new Set<string>();

  // Check one candidate file; `display` is how the user wrote / would recognise it.
  const consider = async (abs: string, display: string, isDirent?: { dir: boolean; link: boolean }): Promise<void> => {
    const name = basename(abs);
    if (CONTROL.test(name)) {
      problems.push(error('dist-name-control-chars', display, `The file name ${JSON.stringify(name)} contains control characters; PyPI refuses "non-printable characters (ordinals 0-31) or the DEL character (ordinal 127)".`, 'Rename the file (rebuild it) so its name has only printable characters.'));
      return;
    }
    if (name.includes('..')) {
      problems.push(error('dist-name-dotdot', display, `The file name ${JSON.stringify(name)} contains "..", which no valid wheel or sdist name has.`, 'Rebuild the dist with your build backend instead of renaming it by hand.'));
      return;
    }
    // A wheel's "<name>.metadata" must fit beside it on PyPI; an sdist's name only needs to fit itself.
    if (name.endsWith('.whl') && Buffer.byteLength(name) > MAX_FILENAME_BYTES) {
      problems.push(error('dist-name-too-long', display, `Filename is too long: '${name}' (${Buffer.byteLength(name)} bytes; PyPI can store at most ${MAX_FILENAME_BYTES}).`, 'Shorten the project name, version or build tag so the file name fits.'));
      return;
    }
    let dir = isDirent?.dir ?? false;
    let link = isDirent?.link ?? false;
    if (!isDirent) {
      const st = await lstat(abs);
      dir = st.isDirectory();
      link = st.isSymbolicLink();
    }
    if (link) {
      let target: string;
      try {
        target = await realpath(abs);
      } catch {
        problems.push(error('dist-broken-symlink', display, `${display} is a symbolic link whose target does not exist.`, 'Point packages-dir at the real files, or fix the link.'));
        return;
      }
      if (!within(workspace, target)) {
        problems.push(error('dist-symlink-outside', display, `${display} is a symbolic link to ${target}, outside the workspace ${workspace}.`, 'Copy the dist into the workspace (e.g. into dist/) instead of linking to it.'));
        return;
      }
      dir = (await stat(target)).isDirectory();
    }
    if (dir) {
      problems.push(error('dist-is-directory', display, `The following paths look like distributions but are not actually files: ${display}`, `This is usually actions/download-artifact nesting each artifact in its own directory: point packages-dir at the inner directory (${display}), list it as a glob such as "dist/*/*.whl", or download with "merge-multiple: true".`));
      return;
    }
    files.add(abs);
  };

  for (const rawLine of patterns.flatMap((p) => p.split(/\r?\n/))) {
    const pattern = rawLine.trim();
    if (!pattern || seenPatterns.has(pattern)) continue;
    seenPatterns.add(pattern);
    if (CONTROL.test(pattern)) {
      problems.push(error('packages-dir-invalid', pattern, `packages-dir entry ${JSON.stringify(pattern)} contains control characters.`, 'Write one directory or glob per line in packages-dir.'));
      continue;
    }
    if (GLOB_CHARS.test(pattern)) {
      let matched = 0;
      const matches: string[] = [];
      for await (const m of glob(pattern, { cwd })) matches.push(m);
      matches.sort();
      for (const m of matches) {
        const abs = resolve(cwd, m);
        const name = basename(abs);
        if (!looksLikeDist(name)) continue;
        matched++;
        await consider(abs, m);
      }
      if (matched === 0) {
        problems.push(error('packages-dir-no-match', pattern, `No distributions (*.whl, *.tar.gz, *.zip) match ${JSON.stringify(pattern)} in ${cwd}.`, 'Check the pattern and that the build (or download-artifact) step ran before this one.'));
      }
      continue;
    }
    const abs = resolve(cwd, pattern);
    let st;
    try {
      st = await stat(abs);
    } catch {
      problems.push(error('packages-dir-missing', pattern, `packages-dir ${JSON.stringify(pattern)} does not exist (looked in ${abs}).`, 'Build the dists first (e.g. `python -m build`), or set packages-dir to where they are.'));
      continue;
    }
    if (!st.isDirectory()) {
      if (looksLikeDist(basename(abs))) await consider(abs, pattern);
      else problems.push(error('packages-dir-not-dist', pattern, `${JSON.stringify(pattern)} is neither a directory nor a *.whl / *.tar.gz / *.zip file.`, 'Set packages-dir to the directory holding the dists, or to a glob of them.'));
      continue;
    }
    // One readdir with file types: no stat per file, so 10,000-entry directories stay cheap.
    const entries = await readdir(abs, { withFileTypes: true });
    let found = 0;
    const nested: string[] = [];
    for (const ent of entries) {
      if (!looksLikeDist(ent.name)) {
        if (ent.isDirectory()) nested.push(ent.name);
        continue;
      }
      found++;
      const display = pattern.endsWith('/') || pattern.endsWith(sep) ? `${pattern}${ent.name}` : `${pattern}/${ent.name}`;
      await consider(join(abs, ent.name), display, { dir: ent.isDirectory(), link: ent.isSymbolicLink() });
    }
    if (found === 0) {
      const hint = nested.length
        ? `It has sub-directories (${nested.slice(0, 3).join(', ')}${nested.length > 3 ? ', …' : ''}) — download-artifact puts each artifact in its own directory: use "merge-multiple: true" or a glob such as "${pattern.replace(/\/$/, '')}/*/*".`
        : 'Build the dists into it first (e.g. `python -m build --outdir dist`).';
      problems.push(error('packages-dir-empty', pattern, `No distributions (*.whl, *.tar.gz, *.zip) found in ${JSON.stringify(pattern)}.`, hint));
    }
  }
  return { files: [...files].sort(order), problems };
}
