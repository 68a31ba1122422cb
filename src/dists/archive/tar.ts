// Streaming sdist (.tar.gz) reader: gunzip + a tarfile-faithful tar reader over the same bytes the
// digests are computed from, so an sdist is read exactly once. Nothing is extracted; only PKG-INFO
// candidates are kept (bounded), plus member names (needed for PyPI's License-File check).
//
// PyPI's checks (pypi/warehouse warehouse/forklift/legacy.py `_is_valid_dist_file`): gzip+tar must
// parse; no sparse members; os.path.commonpath of all names is the single top-level directory;
// `{top}/PKG-INFO` exists. The archive is read as Python's gzip and tarfile read it
// (src/dists/archive/gzip.ts, tarfile.ts), so PyPI's verdict is known. Ours on top (pip's and PEP
// 706's extraction filters refuse these, and they have no business in an sdist): members escaping
// the top directory (absolute or `..`), symlinks/hardlinks pointing outside it, device/FIFO members.

import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, GzipEndError, GzipError, NotGzipError } from './gzip.ts';
import { type DataSink, isRegular, NotTarError, Tarfile, type TarMember } from './tarfile.ts';
import { TarValueError } from './tar-pax.ts';
import { ARCHIVE_LIMITS, ArchiveLimitError, readDeadlineMs } from './limits.ts';
import { isScanned, SCAN_MAX_FILE_SIZE, scanMember } from '../scan.ts';
import { optimizeFromNowOn } from '../../io/optimizing-compilers.ts';
import { OPTIMIZE_TAR_MEMBERS } from '../../tunables.ts';

export interface TarIssue {
  /** Stable code (used as the Problem code). */
  code: string;
  /** Reason; for PyPI's own checks, the text after "Invalid distribution file. ". */
  reason: string;
  /** True when PyPI itself rejects this (the text is PyPI's). */
  pypi: boolean;
  /** sdist-not-gzip: how the tar is compressed instead of gzip. */
  compression?: 'none' | 'bzip2' | 'xz' | 'zstd';
}

export interface TarScan {
  names: string[];
  /** os.path.commonpath(names) as warehouse computes it ('' if none or mixed). */
  topLevel: string;
  /** Bytes of `{top}/PKG-INFO`, when found. */
  pkgInfo?: Buffer;
  issues: TarIssue[];
  /** The file does not start as gzip does (it may still be a tar of another compression, or none). */
  notGzip?: boolean;
  /**
   * tarfile.open raised reading the first member what warehouse does not catch from is_tarfile (a
   * ValueError, or the EOFError of gzip data cut short): the upload fails (a server error) before
   * anything else is asked of the file.
   */
  raisedAtOpen?: boolean;
}

export const MAX_PKG_INFO = 32 * 1024 * 1024;

/** os.path.commonpath's ValueError on names some absolute and some relative (warehouse does not catch it). */
export class MixedPathsError extends Error {
  constructor() {
    super("Can't mix absolute and relative paths");
  }
}

export const mixedPathsCause = (e: MixedPathsError): string => `os.path.commonpath raises ValueError (${e.message}) on its member names`;

export function commonPath(paths: string[]): string {
  if (paths.length === 0) return '';
  const abs = (paths[0] as string).startsWith('/');
  if (paths.some((p) => p.startsWith('/') !== abs)) throw new MixedPathsError();
  const split = paths.map((p) => p.split('/').filter((c) => c && c !== '.'));
  let common = split[0] as string[];
  for (const s of split) {
    let i = 0;
    while (i < common.length && i < s.length && common[i] === s[i]) i++;
    common = common.slice(0, i);
  }
  return (abs ? '/' : '') + common.join('/');
}

/** Normalize a POSIX path, keeping leading ".." (to detect escapes). */
function normalize(path: string): string {
  const out: string[] = [];
  for (const c of path.split('/')) {
    if (!c || c === '.') continue;
    if (c === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(c);
  }
  return out.join('/');
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Options of scanSdistTar. */
export interface TarScanOptions {
  /** The compressed file's size, which sets the time reading it may take (readDeadlineMs). */
  size: number;
  /** The clock (tests give a fake one to run past the deadline). */
  now?: () => number;
}

/** The work done so far on one archive, refused (ArchiveLimitError) once past ARCHIVE_LIMITS. */
class TarBudget {
  members = 0;
  nameBytes = 0;
  readonly #allowedMs: number;
  readonly #deadline: number;
  readonly #now: () => number;
  constructor(opts: TarScanOptions) {
    this.#now = opts.now ?? Date.now;
    this.#allowedMs = readDeadlineMs(opts.size);
    this.#deadline = this.#now() + this.#allowedMs;
  }

  /** A member's name, and its link target when a link's is kept: both are held until the end. */
  member(name: string, keptTarget: string): void {
    const L = ARCHIVE_LIMITS;
    if (++this.members > L.members) throw new ArchiveLimitError(`it has more than ${L.members} members`);
    this.nameBytes += Buffer.byteLength(name) + Buffer.byteLength(keptTarget);
    if (this.nameBytes > L.totalNameBytes) throw new ArchiveLimitError(`its member names add up to more than ${L.totalNameBytes} bytes`);
    this.#inTime();
  }

  #inTime(): void {
    if (this.#now() > this.#deadline) throw new ArchiveLimitError(`reading it took longer than ${this.#allowedMs / 1000} s`);
  }

  /** An extended header's data, held whole before the member it names: pax records, or a GNU long name. */
  extended(kind: 'pax' | 'global' | 'name', bytes: number): void {
    const L = ARCHIVE_LIMITS;
    if (bytes <= L.headerBytes) return;
    const member = this.members + 1;
    throw new ArchiveLimitError(
      kind === 'name'
        ? `member ${member} has a name or link target over ${L.headerBytes} bytes (${bytes})`
        : `member ${member} has over ${L.headerBytes} bytes of pax header records`,
    );
  }

  /** Bytes inflated: one member may be most of a bomb, so the clock is read here too. */
  inflated(): void {
    this.#inTime();
  }
}

/** What the scan learnt so far, member by member. */
class TarFindings {
  readonly names: string[] = [];
  readonly issues: TarIssue[] = [];
  readonly pkgInfos = new Map<string, Buffer>();
  /** PKG-INFO members that are no regular file, by name: their type flag. */
  readonly otherPkgInfos = new Map<string, string>();
  readonly links: Array<{ name: string; target: string; hard: boolean }> = [];
  sparse = false;
  /** The message of PyPI's content scan for the first member it matches. */
  encrypted: string | undefined;
  #pkgInfoBytes = 0;

  /**
   * Keeps one `{dir}/PKG-INFO` candidate (the top directory is known only at the end). A real sdist
   * has one; many, in many top directories, would each be kept: together they are bounded too.
   */
  keepPkgInfo(name: string, bytes: Buffer): void {
    this.#pkgInfoBytes += bytes.length - (this.pkgInfos.get(name)?.length ?? 0);
    if (this.#pkgInfoBytes > MAX_PKG_INFO) throw new ArchiveLimitError(`its PKG-INFO files add up to more than ${MAX_PKG_INFO} bytes`);
    this.pkgInfos.set(name, bytes);
  }

  issue(code: string, reason: string, pypi = false): void {
    if (this.issues.length < 50 && !this.issues.some((i) => i.code === code && i.reason === reason)) this.issues.push({ code, reason, pypi });
  }

  #longNameNamed = false;

  /** Names the first member whose name or link target no installer can unpack. */
  #longName(name: string, linkname: string): void {
    if (this.#longNameNamed) return;
    const longest = Math.max(Buffer.byteLength(name), Buffer.byteLength(linkname));
    if (longest <= ARCHIVE_LIMITS.nameBytes) return;
    this.#longNameNamed = true;
    this.issue('sdist-long-name', `member ${JSON.stringify(clip(name))} has a name or link target of ${longest} bytes`);
  }

  /** Notes one member's name, kind and links. */
  member(m: TarMember): void {
    if (m.sparse) this.sparse = true;
    const name = m.name;
    this.names.push(name);
    if (this.names.length === OPTIMIZE_TAR_MEMBERS) optimizeFromNowOn();
    if (PKG_INFO.test(name) && !isRegular(m.type)) this.otherPkgInfos.set(name, m.type);
    const norm = normalize(name);
    if (name.startsWith('/') || norm === '..' || norm.startsWith('../')) {
      this.issue('sdist-member-escapes', `member ${JSON.stringify(name)} is outside the top-level directory (absolute path or "..")`);
    } else if (name.split('/').includes('..')) {
      this.issue('sdist-member-escapes', `member ${JSON.stringify(name)} contains ".." path components`);
    }
    if (isLink(m.type)) this.links.push({ name, target: m.linkname, hard: m.type === '1' });
    this.#longName(name, m.linkname);
    const special = SPECIAL[m.type];
    if (special) this.issue('sdist-special-member', `member ${JSON.stringify(name)} is a ${special}; an sdist may hold only files, directories and links`);
    // Any other type is a file to tarfile (types it does not know included), or sparse ('S').
  }
}

const isLink = (type: string): boolean => type === '1' || type === '2';

/** A name short enough for a message: its start, then how much was left out. */
const clip = (name: string): string => (name.length > 80 ? `${name.slice(0, 60)}… (${name.length - 60} more characters)` : name);

/** A PKG-INFO in any directory. */
const PKG_INFO = /(?:^|\/)PKG-INFO$/;
/** Device and FIFO type flags, by the name the message gives them. */
const SPECIAL: Record<string, string> = { '3': 'character-device', '4': 'block-device', '6': 'fifo' };
/** What the type flags of members other than files make them. */
const KINDS: Record<string, string> = { '1': 'hard link', '2': 'symbolic link', '5': 'directory', ...SPECIAL };

/** Whole bytes of one member's data, collected up to `max` (past it, only counted). */
function collect(max: number, done: (data: Buffer | undefined) => void): DataSink {
  const chunks: Buffer[] = [];
  let total = 0;
  return {
    data(piece) {
      total += piece.length;
      if (total <= max) chunks.push(piece);
    },
    end() {
      done(total <= max ? Buffer.concat(chunks) : undefined);
    },
  };
}

/** Where a member's data goes: .py / .pye files to PyPI's content scan, PKG-INFO kept; others nowhere. */
function memberSink(m: TarMember, found: TarFindings): DataSink | undefined {
  if (!found.encrypted && isScanned(m.name) && m.size <= SCAN_MAX_FILE_SIZE) {
    // PyPI's content scan (src/dists/scan.ts): the first .py / .pye member that matches.
    return collect(SCAN_MAX_FILE_SIZE, (data) => {
      if (data && !found.encrypted) found.encrypted = scanMember(data);
    });
  }
  // Any directory's: warehouse reads {top}/PKG-INFO, and the top directory may lie deeper than one level.
  if (PKG_INFO.test(m.name)) {
    return collect(MAX_PKG_INFO, (data) => {
      if (data) found.keepPkgInfo(m.name, data);
      else found.issue('sdist-pkg-info-too-large', `${m.name} is larger than ${MAX_PKG_INFO} bytes`);
    });
  }
  return undefined;
}

/** What a scan that stopped with `e` found: the error read as PyPI's verdict, or as this action's bound. */
function unreadScan(e: unknown, opened: boolean, found: TarFindings): TarScan {
  const { names, issues } = found;
  if (e instanceof ArchiveLimitError) {
    found.issue('sdist-limit', e.message);
    return { names, topLevel: '', issues };
  }
  if (e instanceof TarValueError) {
    found.issue('sdist-server-error', `tarfile raises ValueError (${e.message})`, false);
    return { names, topLevel: '', issues, ...(opened ? {} : { raisedAtOpen: true }) };
  }
  // The gzip data cut short before tarfile read the first member: tarfile.open and is_tarfile raise
  // EOFError, which warehouse catches at the open and not from is_tarfile.
  if (e instanceof GzipEndError && !opened) {
    found.issue('sdist-server-error', `tarfile raises EOFError reading the first member (${e.message})`, false);
    return { names, topLevel: '', issues, raisedAtOpen: true };
  }
  // A later gzip member's framing that gzip refuses (BadGzipFile, an OSError) once the archive is
  // open: warehouse catches ReadError, EOFError and zlib.error there, not this.
  if (e instanceof GzipError && !(e instanceof GzipEndError) && opened) {
    found.issue('sdist-server-error', `tarfile raises BadGzipFile (${e.message})`, false);
    return { names, topLevel: '', issues };
  }
  // Any other failure before tarfile read the first member makes tarfile.open fail: is_tarfile is false.
  const notTar = e instanceof NotGzipError || e instanceof NotTarError || !opened;
  const msg = (e as Error).message;
  found.issue(notTar ? 'sdist-not-tar' : 'sdist-corrupt', notTar ? 'File is not a tarfile' : `the gzip/tar stream is corrupt (${msg})`, notTar);
  return { names, topLevel: '', issues, ...(e instanceof NotGzipError ? { notGzip: true } : {}) };
}

/** Read a gzip-compressed tar from `input` (consumed to the end). */
export async function scanSdistTar(input: Readable, opts: TarScanOptions): Promise<TarScan> {
  const found = new TarFindings();
  const { names, issues, pkgInfos, links } = found;
  const issue = found.issue.bind(found);
  const budget = new TarBudget(opts);
  const tar = new Tarfile({
    extended: (kind, bytes) => budget.extended(kind, bytes),
    member(m) {
      budget.member(m.name, isLink(m.type) ? m.linkname : '');
      found.member(m);
      return memberSink(m, found);
    },
  });
  // Every chunk tarfile reads is timed; what follows the tar's end is never inflated.
  const walk = {
    take(chunk: Buffer) {
      tar.take(chunk);
      budget.inflated();
    },
    get ended() {
      return tar.ended;
    },
    end: () => tar.end(),
  };

  try {
    await pipeline(input, createGunzip(walk));
  } catch (e) {
    input.destroy();
    return unreadScan(e, tar.opened, found);
  }

  let topLevel: string;
  try {
    topLevel = commonPath(names);
  } catch (e) {
    if (!(e instanceof MixedPathsError)) throw e;
    // warehouse asks for the top level before anything else of the names: nothing after is checked.
    issue('sdist-server-error', mixedPathsCause(e), false);
    return { names, topLevel: '', issues };
  }
  if (found.sparse) {
    issue('sdist-sparse', 'tar archive not accepted: Sparse members are not allowed. See https://docs.pypi.org/archives for more information', true);
  }
  if (topLevel === '' || topLevel === '.' || topLevel === '/') {
    issue('sdist-top-level', 'Incorrect number of top-level directories in sdist', true);
  } else {
    const pkgInfo = pkgInfos.get(`${topLevel}/PKG-INFO`);
    // warehouse finds a PKG-INFO of any kind, but a client reads core metadata from a regular file only.
    const kind = found.otherPkgInfos.get(`${topLevel}/PKG-INFO`);
    if (!pkgInfo && kind !== undefined)
      issue('sdist-pkg-info-not-file', `${topLevel}/PKG-INFO is ${KINDS[kind] ? `a ${KINDS[kind]}` : `of type ${JSON.stringify(kind)}`}, not a regular file`);
    else if (!pkgInfo) issue('sdist-no-pkg-info', `PKG-INFO not found at ${topLevel}/PKG-INFO`, true);
    if (found.encrypted) issue('sdist-encrypted', found.encrypted, true);
    for (const l of links) {
      const resolved = l.hard ? normalize(l.target) : normalize(`${dirname(l.name)}/${l.target}`);
      if (l.target.startsWith('/') || !(resolved === topLevel || resolved.startsWith(`${topLevel}/`))) {
        issue(
          'sdist-link-escapes',
          `${l.hard ? 'hard link' : 'symlink'} ${JSON.stringify(l.name)} points outside ${topLevel}/ (to ${JSON.stringify(l.target)})`,
        );
      }
    }
    const scan: TarScan = { names, topLevel, issues };
    if (pkgInfo) scan.pkgInfo = pkgInfo;
    return scan;
  }
  return { names, topLevel, issues };
}

/**
 * Whether `head`, a file's first bytes, opens as an uncompressed tar: tarfile.is_tarfile tries every
 * compression it knows ("r:*"), so such a file is a tar to warehouse, which then fails to read it as
 * gzip. (A tar in bzip2, xz or zstd is one too; those are not told apart here.)
 */
export function opensAsPlainTar(head: Buffer): boolean {
  const tar = new Tarfile({ extended: () => {}, member: () => undefined });
  try {
    tar.take(head);
  } catch {
    // what comes after the first member does not matter
  }
  return tar.opened;
}
