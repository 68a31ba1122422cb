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

/** What a directory entry or a stat says a path is. */
interface EntryKind {
  dir: boolean;
  link: boolean;
  file: boolean;
}

function entryKind(entry: { isDirectory(): boolean; isSymbolicLink(): boolean; isFile(): boolean }): EntryKind {
  return { dir: entry.isDirectory(), link: entry.isSymbolicLink(), file: entry.isFile() };
}

function within(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface FindOptions {
  /** Symlinked dists must resolve inside this directory (default: cwd). */
  workspace?: string;
}

/** One search: the files taken and the problems met, over every packages-dir entry. */
class DistSearch {
  readonly problems: Problem[] = [];
  readonly files = new Set<string>();
  readonly #cwd: string;
  readonly #workspace: string;
  constructor(cwd: string, workspace: string) {
    this.#cwd = cwd;
    this.#workspace = workspace;
  }

  #refuse(code: string, where: string, message: string, fix: string): void {
    this.problems.push(error(code, where, message, fix));
  }

  /** Reports a problem with the file's name itself; true when there is one. */
  #nameProblem(name: string, display: string): boolean {
    if (CONTROL.test(name)) {
      this.#refuse(
        'dist-name-control-chars',
        display,
        `The file name ${JSON.stringify(name)} contains control characters; PyPI refuses "non-printable characters (ordinals 0-31) or the DEL character (ordinal 127)".`,
        'Rename the file (rebuild it) so its name has only printable characters.',
      );
    } else if (name.includes('..')) {
      this.#refuse(
        'dist-name-dotdot',
        display,
        `The file name ${JSON.stringify(name)} contains "..", which no valid wheel or sdist name has.`,
        'Rebuild the dist with your build backend instead of renaming it by hand.',
      );
    } else if (name.endsWith('.whl') && Buffer.byteLength(name) > MAX_FILENAME_BYTES) {
      // A wheel's "<name>.metadata" must fit beside it on PyPI; an sdist's name only needs to fit itself.
      this.#refuse(
        'dist-name-too-long',
        display,
        `Filename is too long: '${name}' (${Buffer.byteLength(name)} bytes; PyPI can store at most ${MAX_FILENAME_BYTES}).`,
        'Shorten the project name, version or build tag so the file name fits.',
      );
    } else return false;
    return true;
  }

  /** Checks one candidate file; `display` is how the user wrote / would recognise it. */
  async consider(abs: string, display: string, dirent?: EntryKind): Promise<void> {
    if (this.#nameProblem(basename(abs), display)) return;
    // A directory entry of no known type (a file system without d_type) is asked of the file itself.
    let kind = dirent && (dirent.file || dirent.dir || dirent.link) ? dirent : entryKind(await lstat(abs));
    if (kind.link) {
      let target: string;
      try {
        target = await realpath(abs);
      } catch {
        return this.#refuse(
          'dist-broken-symlink',
          display,
          `${display} is a symbolic link whose target does not exist.`,
          'Point packages-dir at the real files, or fix the link.',
        );
      }
      if (!within(this.#workspace, target)) {
        return this.#refuse(
          'dist-symlink-outside',
          display,
          `${display} is a symbolic link to ${target}, outside the workspace ${this.#workspace}.`,
          'Copy the dist into the workspace (e.g. into dist/) instead of linking to it.',
        );
      }
      kind = entryKind(await stat(target));
    }
    if (kind.dir) {
      return this.#refuse(
        'dist-is-directory',
        display,
        `The following paths look like distributions but are not actually files: ${display}`,
        `This is usually actions/download-artifact nesting each artifact in its own directory: point packages-dir at the inner directory (${display}), list it as a glob such as "dist/*/*.whl", or download with "merge-multiple: true".`,
      );
    }
    if (!kind.file) {
      // A FIFO would block the first read until something writes to it: the step would hang until the job's timeout.
      return this.#refuse(
        'dist-not-regular-file',
        display,
        `${display} is not a regular file (a named pipe, socket or device), so it cannot be a distribution.`,
        'Remove it from packages-dir, or rebuild the dist there.',
      );
    }
    this.files.add(abs);
  }

  /**
   * The dists a glob names, and those directly inside the directories it names: the incumbent appends
   * `/*` to packages-dir, so `dist/*` took the dists download-artifact nests one directory down.
   */
  async glob(pattern: string): Promise<void> {
    const matches: string[] = [];
    for await (const m of glob(pattern, { cwd: this.#cwd })) matches.push(m);
    matches.sort();
    let matched = 0;
    for (const m of matches) {
      const abs = resolve(this.#cwd, m);
      // A directory first, even one named like a dist: download-artifact names one after its wheel.
      if (await this.#isDirectory(abs, m)) matched += (await this.#distsIn(m, abs)).found;
      else if (looksLikeDist(basename(m))) {
        matched++;
        await this.consider(abs, m);
      }
    }
    if (matched === 0) {
      this.#refuse(
        'packages-dir-no-match',
        pattern,
        `No distributions (*.whl, *.tar.gz, *.zip) match ${JSON.stringify(pattern)} in ${this.#cwd}.`,
        'Check the pattern and that the build (or download-artifact) step ran before this one.',
      );
    }
  }

  async path(pattern: string): Promise<void> {
    const abs = resolve(this.#cwd, pattern);
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(abs);
    } catch {
      return this.#refuse(
        'packages-dir-missing',
        pattern,
        `packages-dir ${JSON.stringify(pattern)} does not exist (looked in ${abs}).`,
        'Build the dists first (e.g. `python -m build`), or set packages-dir to where they are.',
      );
    }
    if (st.isDirectory()) return this.directory(pattern, abs);
    if (looksLikeDist(basename(abs))) return this.consider(abs, pattern);
    this.#refuse(
      'packages-dir-not-dist',
      pattern,
      `${JSON.stringify(pattern)} is neither a directory nor a *.whl / *.tar.gz / *.zip file.`,
      'Set packages-dir to the directory holding the dists, or to a glob of them.',
    );
  }

  /** Whether a glob's match is a directory, or a link to one inside the workspace (one outside is refused, as a linked dist is). */
  async #isDirectory(abs: string, display: string): Promise<boolean> {
    const entry = await lstat(abs);
    if (!entry.isSymbolicLink()) return entry.isDirectory();
    const target = await realpath(abs).catch(() => undefined);
    if (target === undefined || !(await stat(target)).isDirectory()) return false;
    if (within(this.#workspace, target)) return true;
    this.#refuse(
      'dist-symlink-outside',
      display,
      `${display} is a symbolic link to ${target}, outside the workspace ${this.#workspace}.`,
      'Copy the dists into the workspace (e.g. into dist/) instead of linking to them.',
    );
    return false;
  }

  /** Takes the dists directly inside a directory; how many, and the names of its sub-directories. */
  async #distsIn(pattern: string, abs: string): Promise<{ found: number; nested: string[] }> {
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
      await this.consider(join(abs, ent.name), display, entryKind(ent));
    }
    return { found, nested };
  }

  async directory(pattern: string, abs: string): Promise<void> {
    const { found, nested } = await this.#distsIn(pattern, abs);
    if (found > 0) return;
    const hint = nested.length
      ? `It has sub-directories (${nested.slice(0, 3).join(', ')}${nested.length > 3 ? ', …' : ''}) — download-artifact puts each artifact in its own directory: use "merge-multiple: true" or a glob such as "${pattern.replace(/\/$/, '')}/*/*".`
      : 'Build the dists into it first (e.g. `python -m build --outdir dist`).';
    this.#refuse('packages-dir-empty', pattern, `No distributions (*.whl, *.tar.gz, *.zip) found in ${JSON.stringify(pattern)}.`, hint);
  }
}

export async function findDistFiles(patterns: string[], cwd: string, opts: FindOptions = {}): Promise<{ files: string[]; problems: Problem[] }> {
  const workspace = await realpath(opts.workspace ?? cwd).catch(() => resolve(opts.workspace ?? cwd));
  const search = new DistSearch(cwd, workspace);
  const seenPatterns = new Set<string>();
  for (const rawLine of patterns.flatMap((p) => p.split(/\r?\n/))) {
    const pattern = rawLine.trim();
    if (!pattern || seenPatterns.has(pattern)) continue;
    seenPatterns.add(pattern);
    if (CONTROL.test(pattern)) {
      search.problems.push(
        error(
          'packages-dir-invalid',
          pattern,
          `packages-dir entry ${JSON.stringify(pattern)} contains control characters.`,
          'Write one directory or glob per line in packages-dir.',
        ),
      );
    } else if (GLOB_CHARS.test(pattern)) await search.glob(pattern);
    else await search.path(pattern);
  }
  return { files: [...search.files].sort(order), problems: search.problems };
}
