// A ZIP dist (wheel, or a .zip sdist) read the way warehouse judges it, in its order
// (warehouse/forklift/legacy.py `_is_valid_dist_file` then the wheel checks of file_upload):
// zip at all, compression ratio, compression methods, the sdist's top-level PKG-INFO or the wheel's
// WHEEL, the content scan, the ZIP framing, then (wheels) RECORD, entry_points.txt, METADATA, and the
// length of "<filename>.metadata". A small file is read into memory once; a large one is read by
// random access for the checks and sequentially for the digest (ZIP's index is at its end).

import { readFile } from 'node:fs/promises';
import { ArchiveLimitError } from './archive/limits.ts';
import { BLOCK, HeaderError, parseHeader } from './archive/tar-header.ts';
import { commonPath, MixedPathsError, mixedPathsCause } from './archive/tar.ts';
import {
  bufferSource,
  type ByteSource,
  COMPRESSION_RATIO_MIN_SIZE,
  COMPRESSION_RATIO_THRESHOLD,
  fileSource,
  openZip,
  validateZipFraming,
  type ZipArchive,
  type EndRecord,
  isZipfileRecord,
  type ZipEntry,
  ZipError,
  zipEndRecord,
} from './archive/zip.ts';
import { digestBytes, digestBytesAll, digestFile } from './digest.ts';
import { entryPointsError } from './entry-points.ts';
import { error, serverError } from './problem.ts';
import { RANK } from './rank.ts';
import { isScanned, SCAN_MAX_FILE_SIZE, scanMember } from './scan.ts';
import type { Digests, DistKind, Problem } from './types.ts';
import { recordVerdict, type RecordVerdict } from './wheel-record.ts';

import { SHOWN_DIGESTS_WITH_CHECKS_MAX, WHOLE_READ_MAX } from '../tunables.ts';
import { PY_UTF8 } from './python-text.ts';

const ALL_DIGESTS = ['sha256', 'md5', 'blake2b256'] as const;
export { WHOLE_READ_MAX };
/** Largest METADATA / PKG-INFO we read (long descriptions are legitimately large). */
const MAX_METADATA = 32 * 1024 * 1024;
/**
 * RECORD grows with the wheel's files (~100 bytes each) and is read whole, as warehouse does: up to
 * what one read may hold (zip.ts MAX_READ, 128 MiB) with its compressed bytes (at most 1/8 more).
 */
const MAX_RECORD = 112 * 1024 * 1024;
const ARCHIVES_DOC = 'See https://docs.pypi.org/archives';
/** Longest file name a file system takes: PyPI writes "<filename>.metadata" next to a wheel. */
const NAME_MAX = 255;

export const REBUILD = 'Rebuild the dist with a standard build backend (`python -m build`) rather than repacking it by hand.';

/** A problem at a place in PyPI's order (rank.ts). */
export const ranked = (p: Problem, rank: number): Problem => ({ ...p, rank });
/** warehouse's "Invalid distribution file. <reason>", `offset` places into the archive checks. */
export const invalid = (code: string, file: string, reason: string, fix: string, offset = 0): Problem =>
  ranked(error(code, file, `Invalid distribution file. ${reason}`, fix), RANK.archive + offset);

/** What reading an archive gave: its digest, its core metadata, its member names, its problems. */
export interface ArchiveRead {
  digests: Digests;
  metadata?: Buffer;
  memberNames?: Set<string>;
  licenseBase: string;
  /** A wheel's members under its licenses directory that zipfile cannot read, with why (License-File is read outside the archive checks). */
  unreadableLicenses?: Map<string, Error>;
  problems: Problem[];
  digesting?: Promise<DeferredDigest>;
}

/** A large dist's digests, read after its checks, or the problem of a read that failed. */
export type DeferredDigest = { digests: Digests } | { problem: Problem };

export interface ZipReadOptions {
  wholeReadMax?: number;
  deferLargeDigest?: boolean;
  digestLarge?: (path: string, size: number) => Promise<Digests>;
  /** The problem for a read that failed. */
  unreadable: (e: unknown) => Problem;
}

export async function readZipFile(abs: string, filename: string, kind: DistKind, size: number, opts: ZipReadOptions): Promise<ArchiveRead> {
  const problems: Problem[] = [];
  const whole = size <= (opts.wholeReadMax ?? WHOLE_READ_MAX) ? await readFile(abs) : undefined;
  const src = whole ? bufferSource(whole) : await fileSource(abs);
  let digests: Digests;
  let digesting: Promise<DeferredDigest> | undefined;
  try {
    // The smallest dists' print-hash digests come from this read, whichever way it reads.
    const shownToo = size <= SHOWN_DIGESTS_WITH_CHECKS_MAX;
    if (whole) digests = shownToo ? await digestBytesAll(whole) : digestBytes(whole);
    else if (opts.deferLargeDigest) {
      digests = { sha256: '' };
      // Read after the checks were answered, so the file must still have the size they saw.
      digesting = (opts.digestLarge ?? ((p, n) => digestFile(p, undefined, n)))(abs, size).then(
        (d) => ({ digests: d }),
        (e: unknown) => ({ problem: opts.unreadable(e) }),
      );
    } else digests = await digestFile(abs, shownToo ? ALL_DIGESTS : undefined);
    const zip = await openOrReport(src, filename, problems);
    if (!zip) return { digests, problems, licenseBase: '', ...(digesting ? { digesting } : {}) };
    const r = await checkZipDist(src, filename, kind, zip, problems);
    return { digests, problems, memberNames: new Set(zip.entries.map((e) => e.name)), ...r, ...(digesting ? { digesting } : {}) };
  } finally {
    await src.close();
  }
}

/** warehouse's first archive check: a file both zipfile and tarfile read is refused. */
export const bothZipAndTar = (filename: string): Problem =>
  invalid(
    'dist-zip-and-tar',
    filename,
    'File is both a zip and a tar file',
    'PyPI refuses a file that reads both as a ZIP and as a tar archive. Rebuild it with `python -m build`; an sdist reads as a ZIP when its last 64 KiB hold a ZIP end record (PK\\x05\\x06), by chance in compressed bytes: any change to the content or the build time moves it.',
  );

/**
 * warehouse's first checks, in its order. It opens the archive before it judges it
 * (`_open_dist_file`): what zipfile.ZipFile raises there, BadZipFile aside, is a server error before
 * anything else. Then zipfile.is_zipfile and tarfile.is_tarfile (both true: refused), not a ZIP, and
 * the archive ZipFile could not open ("None").
 */
async function openOrReport(src: ByteSource, filename: string, problems: Problem[]): Promise<ZipArchive | undefined> {
  const record = await zipEndRecord(src);
  const opened = await openedZip(src, record);
  if (opened instanceof ZipError && opened.python !== 'BadZipFile') {
    problems.push(
      serverError('zip-server-error', filename, `zipfile raises ${opened.python} reading its central directory (${opened.message})`, RANK.archive, REBUILD),
    );
    return undefined;
  }
  const zipfile = await isZipfileRecord(src, record);
  if (zipfile && (await readsAsTar(src))) {
    problems.push(bothZipAndTar(filename));
    return undefined;
  }
  if (!zipfile) {
    const fix = src.size === 0 ? 'The file is empty: rebuild it; if it passed through upload-artifact/download-artifact, check that step completed.' : REBUILD;
    problems.push(invalid('zip-not-zip', filename, 'File is not a zipfile', fix));
    return undefined;
  }
  if (!(opened instanceof Error)) return opened;
  if (opened instanceof ArchiveLimitError)
    problems.push(
      ranked(
        error('zip-limit', filename, `The archive was not read: ${opened.message}, past the bound this action sets on the work one archive may cost.`, REBUILD),
        RANK.archive,
      ),
    );
  else problems.push(invalid('zip-unreadable', filename, 'None', `The ZIP archive cannot be read (${opened.message}). ${REBUILD}`));
  return undefined;
}

/** zipfile.ZipFile on the end record `zipEndRecord` found: the archive, or what opening it raised. */
async function openedZip(src: ByteSource, record: EndRecord | ZipError | undefined): Promise<ZipArchive | Error> {
  if (record instanceof ZipError) return record;
  if (!record) return new ZipError('File is not a zip file');
  try {
    return await openZip(src, record);
  } catch (e) {
    return e as Error;
  }
}

/** Headers whose data applies to the header after them (pax, Solaris pax, GNU long name and link). */
const EXTENDED = new Set(['x', 'g', 'X', 'L', 'K']);

/**
 * tarfile.is_tarfile of a ZIP: whether it starts with a header tarfile reads, after any extended
 * headers (a file made to be both; a compressed tar before the ZIP is not looked for). warehouse
 * refuses such a file first.
 */
async function readsAsTar(src: ByteSource): Promise<boolean> {
  try {
    for (let at = 0, hops = 0; hops < 16; hops++) {
      const { type, size } = parseHeader(await src.readAt(at, BLOCK));
      if (!EXTENDED.has(type)) return true;
      at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    return false;
  } catch (e) {
    if (e instanceof HeaderError || e instanceof ZipError) return false;
    throw e;
  }
}

/** The checks of _is_valid_dist_file on a ZIP, then a wheel's own. */
async function checkZipDist(
  src: ByteSource,
  filename: string,
  kind: DistKind,
  zip: ZipArchive,
  problems: Problem[],
): Promise<{ metadata?: Buffer; licenseBase: string; unreadableLicenses?: Map<string, Error> }> {
  const decompressed = zip.entries.reduce((n, e) => n + e.size, 0);
  if (decompressed > COMPRESSION_RATIO_MIN_SIZE && decompressed / zip.fileSize > COMPRESSION_RATIO_THRESHOLD) {
    problems.push(
      invalid(
        'zip-compression-ratio',
        filename,
        `File exceeds compression ratio of ${COMPRESSION_RATIO_THRESHOLD}`,
        `PyPI refuses archives that expand more than ${COMPRESSION_RATIO_THRESHOLD}× when they unpack to over 64 MiB: remove large generated or padding files from the dist.`,
        1,
      ),
    );
  }
  if (zip.entries.some((e) => e.method !== 0 && e.method !== 8)) {
    problems.push(
      invalid(
        'zip-compression-type',
        filename,
        'File does not use a supported compression type',
        'Use only STORED or DEFLATED members (the default of every wheel builder); do not recompress with bzip2/lzma/zstd.',
        2,
      ),
    );
  }
  const layout = kind === 'sdist' ? sdistLayout(zip, filename, problems) : await wheelLayout(zip, filename, problems);
  if (!layout) return { licenseBase: '' };
  const scanned = await scanZip(zip, filename);
  if (scanned?.found)
    problems.push(
      invalid('dist-encrypted', filename, scanned.found, 'PyPI refuses obfuscated or encrypted code (PyArmor, SourceDefender): publish the source.', 4),
    );
  if (scanned?.unreadable) problems.push(scanned.unreadable);
  const framing = await validateZipFraming(src, zip);
  if (framing) {
    problems.push(
      invalid(
        'zip-framing',
        filename,
        `ZIP archive not accepted: ${framing}. ${ARCHIVES_DOC} for more information`,
        'Rebuild the dist with a standard tool (build, pip wheel, maturin, uv build); do not append to, concatenate or hand-edit the archive.',
        5,
      ),
    );
  }
  let metadataPath = layout.metadataPath;
  const read = { licenseBase: layout.licenseBase, ...(kind === 'wheel' ? { unreadableLicenses: await unreadableUnder(zip, layout.licenseBase) } : {}) };
  if (kind === 'wheel') {
    const found = await wheelMembers(zip, filename, layout.distInfo, problems);
    if (found === undefined) return read;
    metadataPath = found;
  }
  const entry = zip.byName.get(metadataPath);
  if (!entry) return read;
  try {
    return { metadata: await zip.read(entry, MAX_METADATA), ...read };
  } catch (e) {
    // An sdist's PKG-INFO is read inside the archive checks, a wheel's METADATA after them.
    problems.push(
      kind === 'wheel' && entry.size <= MAX_METADATA
        ? memberServerError(filename, metadataPath, e, 'METADATA', RANK.wheelMetadata)
        : unreadableInsideChecks(filename, metadataPath, e, 5),
    );
    return read;
  }
}

/** The members under `dir` zipfile fails to read (the last of each name, as zipfile.read takes it), with why. */
async function unreadableUnder(zip: ZipArchive, dir: string): Promise<Map<string, Error>> {
  const failing = new Map<string, Error>();
  for (const [name, entry] of zip.byName) {
    if (!name.startsWith(dir) || name.endsWith('/')) continue;
    const { fails } = await readOutsideChecks(zip, entry);
    if (fails) failing.set(name, fails);
  }
  return failing;
}

interface Layout {
  metadataPath: string;
  licenseBase: string;
  distInfo: string;
}

function sdistLayout(zip: ZipArchive, filename: string, problems: Problem[]): Layout | undefined {
  let top: string;
  try {
    top = commonPath(zip.entries.map((e) => e.name));
  } catch (e) {
    if (!(e instanceof MixedPathsError)) throw e;
    problems.push(serverError('sdist-server-error', filename, mixedPathsCause(e), RANK.archive + 3, REBUILD));
    return undefined;
  }
  if (top === '' || top === '.' || top === '/') {
    problems.push(
      invalid(
        'sdist-top-level',
        filename,
        'Incorrect number of top-level directories in sdist',
        'Build the sdist with `python -m build --sdist` (PyPI only accepts .tar.gz sdists anyway).',
        3,
      ),
    );
    return undefined;
  }
  const metadataPath = `${top}/PKG-INFO`;
  if (!zip.byName.has(metadataPath)) {
    problems.push(invalid('sdist-no-pkg-info', filename, `PKG-INFO not found at ${metadataPath}`, 'Build the sdist with `python -m build --sdist`.', 3));
    return undefined;
  }
  return { metadataPath, licenseBase: `${top}/`, distInfo: '' };
}

async function wheelLayout(zip: ZipArchive, filename: string, problems: Problem[]): Promise<Layout | undefined> {
  const parts = filename.split('-');
  if (parts.length < 3) {
    problems.push(
      invalid(
        'wheel-filename-unparsable',
        filename,
        'Unable to parse name and version from wheel filename',
        'Wheel names are {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl; rebuild instead of renaming.',
        3,
      ),
    );
    return undefined;
  }
  const distInfo = `${parts[0]}-${parts[1]}.dist-info`;
  if (!zip.byName.has(`${distInfo}/WHEEL`)) {
    problems.push(
      invalid(
        'wheel-no-wheel-file',
        filename,
        `WHEEL not found at ${distInfo}/WHEEL`,
        `The wheel's .dist-info directory must be named exactly ${distInfo} (name and version as in the file name); rebuild the wheel rather than renaming it.`,
        3,
      ),
    );
    return undefined;
  }
  // warehouse reads WHEEL inside its archive checks.
  const wheel = zip.byName.get(`${distInfo}/WHEEL`) as ZipEntry;
  if (wheel.size <= MAX_METADATA) {
    try {
      await zip.read(wheel, MAX_METADATA);
    } catch (e) {
      problems.push(unreadableInsideChecks(filename, `${distInfo}/WHEEL`, e, 3));
      return undefined;
    }
  }
  return { metadataPath: `${distInfo}/METADATA`, licenseBase: `${distInfo}/licenses/`, distInfo };
}

/**
 * PyPI's content scan over the .py / .pye members: the first rule message that matches, or the
 * problem of a member it cannot read (a member without a name is no directory and is read, as
 * CPython 3.12 and later take it).
 */
async function scanZip(zip: ZipArchive, filename: string): Promise<{ found?: string; unreadable?: Problem } | undefined> {
  for (const e of zip.entries) {
    if (e.name.endsWith('/') || !isScanned(e.name) || e.size > SCAN_MAX_FILE_SIZE) continue;
    let data: Buffer;
    try {
      // zipfile.read(name) reads the last member of that name.
      data = await zip.read(zip.byName.get(e.name) ?? e, SCAN_MAX_FILE_SIZE);
    } catch (error) {
      return { unreadable: unreadableInsideChecks(filename, e.name, error, 4) };
    }
    const found = scanMember(data);
    if (found) return { found };
  }
  return undefined;
}

const pythonError = (e: unknown): string => (e instanceof ZipError ? e.python : 'an error');

/**
 * A member zipfile fails to read inside warehouse's archive checks, which turn its BadZipFile into
 * "None" and let anything else through (a server error). `offset` places it among those checks.
 */
function unreadableInsideChecks(filename: string, member: string, e: unknown, offset: number): Problem {
  const why = (e as Error).message;
  if (pythonError(e) === 'BadZipFile') return invalid('zip-member-unreadable', filename, 'None', `Cannot read ${member} (${why}). ${REBUILD}`, offset);
  return serverError('zip-server-error', filename, `zipfile raises ${pythonError(e)} on ${member} (${why})`, RANK.archive + offset, REBUILD);
}

/**
 * A member warehouse reads outside the archive checks, where zipfile's errors (a bad CRC, an
 * encrypted member) are not caught: its bytes, or why zipfile fails on it. A member past the
 * read limit counts as absent (warehouse would read it whole).
 */
async function readOutsideChecks(zip: ZipArchive, entry: ZipEntry, limit = MAX_METADATA): Promise<{ data?: Buffer; fails?: Error }> {
  try {
    return { data: await zip.read(entry, limit) };
  } catch (e) {
    return entry.size > limit ? {} : { fails: e as Error };
  }
}

/** zipfile fails on a member warehouse reads outside its archive checks. */
export function memberServerError(filename: string, member: string, e: unknown, reading: string, rank: number): Problem {
  const cause = `zipfile raises ${pythonError(e)} on ${member} (${(e as Error).message}) when warehouse reads ${reading}`;
  return serverError('wheel-member-server-error', filename, cause, rank, REBUILD);
}

/** RECORD as warehouse checks it (wheel-record.ts): refused, a server error, or a mismatch PyPI e-mails the owners about. */
async function checkRecord(zip: ZipArchive, filename: string, distInfo: string, problems: Problem[]): Promise<void> {
  const path = `${distInfo}/RECORD`;
  const entry = zip.byName.get(path);
  if (entry && entry.size > MAX_RECORD) return void problems.push(ranked(tooLargeToRead(filename, path, entry.size, MAX_RECORD), RANK.record));
  const read = entry ? await readOutsideChecks(zip, entry, MAX_RECORD) : {};
  if (read.fails) return void problems.push(memberServerError(filename, path, read.fails, 'RECORD', RANK.record));
  let verdict: RecordVerdict = { kind: 'unreadable' };
  try {
    if (read.data) verdict = recordVerdict(PY_UTF8.decode(read.data), zip.byName.keys(), distInfo);
  } catch {
    // not UTF-8: warehouse's UnicodeError
  }
  const at = (p: Problem) => void problems.push(ranked(p, RANK.record));
  if (verdict.kind === 'unreadable') {
    at(
      error(
        'wheel-no-record',
        filename,
        `Wheel '${filename}' does not contain the required RECORD file: ${path}`,
        'Rebuild the wheel with a standard build backend; every wheel must have a RECORD (in UTF-8, no field over 131,072 characters).',
      ),
    );
  } else if (verdict.kind === 'blank-line') {
    const cause = `${path} has a blank line, whose empty row warehouse cannot unpack (ValueError)`;
    problems.push(serverError('wheel-member-server-error', filename, cause, RANK.record, `Remove the blank lines from RECORD, or better: ${REBUILD}`));
  } else if (verdict.unlisted.length > 0 || verdict.absent.length > 0) {
    at(recordMismatch(filename, path, verdict));
  }
}

/** A member warehouse reads whole, past the most this action reads at once: a bound of its own, said as one. */
function tooLargeToRead(filename: string, path: string, size: number, bound: number): Problem {
  return error(
    'zip-limit',
    filename,
    `${path} was not read: it is ${size} bytes, past the bound of ${bound} bytes this action sets on one member it reads.`,
    REBUILD,
  );
}

function recordMismatch(filename: string, path: string, { unlisted, absent }: { unlisted: string[]; absent: string[] }): Problem {
  const some = (names: string[]) => names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  const parts = [unlisted.length > 0 ? `does not list ${some(unlisted)}` : '', absent.length > 0 ? `lists ${some(absent)}, which the wheel does not hold` : ''];
  return {
    severity: 'warning',
    code: 'wheel-record-mismatch',
    file: filename,
    message: `${path} ${parts.filter(Boolean).join(', and ')}: PyPI accepts the wheel, and e-mails the project's owners that its RECORD does not match its files.`,
    fix: `Installers trust RECORD to know what to uninstall: ${REBUILD}`,
  };
}

/** RECORD, entry_points.txt and METADATA of a wheel, then its name's length; returns the METADATA path to read. */
async function wheelMembers(zip: ZipArchive, filename: string, distInfo: string, problems: Problem[]): Promise<string | undefined> {
  const at = (rank: number, code: string, message: string, fix: string): void => void problems.push(ranked(error(code, filename, message, fix), rank));
  await checkRecord(zip, filename, distInfo, problems);
  const ep = zip.byName.get(`${distInfo}/entry_points.txt`);
  const epRead = ep ? await readOutsideChecks(zip, ep) : {};
  if (epRead.fails) {
    problems.push(memberServerError(filename, `${distInfo}/entry_points.txt`, epRead.fails, 'entry_points.txt', RANK.entryPoints));
  } else if (epRead.data) {
    const why = entryPointsError(epRead.data);
    if (why)
      at(
        RANK.entryPoints,
        'wheel-entry-points',
        `Wheel '${filename}' has invalid entry points defined in the entry_points.txt file`,
        `${why}. Fix [project.scripts] / [project.gui-scripts] / entry-points in pyproject.toml: names may hold only letters, digits, "_", "." and "-", and each may appear once.`,
      );
  }
  let metadataPath = `${distInfo}/METADATA`;
  if (!zip.byName.has(metadataPath)) {
    at(
      RANK.wheelMetadata,
      'wheel-no-metadata',
      `Wheel '${filename}' does not contain the required METADATA file: ${metadataPath}`,
      "The .dist-info directory must match the file name's {name}-{version}; rebuild rather than rename the wheel.",
    );
    // Still read the metadata if exactly one .dist-info/METADATA exists, to report more.
    const others = zip.entries.filter((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
    if (others.length !== 1) return undefined;
    metadataPath = (others[0] as { name: string }).name;
  }
  if (Buffer.byteLength(`${filename}.metadata`) > NAME_MAX) {
    at(
      RANK.tooLong,
      'dist-name-too-long',
      `Filename is too long: '${filename}'`,
      `PyPI stores "<file name>.metadata" next to a wheel, so a wheel's name may have at most ${NAME_MAX - 9} bytes (this one has ${Buffer.byteLength(filename)}): shorten the project name, version or build tag.`,
    );
  }
  return metadataPath;
}
