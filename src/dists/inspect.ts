// One dist file → Dist (metadata, digests, identity) + the archive problems PyPI would reject it for.
// Reads: a .tar.gz is read once (the same chunks feed the hashers and gunzip → tar). A small ZIP
// (wheel, .zip sdist) is read into memory once. A large one is read by random access for the central
// directory, the framing walk over local headers (headers only; data is skipped) and the few members
// we need, and once sequentially for the digests — ZIP's index is at the end, so one forward pass
// cannot do both. Its checks come first: a caller may let that sequential read (~1 s per GiB) run on
// while it goes on with what does not need the digest (see `deferLargeDigest`).

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { createZstdDecompress } from 'node:zlib';
import { opensAsPlainTar, scanSdistTar, type TarIssue } from './archive/tar.ts';
import { ARCHIVE_LIMITS } from './archive/limits.ts';
import { EOCD_SEARCH, isZipFileAt, ZIP_END_SIGNATURE } from './archive/zip.ts';
import { createMultiHasher } from './digest.ts';
import { canonicalizeName, parseSdistFilename, parseWheelFilename } from './filename.ts';
import { filenameError, filetypeOf } from './filename-rules.ts';
import { bothZipAndTar, invalid, memberServerError, ranked, readZipFile, REBUILD, type ArchiveRead } from './inspect-zip.ts';
import { parseCoreMetadata, toRaw } from './metadata.ts';
import { parseFormMetadata, sanitizeForm } from './form-rules.ts';
import { error, problem, serverError } from './problem.ts';
import { RANK } from './rank.ts';
import type { Digests, Dist, DistKind, Problem } from './types.ts';

export { WHOLE_READ_MAX } from './inspect-zip.ts';
import type { DeferredDigest } from './inspect-zip.ts';

export interface InspectResult {
  dist?: Dist;
  problems: Problem[];
  /**
   * With `deferLargeDigest`, a large ZIP's digest read, already under way (`dist.digests.sha256` is
   * empty and stays so: the digests are this promise's). Never rejects: a read that fails gives the
   * dist's problem.
   */
  digesting?: Promise<DeferredDigest>;
}

function kindOf(filename: string): DistKind | undefined {
  if (filename.endsWith('.whl')) return 'wheel';
  if (filename.endsWith('.tar.gz') || filename.endsWith('.zip')) return 'sdist';
  return undefined;
}

export interface InspectOptions {
  /** Read dists up to this size into memory once (default 8 MiB); tests set 0 to use random access. */
  wholeReadMax?: number;
  /** Return a large ZIP's result once its checks are done, its digest still being read (`digesting`). */
  deferLargeDigest?: boolean;
  /** How a large dist is hashed (tests give a read that fails). */
  digestLarge?: (path: string, size: number) => Promise<Digests>;
}

export async function inspectDist(path: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const abs = resolve(path);
  const filename = basename(abs);
  const kind = kindOf(filename);
  if (!kind) {
    const message = filenameError(filename, filetypeOf(filename)) as string;
    return {
      problems: [
        ranked(
          error(
            'dist-unknown-format',
            filename,
            message,
            'Only wheels (.whl) and sdists (.tar.gz) can be uploaded: remove this file from packages-dir, or rebuild the dist with `python -m build`.',
          ),
          RANK.filename,
        ),
      ],
    };
  }
  const unreadable = (e: unknown): InspectResult => ({
    problems: [
      error('dist-unreadable', filename, `Cannot read ${abs}: ${(e as Error).message}`, 'Check that the file exists and is readable by the runner user.'),
    ],
  });
  let size: number;
  try {
    size = (await stat(abs)).size;
  } catch (e) {
    return unreadable(e);
  }
  let read: ArchiveRead;
  // A file that cannot be read (permissions, I/O error) is a problem with that file, not a crash.
  try {
    read = filename.endsWith('.tar.gz')
      ? await readTarFile(abs, filename, size)
      : await readZipFile(abs, filename, kind, size, { ...opts, unreadable: (e) => unreadable(e).problems[0] as Problem });
  } catch (e) {
    if (typeof (e as NodeJS.ErrnoException).syscall === 'string') return unreadable(e);
    throw e;
  }
  const { problems } = read;
  if (!read.metadata) {
    if (!problems.some((p) => p.severity === 'error')) problems.push(invalid('dist-no-metadata', filename, 'No core metadata found.', REBUILD));
    return { problems };
  }
  const metadata = parseCoreMetadata(read.metadata);
  checkLicenseFiles(filename, metadata, read, problems);
  const dist: Dist = { path: abs, filename, kind, size, ...identity(filename, kind, metadata), metadata, digests: read.digests };
  return { dist, problems, ...(read.digesting ? { digesting: read.digesting } : {}) };
}

/** PyPI: every License-File must exist in the dist (wheels: under .dist-info/licenses/). twine only sends License-File for metadata ≥ 2.4, so only then does PyPI check. */
function checkLicenseFiles(filename: string, metadata: ReturnType<typeof parseCoreMetadata>, read: ArchiveRead, problems: Problem[]): void {
  const mv = metadata.get('Metadata-Version') ?? '';
  if (!read.memberNames || !/^2\.[4-9]$/.test(mv.trim())) return;
  // What warehouse checks is the form's license_file values as `sanitize` and parse_form_metadata leave them.
  const form = ((toRaw(metadata).raw.license_files as string[] | undefined) ?? []).map((v): [string, string] => ['license_file', v]);
  const sent = (parseFormMetadata(sanitizeForm(form)).raw.get('license_files') as string[] | undefined) ?? [];
  for (const lf of sent) {
    const target = `${read.licenseBase}${lf}`;
    const fails = read.unreadableLicenses?.get(target);
    if (fails) return void problems.push(memberServerError(filename, target, fails, `License-File ${lf}`, RANK.licenseFile));
    if (read.memberNames.has(target)) continue;
    problems.push(
      ranked(
        error(
          'license-file-missing',
          filename,
          `License-File ${lf} does not exist in distribution file ${filename} at ${target}`,
          'Make sure the license file is included in the build (license-files in pyproject.toml) or remove the License-File entry, then rebuild.',
        ),
        RANK.licenseFile,
      ),
    );
    return; // PyPI stops at the first
  }
}

// The form's `pyversion` is what twine sends: the "pyver" part of its wheel-name pattern
// (twine/wheel.py wheel_file_re: name, optional "-<digit>…" version and build, then three parts,
// each as short as can be), or "any" when the name does not match.
const TWINE_WHEEL_RE = /^.+?(?:-\d.+?)?(?:(?:-\d.*?)?-(.+?)-.+?-.+?\.whl|\.dist-info)$/;
const twinePyversion = (filename: string): string => TWINE_WHEEL_RE.exec(filename)?.[1] ?? 'any';

/** Project, version and the form's pyversion: from the file name, else from the metadata. */
function identity(filename: string, kind: DistKind, metadata: ReturnType<typeof parseCoreMetadata>): Pick<Dist, 'project' | 'version' | 'pyversion'> {
  try {
    if (kind === 'wheel') {
      const w = parseWheelFilename(filename);
      return { project: w.name, version: w.versionAsWritten, pyversion: twinePyversion(filename) };
    }
    const s = parseSdistFilename(filename);
    return { project: s.name, version: s.versionAsWritten, pyversion: 'source' };
  } catch {
    // The filename problem is reported by preflight; fall back to metadata for identity.
    const project = canonicalizeName(metadata.get('Name') ?? '');
    return { project, version: metadata.get('Version') ?? '', pyversion: kind === 'wheel' ? twinePyversion(filename) : 'source' };
  }
}

// Where each tar finding sits in warehouse's order (getnames, sparse, top level, PKG-INFO, scan).
const TAR_RANK: Record<string, number> = {
  'sdist-not-tar': 0,
  'sdist-not-gzip': 0,
  'sdist-corrupt': 0,
  'sdist-limit': 0,
  'sdist-server-error': 1,
  'sdist-sparse': 2,
  'sdist-top-level': 3,
  'sdist-no-pkg-info': 4,
  'sdist-encrypted': 5,
};
const INSTALLERS =
  'PyPI accepts the file, but pip and uv refuse to unpack such a member (the "data" extraction filter of PEP 706), so installing from this sdist fails.';

/** The last `n` bytes of a stream, kept as its chunks pass (the file is read once). */
function tailOf(n: number): { push(chunk: Buffer): void; readonly bytes: Buffer } {
  let tail: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      const joined = chunk.length >= n ? chunk : Buffer.concat([tail, chunk]);
      tail = joined.subarray(Math.max(0, joined.length - n));
    },
    get bytes() {
      return tail;
    },
  };
}

function tarProblem(i: TarIssue, filename: string): Problem {
  if (i.code === 'sdist-limit')
    return ranked(
      error(
        i.code,
        filename,
        `The sdist was not read to its end: ${i.reason}, past the bound this action sets on the work one archive may cost. No real sdist comes near it.`,
        "Rebuild it with `python -m build --sdist`; if it was built so on purpose, it is not an sdist PyPI's installers can unpack.",
      ),
      RANK.archive,
    );
  if (i.code === 'sdist-server-error') return serverError(i.code, filename, i.reason, RANK.archive + (TAR_RANK[i.code] as number), REBUILD);
  // PyPI's tarfile read fails without a reason ("None"): a truncated or damaged file.
  if (i.code === 'sdist-corrupt')
    return invalid(
      i.code,
      filename,
      'None',
      `The sdist is damaged (${i.reason}): rebuild it (\`python -m build --sdist\`); if it passed through upload-artifact/download-artifact or a cache, check that step completed and re-run it.`,
    );
  // warehouse would take the archive, but no client can read its metadata (twine refuses it too).
  if (i.code === 'sdist-pkg-info-not-file')
    return ranked(
      error(
        i.code,
        filename,
        `The sdist's ${i.reason}: its core metadata cannot be read, and PyPI takes the metadata the client sends.`,
        'Build the sdist with `python -m build --sdist`, which writes PKG-INFO as a regular file.',
      ),
      RANK.archive,
    );
  if (i.code === 'sdist-long-name')
    return ranked(
      problem(
        'warning',
        i.code,
        filename,
        `The sdist's ${i.reason}, more than the ${ARCHIVE_LIMITS.nameBytes} bytes of a path Linux can open (PATH_MAX). PyPI accepts the file, but no installer can unpack such a member, so installing from this sdist fails.`,
        'Shorten the path of that file in your project (or leave it out of the sdist) and rebuild.',
      ),
      RANK.members,
    );
  if (i.code === 'sdist-not-gzip') {
    const what = i.compression === 'none' ? 'without gzip compression' : `compressed with ${i.compression}, not gzip`;
    const fix = `The file is a tar archive ${what} (a .tar.gz must be gzip): build the sdist with \`python -m build --sdist\`, or compress the tar with gzip.`;
    return invalid(i.code, filename, i.reason, fix);
  }
  if (i.pypi) {
    const layout = i.code === 'sdist-top-level' || i.code === 'sdist-no-pkg-info';
    return invalid(
      i.code,
      filename,
      i.reason,
      layout
        ? 'An sdist must contain exactly one top-level directory {name}-{version}/ with PKG-INFO in it; build it with `python -m build --sdist`.'
        : REBUILD,
      TAR_RANK[i.code] ?? 0,
    );
  }
  return ranked(
    problem(
      'warning',
      i.code,
      filename,
      `The sdist has a member installers refuse: ${i.reason}. ${INSTALLERS}`,
      "Remove it from the sdist (check MANIFEST.in / your backend's sdist include rules) and rebuild.",
    ),
    RANK.members,
  );
}

/** The bytes of a file's start that tell whether it opens as a tar without gzip. */
const PLAIN_TAR_HEAD = 64 * 1024;

/**
 * How a file that is no gzip is still a tar to tarfile.is_tarfile, which warehouse asks first (it
 * tries a plain tar, gzip, bzip2, xz and, from Python 3.14, zstd): then only tarfile.open(path, "r:gz")
 * fails, and PyPI says "None"; a stream whose content is no tar is "File is not a tarfile". A zstd
 * stream's first bytes are inflated to tell; bzip2 and xz, which Node cannot inflate, are known by
 * their magic numbers (a bzip2 stream with a first block) and taken for tars.
 */
async function tarCompressionOtherThanGzip(head: Buffer): Promise<'none' | 'bzip2' | 'xz' | 'zstd' | undefined> {
  if (opensAsPlainTar(head)) return 'none';
  const starts = (hex: string, at = 0) => head.subarray(at, at + hex.length / 2).equals(Buffer.from(hex, 'hex'));
  if (starts('425a68') && head[3]! >= 0x31 && head[3]! <= 0x39 && starts('314159265359', 4)) return 'bzip2';
  if (starts('fd377a585a00')) return 'xz';
  if (starts('28b52ffd') && opensAsPlainTar(await zstdContentHead(head))) return 'zstd';
  return undefined;
}

/**
 * The first PLAIN_TAR_HEAD bytes of what the zstd stream starting `head` holds, as far as `head` and
 * a stream that may end or break after it give them (a few bytes of zstd can stand for gigabytes:
 * no more is inflated).
 */
function zstdContentHead(head: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const zstd = createZstdDecompress({ chunkSize: PLAIN_TAR_HEAD });
  return new Promise((resolve) => {
    const done = () => {
      zstd.destroy();
      resolve(Buffer.concat(parts).subarray(0, PLAIN_TAR_HEAD));
    };
    zstd.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      if ((size += chunk.length) >= PLAIN_TAR_HEAD) done();
    });
    zstd.on('error', done);
    zstd.on('end', done);
    zstd.end(head);
  });
}

/** A .tar.gz is read once: the same chunks feed the hasher and gunzip → tar. */
async function readTarFile(abs: string, filename: string, size: number): Promise<ArchiveRead> {
  const hasher = await createMultiHasher();
  const tee = new PassThrough({ highWaterMark: 1 << 20 });
  const src = createReadStream(abs, { highWaterMark: 1 << 20 });
  // zipfile looks for an end record in a file's last bytes: warehouse asks it of sdists too.
  const tail = tailOf(EOCD_SEARCH);
  let head: Buffer | undefined;
  src.on('data', (c) => {
    hasher.update(c as Buffer);
    tail.push(c as Buffer);
    // Kept only to tell a tar without gzip, for which the first headers are enough: a copy of them,
    // not the read's whole first chunk, so that the chunk can go while the rest is read.
    head ??= Buffer.from((c as Buffer).subarray(0, PLAIN_TAR_HEAD));
  });
  src.on('error', (e) => tee.destroy(e)); // the tar scan stops instead of waiting for more
  src.pipe(tee);
  const scanning = scanSdistTar(tee, { size });
  // Make sure the whole file is hashed even if tar parsing stops early. Handled from the start: a
  // read error while the scan runs is rethrown below, never left unhandled.
  const readAll = new Promise<void>((res, rej) => {
    src.on('end', res);
    src.on('error', rej);
    src.on('close', res);
  });
  readAll.catch(() => {});
  const scan = await scanning;
  if (!src.readableEnded) {
    src.unpipe(tee);
    src.resume();
  }
  await readAll;
  if (!src.readableEnded) throw Object.assign(new Error('the file stopped before its end while being read'), { syscall: 'read' });
  const problems: Problem[] = [];
  // A tar without gzip is a tar to is_tarfile, and no file to tarfile.open(..., "r:gz"): "None".
  const compression = scan.notGzip && head ? await tarCompressionOtherThanGzip(head) : undefined;
  const issues = compression ? [{ code: 'sdist-not-gzip', reason: 'None', pypi: true, compression }] : scan.issues;
  // warehouse asks zipfile too, once the archive opened: a tar.gz whose last 64 KiB hold a ZIP end
  // record may be both.
  const zipfile = !scan.raisedAtOpen && tail.bytes.includes(ZIP_END_SIGNATURE) && (await isZipFileAt(abs));
  if (zipfile && !issues.some((i) => i.code === 'sdist-not-tar')) problems.push(bothZipAndTar(filename));
  for (const i of issues) problems.push(tarProblem(i, filename));
  return {
    digests: hasher.digest(),
    problems,
    ...(scan.pkgInfo ? { metadata: scan.pkgInfo } : {}),
    memberNames: new Set(scan.names),
    licenseBase: scan.topLevel ? `${scan.topLevel}/` : '',
  };
}
