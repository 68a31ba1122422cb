// One dist file → Dist (metadata, digests, identity) + the archive problems PyPI would reject it for.
// Reads: a .tar.gz is read once (the same chunks feed the hashers and gunzip → tar). A small ZIP
// (wheel, .zip sdist) is read into memory once. A large one is read by random access for the central
// directory, the framing walk over local headers (headers only; data is skipped) and the few members
// we need, and once sequentially for the digests — ZIP's index is at the end, so one forward pass
// cannot do both. Its checks come first: a caller may let that sequential read (~1 s per GiB) run on
// while it goes on with what does not need the digest (see `deferLargeDigest`).

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { scanSdistTar } from './archive/tar.ts';
import {
  COMPRESSION_RATIO_MIN_SIZE,
  COMPRESSION_RATIO_THRESHOLD,
  bufferSource,
  type ByteSource,
  fileSource,
  openZip,
  validateZipFraming,
  type ZipArchive,
  ZipError,
} from './archive/zip.ts';
import { commonPath } from './archive/tar.ts';
import { ArchiveLimitError } from './archive/limits.ts';
import { createMultiHasher, digestBytes, digestFile } from './digest.ts';
import { canonicalizeName, parseSdistFilename, parseWheelFilename } from './filename.ts';
import { parseCoreMetadata, type ParsedMetadata } from './metadata.ts';
import { error } from './problem.ts';
import type { Digests, Dist, DistKind, Problem } from './types.ts';

/** Dists up to this size are read into memory once (most wheels and sdists are far smaller). */
export const WHOLE_READ_MAX = 8 * 1024 * 1024;
/** Largest METADATA / PKG-INFO we read (long descriptions are legitimately large). */
const MAX_METADATA = 32 * 1024 * 1024;
const ARCHIVES_DOC = 'See https://docs.pypi.org/archives';

export interface InspectResult {
  dist?: Dist;
  problems: Problem[];
  /**
   * With `deferLargeDigest`, a large ZIP's digest read, already under way: `dist.digests.sha256` is
   * empty until it settles, then set. Never rejects: a read that fails gives the dist's problem.
   */
  digesting?: Promise<Problem | undefined>;
}

function kindOf(filename: string): DistKind | undefined {
  if (filename.endsWith('.whl')) return 'wheel';
  if (filename.endsWith('.tar.gz') || filename.endsWith('.zip')) return 'sdist';
  return undefined;
}

const invalid = (code: string, file: string, reason: string, fix: string): Problem =>
  error(code, file, `Invalid distribution file. ${reason}`, fix);

const REBUILD = 'Rebuild the dist with a standard build backend (`python -m build`) rather than repacking it by hand.';

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
  const problems: Problem[] = [];
  const kind = kindOf(filename);
  if (!kind) {
    return { problems: [error('dist-unknown-format', filename, `Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information`, 'Only wheels (.whl) and sdists (.tar.gz) can be uploaded.')] };
  }
  const unreadable = (e: unknown): InspectResult => ({
    problems: [error('dist-unreadable', filename, `Cannot read ${abs}: ${(e as Error).message}`, 'Check that the file exists and is readable by the runner user.')],
  });
  let size: number;
  try {
    size = (await stat(abs)).size;
  } catch (e) {
    return unreadable(e);
  }
  if (size === 0) {
    return { problems: [error('dist-empty', filename, 'Invalid distribution file. The file is empty.', REBUILD)] };
  }

  let metadataBytes: Buffer | undefined;
  let digests: Digests;
  let digesting: Promise<Problem | undefined> | undefined;
  let memberNames: Set<string> | undefined;
  let licenseBase = '';

  // A file that cannot be read (permissions, I/O error) is a problem with that file, not a crash.
  try {
    if (filename.endsWith('.tar.gz')) {
      // One pass: hash every chunk and pass it on to gunzip → tar.
      const hasher = await createMultiHasher();
      const tee = new PassThrough({ highWaterMark: 1 << 20 });
      const src = createReadStream(abs, { highWaterMark: 1 << 20 });
      src.on('data', (c) => hasher.update(c as Buffer));
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
      digests = hasher.digest();
      for (const i of scan.issues) {
        if (i.code === 'sdist-limit') {
          problems.push(error(i.code, filename, `The sdist was not read to its end: ${i.reason}, past the bound this action sets on the work one archive may cost. No real sdist comes near it.`, 'Rebuild it with `python -m build --sdist`; if it was built so on purpose, it is not an sdist PyPI\'s installers can unpack.'));
          continue;
        }
        if (i.code === 'sdist-corrupt') {
          // Not a member to remove: the file itself is damaged (truncated download, partial artifact).
          problems.push(invalid(i.code, filename, `The sdist is damaged: ${i.reason}.`, 'Rebuild it (`python -m build --sdist`); if it passed through upload-artifact/download-artifact or a cache, check that step completed and re-run it.'));
          continue;
        }
        problems.push(
          i.pypi
            ? invalid(i.code, filename, i.reason, i.code === 'sdist-top-level' || i.code === 'sdist-no-pkg-info'
                ? 'An sdist must contain exactly one top-level directory {name}-{version}/ with PKG-INFO in it; build it with `python -m build --sdist`.'
                : REBUILD)
            : error(i.code, filename, `The sdist has a member PyPI's installers would refuse: ${i.reason}.`, 'Remove it from the sdist (check MANIFEST.in / your backend\'s sdist include rules) and rebuild.'),
        );
      }
      metadataBytes = scan.pkgInfo;
      memberNames = new Set(scan.names);
      licenseBase = scan.topLevel ? `${scan.topLevel}/` : '';
    } else {
      // A small dist is read once, into memory: the digest and every archive check use those bytes.
      // A large one is hashed in a sequential pass, then read by random access (ZIP's index is last).
      const whole = size <= (opts.wholeReadMax ?? WHOLE_READ_MAX) ? await readFile(abs) : undefined;
      const src = whole ? bufferSource(whole) : await fileSource(abs);
      try {
        if (whole) digests = digestBytes(whole);
        else if (opts.deferLargeDigest) {
          digests = { sha256: '' };
          // Read after the checks were answered, so the file must still have the size they saw.
          digesting = (opts.digestLarge ?? ((p, n) => digestFile(p, undefined, n)))(abs, size).then(
            (d) => void Object.assign(digests, d),
            (e: unknown) => unreadable(e).problems[0],
          );
        } else digests = await digestFile(abs);
        let zip: ZipArchive | undefined;
        try {
          zip = await openZip(src);
        } catch (e) {
          const reason = e instanceof ZipError ? e.message : (e as Error).message;
          if (e instanceof ArchiveLimitError) problems.push(error('zip-limit', filename, `The archive was not read: ${reason}, past the bound this action sets on the work one archive may cost.`, REBUILD));
          else problems.push(invalid('zip-not-zip', filename, reason === 'File is not a zipfile' ? reason : `File is not a zipfile (${reason})`, REBUILD));
        }
        if (zip) {
          const r = await readZipDist(src, filename, kind, zip, problems);
          metadataBytes = r.metadata;
          memberNames = new Set(zip.entries.map((e) => e.name));
          licenseBase = r.licenseBase;
        }
      } finally {
        await src.close();
      }
    }
  } catch (e) {
    if (typeof (e as NodeJS.ErrnoException).syscall === 'string') return unreadable(e);
    throw e;
  }

  if (!metadataBytes) {
    if (!problems.length) problems.push(invalid('dist-no-metadata', filename, 'No core metadata found.', REBUILD));
    return { problems };
  }
  const metadata: ParsedMetadata = parseCoreMetadata(metadataBytes);
  if (metadata.invalidUtf8) {
    problems.push(error('metadata-encoding', filename, `${kind === 'wheel' ? 'METADATA' : 'PKG-INFO'} is not valid UTF-8.`, 'Core metadata must be UTF-8: fix the encoding of the fields (often the description or author) in your project configuration and rebuild.'));
  }

  // PyPI: every License-File must exist in the dist (wheels: under .dist-info/licenses/). twine
  // only sends License-File for metadata ≥ 2.4, so only then does PyPI check.
  const mv = metadata.get('Metadata-Version') ?? '';
  if (memberNames && /^2\.[4-9]$/.test(mv.trim())) {
    for (const lf of metadata.getAll('License-File')) {
      const target = `${licenseBase}${lf}`;
      if (!memberNames.has(target)) {
        problems.push(error('license-file-missing', filename, `License-File ${lf} does not exist in distribution file ${filename} at ${target}`, 'Make sure the license file is included in the build (license-files in pyproject.toml) or remove the License-File entry, then rebuild.'));
      }
    }
  }

  const name = metadata.get('Name') ?? '';
  let project = canonicalizeName(name);
  let version = metadata.get('Version') ?? '';
  let pyversion = 'source';
  try {
    if (kind === 'wheel') {
      const w = parseWheelFilename(filename);
      project = w.name;
      version = w.versionAsWritten;
      pyversion = w.pythonTag;
    } else {
      const s = parseSdistFilename(filename);
      project = s.name;
      version = s.versionAsWritten;
    }
  } catch {
    // The filename problem is reported by preflight; fall back to metadata for identity.
    if (kind === 'wheel') pyversion = filename.split('-')[2] ?? '';
  }
  return {
    dist: { path: abs, filename, kind, size, project, version, metadata, digests, pyversion },
    problems,
    ...(digesting ? { digesting } : {}),
  };
}

async function readZipDist(
  src: ByteSource,
  filename: string,
  kind: DistKind,
  zip: ZipArchive,
  problems: Problem[],
): Promise<{ metadata?: Buffer; licenseBase: string }> {
  // Checks in warehouse's order; it stops at the first failure, we keep going where we can.
  const decompressed = zip.entries.reduce((n, e) => n + e.size, 0);
  if (decompressed > COMPRESSION_RATIO_MIN_SIZE && decompressed / zip.fileSize > COMPRESSION_RATIO_THRESHOLD) {
    problems.push(invalid('zip-compression-ratio', filename, `File exceeds compression ratio of ${COMPRESSION_RATIO_THRESHOLD}`, `PyPI refuses archives that expand more than ${COMPRESSION_RATIO_THRESHOLD}× when they unpack to over 64 MiB: remove large generated or padding files from the dist.`));
  }
  if (zip.entries.some((e) => e.method !== 0 && e.method !== 8)) {
    problems.push(invalid('zip-compression-type', filename, 'File does not use a supported compression type', 'Use only STORED or DEFLATED members (the default of every wheel builder); do not recompress with bzip2/lzma/zstd.'));
  }
  let metadataPath: string;
  let licenseBase = '';
  if (kind === 'sdist') {
    const top = commonPath(zip.entries.map((e) => e.name));
    if (top === '' || top === '.' || top === '/') {
      problems.push(invalid('sdist-top-level', filename, 'Incorrect number of top-level directories in sdist', 'Build the sdist with `python -m build --sdist` (PyPI only accepts .tar.gz sdists anyway).'));
      return { licenseBase };
    }
    metadataPath = `${top}/PKG-INFO`;
    licenseBase = `${top}/`;
    if (!zip.byName.has(metadataPath)) {
      problems.push(invalid('sdist-no-pkg-info', filename, `PKG-INFO not found at ${metadataPath}`, 'Build the sdist with `python -m build --sdist`.'));
      return { licenseBase };
    }
  } else {
    const parts = filename.split('-');
    if (parts.length < 3) {
      problems.push(invalid('wheel-filename-unparsable', filename, 'Unable to parse name and version from wheel filename', 'Wheel names are {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl; rebuild instead of renaming.'));
      return { licenseBase };
    }
    const distInfo = `${parts[0]}-${parts[1]}.dist-info`;
    licenseBase = `${distInfo}/licenses/`;
    if (!zip.byName.has(`${distInfo}/WHEEL`)) {
      problems.push(invalid('wheel-no-wheel-file', filename, `WHEEL not found at ${distInfo}/WHEEL`, `The wheel's .dist-info directory must be named exactly ${distInfo} (name and version as in the file name); rebuild the wheel rather than renaming it.`));
    }
    metadataPath = `${distInfo}/METADATA`;
  }
  const framing = await validateZipFraming(src, zip);
  if (framing) {
    problems.push(invalid('zip-framing', filename, `ZIP archive not accepted: ${framing}. ${ARCHIVES_DOC} for more information`, 'Rebuild the dist with a standard tool (build, pip wheel, maturin, uv build); do not append to, concatenate or hand-edit the archive.'));
  }
  if (kind === 'wheel') {
    const distInfo = metadataPath.slice(0, -'/METADATA'.length);
    if (!zip.byName.has(`${distInfo}/RECORD`)) {
      problems.push(error('wheel-no-record', filename, `Wheel '${filename}' does not contain the required RECORD file: ${distInfo}/RECORD`, 'Rebuild the wheel with a standard build backend; every wheel must have a RECORD.'));
    }
    if (!zip.byName.has(metadataPath)) {
      problems.push(error('wheel-no-metadata', filename, `Wheel '${filename}' does not contain the required METADATA file: ${metadataPath}`, 'The .dist-info directory must match the file name\'s {name}-{version}; rebuild rather than rename the wheel.'));
      // Still read the metadata if exactly one .dist-info/METADATA exists, to report more.
      const others = zip.entries.filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
      if (others.length !== 1) return { licenseBase };
      metadataPath = (others[0] as { name: string }).name;
    }
  }
  const entry = zip.byName.get(metadataPath);
  if (!entry) return { licenseBase };
  try {
    return { metadata: await zip.read(entry, MAX_METADATA), licenseBase };
  } catch (e) {
    problems.push(invalid('zip-member-unreadable', filename, `Cannot read ${metadataPath}: ${(e as Error).message}`, REBUILD));
    return { licenseBase };
  }
}
