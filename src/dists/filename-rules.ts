// The file-name rules of warehouse's file_upload, in its order: _validate_filename (characters and
// extension, against the form's filetype), then, after the archive checks, the sdist's PEP 625 name
// or the wheel's PEP 427 name, platform tags, project name and version against the metadata the form
// carries (warehouse compares with the form's `name` and `version`, not the file's). Messages are
// warehouse's and packaging's.

import {
  canonicalizeName,
  distExtension,
  InvalidFilename,
  isValidPlatformTag,
  parseSdistFilename,
  parseWheelFilename,
  tryParseVersion,
  type Version,
  versionsEqual,
} from './filename.ts';
import type { DistCheck } from './preflight.ts';
import { pyRepr } from './pyrepr.ts';
import { RANK } from './rank.ts';
import type { Problem } from './types.ts';

const REBUILD = 'Rebuild the dist with your build backend instead of renaming it by hand.';

/** warehouse _validate_filename: refused before any byte of the file is looked at. */
export function filenameError(filename: string, filetype: 'sdist' | 'bdist_wheel'): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(filename))
    return 'Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL character (ordinal 127) in the name.';
  if (filename.includes('/') || filename.includes('\\')) return "Cannot upload a file with '/' or '\\' in the name.";
  const ext = distExtension(filename);
  if (ext === undefined)
    return 'Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information';
  const allowed = filetype === 'sdist' ? ['.zip', '.tar.gz'] : ['.whl'];
  if (!allowed.includes(ext))
    return `Invalid file extension: Extension ${ext} is invalid for filetype ${filetype}. See https://www.python.org/dev/peps/pep-0527 for more information.`;
  return undefined;
}

/** The filetype a client sends for a file name (case-insensitive, as warehouse reads extensions). */
export function filetypeOf(filename: string): 'sdist' | 'bdist_wheel' {
  return filename.toLowerCase().endsWith('.whl') ? 'bdist_wheel' : 'sdist';
}

const formValue = (ctx: DistCheck, key: string): string | undefined => ctx.form.find(([k]) => k === key)?.[1];

export function checkFilenameRules(ctx: DistCheck): void {
  const f = ctx.d.filename;
  const bad = filenameError(f, ctx.d.kind === 'wheel' ? 'bdist_wheel' : 'sdist');
  if (bad) ctx.add('error', RANK.filename, 'dist-filename-invalid', bad, REBUILD);
  // The project and version as warehouse knows them: the form's, after sanitize.
  const name = formValue(ctx, 'name');
  const version = tryParseVersion(formValue(ctx, 'version') ?? '');
  if (!name || !version) return;
  if (ctx.d.kind === 'sdist') checkSdistName(ctx, name, version);
  else checkWheelName(ctx, name, version);
}

function checkSdistName(ctx: DistCheck, name: string, version: Version): void {
  const f = ctx.d.filename;
  let fromName: string;
  try {
    fromName = parseSdistFilename(f).name;
  } catch (e) {
    if (!(e instanceof InvalidFilename)) throw e;
    ctx.add(
      'error',
      RANK.names,
      'sdist-filename-invalid',
      `Invalid source distribution filename: ${f}`,
      'An sdist must be named {name}-{version}.tar.gz (PEP 625); rebuild it with `python -m build --sdist`.',
    );
    return;
  }
  const normalized = canonicalizeName(name);
  // warehouse: a post-release version may hold a "-" ("1.0-1"); then split on the second-to-last "-".
  if (version.isPostrelease && fromName !== canonicalizeName(name) && (f.match(/-/g) ?? []).length >= 2) {
    const candidate = f.slice(0, f.lastIndexOf('-')).slice(0, Math.max(0, f.slice(0, f.lastIndexOf('-')).lastIndexOf('-')));
    if (tryParseVersion(f.slice(candidate.length + 1, -'.tar.gz'.length))) fromName = candidate;
  }
  if (canonicalizeName(fromName) !== normalized) {
    ctx.add(
      'error',
      RANK.names,
      'filename-project-mismatch',
      `Start filename for ${pyRepr(name)} with ${pyRepr(normalized.replace(/-/g, '_'))}.`,
      `The file name says project "${fromName}" but the metadata says Name: ${name}. ${REBUILD}`,
    );
    return;
  }
  const expected = `${normalized.replace(/-/g, '_')}-${version.normalized}.tar.gz`;
  if (f !== expected) {
    ctx.add(
      'error',
      RANK.names,
      f.endsWith('.zip') ? 'sdist-zip' : 'sdist-name-pep625',
      `Filename ${pyRepr(f)} is invalid, should be ${pyRepr(expected)}.`,
      f.endsWith('.zip')
        ? `PyPI accepts only .tar.gz sdists (PEP 625). Build with \`python -m build --sdist\` (or setuptools ≥ 69.3) to get ${expected}, and remove the .zip.`
        : `PEP 625 requires the normalized name with underscores and the normalized version. Upgrade the build backend (setuptools ≥ 69.3, hatchling, flit-core ≥ 3.9…) and rebuild to get ${expected}.`,
    );
  }
}

function checkWheelName(ctx: DistCheck, name: string, version: Version): void {
  const f = ctx.d.filename;
  let w: ReturnType<typeof parseWheelFilename>;
  try {
    w = parseWheelFilename(f);
  } catch (e) {
    if (!(e instanceof InvalidFilename)) throw e;
    ctx.add(
      'error',
      RANK.names,
      'wheel-filename-invalid',
      e.message,
      'A wheel must be named {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl (PEP 427): rebuild it rather than renaming it.',
    );
    return;
  }
  const platform = w.tags.map((t) => t.platform).find((t) => !isValidPlatformTag(t));
  if (platform !== undefined) {
    ctx.add(
      'error',
      RANK.names,
      'wheel-platform-tag',
      `Binary wheel '${f}' has an unsupported platform tag '${platform}'.`,
      platform.startsWith('linux_')
        ? 'PyPI does not accept linux_* wheels: repair them into manylinux/musllinux wheels with auditwheel (cibuildwheel does this for you), or upload only the sdist.'
        : 'Build for a platform tag PyPI accepts (manylinux_X_Y / musllinux_X_Y, macosx_10_N or macosx_{11..15,26}_0, win*, ios, android, pyemscripten).',
    );
    return;
  }
  const canonical = canonicalizeName(name);
  if (canonical !== w.name) {
    ctx.add(
      'error',
      RANK.names,
      'filename-project-mismatch',
      `Start filename for ${pyRepr(name)} with ${pyRepr(canonical.replace(/-/g, '_'))}.`,
      `The file name says project "${w.name}" but the metadata says Name: ${name}. ${REBUILD}`,
    );
    return;
  }
  const normalized = canonical.replace(/-/g, '_');
  const fromFilename = f.split('-')[0] as string;
  if (fromFilename !== normalized) {
    ctx.add(
      'error',
      RANK.names,
      'wheel-name-not-normalized',
      `Filename ${pyRepr(f)} should contain the normalized project name ${pyRepr(normalized)}, not ${pyRepr(fromFilename)}.`,
      `Upgrade the build backend (wheel ≥ 0.41 / setuptools ≥ 75.8, hatchling, maturin ≥ 1.x write normalized names) and rebuild; the wheel must start with ${normalized}-.`,
    );
    return;
  }
  if (!versionsEqual(version, w.version)) {
    ctx.add(
      'error',
      RANK.names,
      'filename-version-mismatch',
      `Version in filename should be ${pyRepr(version.normalized)} not ${pyRepr(w.version.normalized)}.`,
      'The file name and METADATA disagree on the version: rebuild instead of renaming, and make sure the build saw the right version (e.g. fetch tags for setuptools-scm).',
    );
  }
}

/** The file-name rules that need no metadata, for a file whose metadata could not be read. */
export function filenameOnlyProblems(filename: string, kind: 'wheel' | 'sdist'): Problem[] {
  const out: Problem[] = [];
  const add = (rank: number, code: string, message: string, fix: string): void =>
    void out.push({ severity: 'error', rank, code, file: filename, message, fix });
  const bad = filenameError(filename, kind === 'wheel' ? 'bdist_wheel' : 'sdist');
  if (bad) add(RANK.filename, 'dist-filename-invalid', bad, REBUILD);
  try {
    if (kind === 'sdist') parseSdistFilename(filename);
    else {
      const platform = parseWheelFilename(filename)
        .tags.map((t) => t.platform)
        .find((t) => !isValidPlatformTag(t));
      if (platform !== undefined)
        add(
          RANK.names,
          'wheel-platform-tag',
          `Binary wheel '${filename}' has an unsupported platform tag '${platform}'.`,
          'Build for a platform tag PyPI accepts.',
        );
    }
  } catch (e) {
    if (!(e instanceof InvalidFilename)) throw e;
    add(RANK.names, `${kind}-filename-invalid`, kind === 'sdist' ? `Invalid source distribution filename: ${filename}` : e.message, REBUILD);
  }
  return out;
}
