// ZIP reading for wheels (and the .zip sdists PyPI no longer accepts) with random access and
// bounded memory: the central directory, then only the members we need (METADATA, WHEEL, ...).
// PyPI checks (pypi/warehouse warehouse/forklift/legacy.py `_is_valid_dist_file` and
// warehouse/utils/zipfiles.py `validate_zipfile`) are reproduced here with their reasons, so a
// wheel PyPI would reject as "Invalid distribution file. {reason}" is caught before any token is
// requested. We parse the ZIP ourselves rather than with yauzl because the framing check needs the
// raw records (local headers vs central directory) that yauzl abstracts away.

import { open, type FileHandle } from 'node:fs/promises';
import { constants as zlibConstants, crc32, inflateRawSync } from 'node:zlib';
import { readInto } from '../../io/file-chunks.ts';
import { ARCHIVE_LIMITS, ArchiveLimitError } from './limits.ts';
import { optimizeFromNowOn } from '../../io/optimizing-compilers.ts';
import { OPTIMIZE_ZIP_DIRECTORY_BYTES } from '../../tunables.ts';
import { PY_UTF8 } from '../python-text.ts';
import { pyRepr } from '../pyrepr.ts';

export const ONE_MIB = 1024 * 1024;
/** warehouse COMPRESSION_RATIO_MIN_SIZE / COMPRESSION_RATIO_THRESHOLD. */
export const COMPRESSION_RATIO_MIN_SIZE = 64 * ONE_MIB;
export const COMPRESSION_RATIO_THRESHOLD = 50;
/**
 * The most one read may ask for: the central directory, or one member we need (METADATA, RECORD).
 * Node aborts the whole process (no report) on a file read longer than 2^31 bytes, so a size taken
 * from the archive must never reach a read unchecked.
 */
export const MAX_READ = 128 * ONE_MIB;
/** Our own bound, read whole: a central directory bigger than this (~2 million members) is no Python dist. */
const MAX_CD_SIZE = MAX_READ;

/**
 * zipfile fails: `python` names what it raises. warehouse catches only BadZipFile, and only in its
 * archive checks: anything else, or anything outside them, is a server error at PyPI.
 */
export class ZipError extends Error {
  readonly python: string;
  constructor(message: string, python = 'BadZipFile') {
    super(message);
    this.python = python;
  }
}

export interface ZipEntry {
  /**
   * The name zipfile lists and reads the member by (ZipInfo.filename): as CPython 3.12 and later
   * (which PyPI runs) take it, an Info-ZIP Unicode Path extra field's name when its CRC is the raw
   * name's, else the raw name; either cut at its first NUL.
   */
  name: string;
  /** The raw name decoded (UTF-8 if flag bit 11, else cp437): ZipInfo.orig_filename, what local headers are held to. */
  origName: string;
  rawName: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** where the member's data must end (zipfile's `_end_offset`): the next local header or the central directory */
  endOffset?: number;
}

export interface ZipArchive {
  fileSize: number;
  entries: ZipEntry[];
  byName: Map<string, ZipEntry>;
  /** Bytes of one member (decompressed, CRC-checked), refusing members over `limit`. */
  read(entry: ZipEntry, limit: number): Promise<Buffer>;
}

// Python decodes names without the UTF-8 flag as cp437 (zipfile.ZipFile._RealGetContents).
const CP437_HIGH = 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
function decodeName(raw: Buffer, flags: number): string {
  if (flags & 0x800) {
    try {
      return PY_UTF8.decode(raw);
    } catch {
      throw new ZipError(`'utf-8' codec can't decode the file name ${JSON.stringify(raw.toString('latin1'))}`, 'UnicodeDecodeError');
    }
  }
  let s = '';
  for (const b of raw) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

/**
 * Random access to a dist's bytes: a file (read on demand) or the whole file already in memory
 * (small dists are read once, for the digest and the archive checks alike). A read past the end
 * returns fewer bytes, never an error.
 */
export interface ByteSource {
  readonly size: number;
  readAt(pos: number, len: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** The part of [pos, pos + len) inside a file of `size` bytes; refuses what no dist needs to read. */
function readable(size: number, pos: number, len: number): number {
  if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(len) || pos < 0 || len < 0) throw new ZipError(`Bad offset or size (${pos}, ${len})`);
  if (len > MAX_READ) throw new ZipError(`A read of ${len} bytes is over the ${MAX_READ}-byte limit`);
  return Math.max(0, Math.min(len, size - pos));
}

export function bufferSource(bytes: Buffer): ByteSource {
  return {
    size: bytes.length,
    readAt: async (pos, len) => bytes.subarray(Math.min(pos, bytes.length), Math.min(pos, bytes.length) + readable(bytes.length, pos, len)),
    close: async () => {},
  };
}

/** A file opened for random access; the caller closes it. */
export async function fileSource(path: string): Promise<ByteSource> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    return { size, readAt: (pos, len) => readAt(fh, pos, readable(size, pos, len)), close: () => fh.close() };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  if (len === 0) return Buffer.alloc(0);
  // Unsafe (not zero-filled) is fine: only the bytes actually read are ever exposed.
  const buf = Buffer.allocUnsafe(len);
  return buf.subarray(0, await readInto(fh, buf, pos, len));
}

const u64 = (b: Buffer, o: number): number => Number(b.readBigUInt64LE(o));

interface EntryPlace {
  size: number;
  compressedSize: number;
  localOffset: number;
}

/**
 * ZipInfo._decodeExtra: ZIP64 extended information (only the fields whose 32-bit value is 0xFFFFFFFF
 * are present), and an Info-ZIP Unicode Path (0x7075) that names the member when it is version 1 and
 * carries the CRC-32 of the raw name.
 */
function decodeExtra(extra: Buffer, place: EntryPlace, rawName: Buffer): EntryPlace & { unicodeName?: string } {
  const out: EntryPlace & { unicodeName?: string } = { ...place };
  for (let e = 0; e + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(e);
    const len = extra.readUInt16LE(e + 2);
    if (e + 4 + len > extra.length) throw new ZipError(`Corrupt extra field ${id.toString(16).padStart(4, '0')} (size=${len})`);
    if (id === 0x0001) {
      let q = e + 4;
      const take = (): number => {
        if (q + 8 > e + 4 + len) throw new ZipError('Corrupt zip64 extra field.');
        const v = u64(extra, q);
        q += 8;
        return v;
      };
      if (out.size === 0xffffffff) out.size = take();
      if (out.compressedSize === 0xffffffff) out.compressedSize = take();
      if (out.localOffset === 0xffffffff) out.localOffset = take();
    } else if (id === 0x7075) {
      const name = unicodePath(extra.subarray(e + 4, e + 4 + len), rawName);
      if (name) out.unicodeName = name;
    }
    e += 4 + len;
  }
  return out;
}

function unicodePath(data: Buffer, rawName: Buffer): string | undefined {
  if (data.length < 5) throw new ZipError('Corrupt unicode path extra field (0x7075)');
  if (data[0] !== 1 || data.readUInt32LE(1) !== crc32(rawName) >>> 0) return undefined;
  try {
    // An empty name is only warned of: the raw one stays.
    return PY_UTF8.decode(data.subarray(5)) || undefined;
  } catch {
    throw new ZipError('Corrupt unicode path extra field (0x7075): invalid utf-8 bytes');
  }
}

/** zipfile's _sanitize_filename on POSIX: a name ends at its first NUL. */
const cutAtNul = (name: string): string => {
  const nul = name.indexOf('\0');
  return nul < 0 ? name : name.slice(0, nul);
};

/** What zipfile._EndRecData returns that a reading needs (the ZIP64 record's, when there is one). */
export interface EndRecord {
  diskNumber: number;
  diskStart: number;
  entriesTotal: number;
  cdSize: number;
  cdOffset: number;
  /** where the end record (or the ZIP64 one) starts: what comes before the central directory is found from it */
  location: number;
}

/**
 * zipfile._EndRecData of CPython 3.14, which PyPI runs: undefined when the file has no end record
 * where zipfile looks; a ZIP64 locator or record it refuses throws (BadZipFile).
 */
async function endRecord(src: ByteSource): Promise<EndRecord | undefined> {
  if (src.size < 22) return undefined;
  const tailLen = Math.min(src.size, EOCD_SEARCH);
  const tail = await src.readAt(src.size - tailLen, tailLen);
  const at = endOfCentralDirectory(tail);
  if (at === undefined) return undefined;
  const eocd = tail.subarray(at, at + 22);
  const record: EndRecord = {
    diskNumber: eocd.readUInt16LE(4),
    diskStart: eocd.readUInt16LE(6),
    entriesTotal: eocd.readUInt16LE(10),
    cdSize: eocd.readUInt32LE(12),
    cdOffset: eocd.readUInt32LE(16),
    location: src.size - tailLen + at,
  };
  return zip64EndRecord(src, record);
}

const ZIP64_LOCATOR = 20;
const ZIP64_RECORD = 56;

/** zipfile._EndRecData64: the ZIP64 end record named by a locator just before the end record, if any. */
async function zip64EndRecord(src: ByteSource, record: EndRecord): Promise<EndRecord> {
  let offset = record.location - ZIP64_LOCATOR;
  if (offset < 0) return record;
  const locator = await src.readAt(offset, ZIP64_LOCATOR);
  if (locator.readUInt32LE(0) !== 0x07064b50) return record;
  if (locator.readUInt32LE(4) !== 0 || locator.readUInt32LE(16) > 1) throw new ZipError('zipfiles that span multiple disks are not supported');
  offset -= ZIP64_RECORD;
  // Python's integers: compared as BigInts, so a value past 2^53 is never rounded into a match.
  const reloff = locator.readBigUInt64LE(8);
  if (reloff > BigInt(offset)) throw new ZipError('Corrupt zip64 end of central directory locator');
  let extra = offset - Number(reloff);
  let data = await src.readAt(Number(reloff), ZIP64_RECORD);
  const isRecord = (b: Buffer) => b.length === ZIP64_RECORD && b.readUInt32LE(0) === 0x06064b50;
  // Not at the locator's offset: bytes may be prepended, so zipfile looks right before the locator.
  if (!isRecord(data) && Number(reloff) !== offset) {
    extra = 0;
    data = await src.readAt(offset, ZIP64_RECORD);
  }
  if (!isRecord(data)) throw new ZipError('Zip64 end of central directory record not found');
  const cdSize = data.readBigUInt64LE(40);
  const cdOffset = data.readBigUInt64LE(48);
  if (cdOffset + cdSize !== reloff || data.readBigUInt64LE(4) + 12n !== BigInt(ZIP64_RECORD + extra))
    throw new ZipError('Corrupt zip64 end of central directory record');
  return {
    diskNumber: data.readUInt32LE(16),
    diskStart: data.readUInt32LE(20),
    entriesTotal: Number(data.readBigUInt64LE(32)),
    cdSize: Number(cdSize),
    cdOffset: Number(cdOffset),
    location: offset - extra,
  };
}

/**
 * zipfile._RealGetContents, reduced to what a dist needs; `known` is the end record already read
 * (zipEndRecord), so that it is not read again.
 */
export async function openZip(src: ByteSource, known?: EndRecord): Promise<ZipArchive> {
  const record = known ?? (await endRecord(src));
  if (!record) throw new ZipError('File is not a zip file');
  const { cdSize, cdOffset } = record;
  const concat = record.location - cdSize - cdOffset;
  if (cdOffset + concat < 0) throw new ZipError('Bad offset for central directory');
  // A bound of this action's, not zipfile's: refused as a bound, never as what PyPI would say.
  if (cdSize > MAX_CD_SIZE) throw new ArchiveLimitError(`its central directory is over ${MAX_CD_SIZE} bytes`);
  if (cdSize >= OPTIMIZE_ZIP_DIRECTORY_BYTES) optimizeFromNowOn();
  const cd = await src.readAt(cdOffset + concat, cdSize);
  if (cd.length !== cdSize) throw new ZipError('Truncated central directory');
  // zipfile reads records for as many bytes as the end record says, whatever count it gives: a
  // count that differs is the framing check's ("Mismatched central directory records").
  return zipArchive(src, src.size, withEndOffsets(parseCentralDirectory(cd, concat), cdOffset + concat));
}

/**
 * zipfile._EndRecData, which zipfile.ZipFile and is_zipfile both start from: the end record, undefined
 * where there is none, or the ZipError (BadZipFile) of a ZIP64 record zipfile refuses.
 */
export async function zipEndRecord(src: ByteSource): Promise<EndRecord | ZipError | undefined> {
  try {
    return await endRecord(src);
  } catch (e) {
    if (e instanceof ZipError) return e;
    throw e;
  }
}

/**
 * zipfile.is_zipfile of CPython 3.14 on the end record `zipEndRecord` found: either an empty archive
 * or a central directory record where the end record places the central directory. A ZIP64 record
 * zipfile refuses (BadZipFile) is no ZIP to it either.
 */
export async function isZipfileRecord(src: ByteSource, record: EndRecord | ZipError | undefined): Promise<boolean> {
  if (!record || record instanceof ZipError) return false;
  if (record.entriesTotal === 0 && record.cdSize === 0 && record.cdOffset === 0) return true;
  if (record.diskNumber !== record.diskStart || record.cdSize < 46) return false;
  // A negative position is an OSError of the seek, which is_zipfile takes for no ZIP.
  const start = record.location - record.cdSize;
  if (start < 0) return false;
  const first = await src.readAt(start, 46);
  return first.length === 46 && first.readUInt32LE(0) === 0x02014b50;
}

/** zipfile.is_zipfile of the file at `path`. */
export async function isZipFileAt(path: string): Promise<boolean> {
  const src = await fileSource(path);
  try {
    return await isZipfileRecord(src, await zipEndRecord(src));
  } finally {
    await src.close();
  }
}

/** How far from the end zipfile looks for the end record: its size and the longest comment (ZIP_MAX_COMMENT). */
export const EOCD_SEARCH = 22 + 0xffff;
export const ZIP_END_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/**
 * Where zipfile._EndRecData finds the end of central directory record in the file's `tail`: in the
 * last 22 bytes when they hold one without a comment, else the last signature in the last 64 KiB
 * and 21 bytes, which must have 22 bytes after it; undefined where there is none (no ZIP).
 */
function endOfCentralDirectory(tail: Buffer): number | undefined {
  const last = tail.length - 22;
  if (last >= 0 && tail.readUInt32LE(last) === 0x06054b50 && tail.readUInt16LE(last + 20) === 0) return last;
  const from = Math.max(0, tail.length - EOCD_SEARCH);
  const found = tail.subarray(from).lastIndexOf(ZIP_END_SIGNATURE);
  return found < 0 || tail.length - (from + found) < 22 ? undefined : from + found;
}

/**
 * zipfile's `_end_offset` (CPython 3.12 and later): a member's data must end before the next member's
 * local header (by offset), the last one's before the central directory. Of members sharing one
 * offset, all but the last listed end where they start, which zipfile only warns of.
 */
function withEndOffsets(entries: ZipEntry[], cdStart: number): ZipEntry[] {
  const byOffset = entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.localOffset - b.e.localOffset || a.i - b.i);
  let end = cdStart;
  for (let k = byOffset.length - 1; k >= 0; k--) {
    const { e } = byOffset[k] as { e: ZipEntry };
    e.endOffset = end;
    end = e.localOffset;
  }
  return entries;
}

/** Every central directory record, with offsets moved by what was prepended to the archive. */
function parseCentralDirectory(cd: Buffer, concat: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  while (p < cd.length) {
    if (entries.length >= ARCHIVE_LIMITS.members) throw new ArchiveLimitError(`it has more than ${ARCHIVE_LIMITS.members} members`);
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipError('Bad magic number for central directory');
    // zipfile reads no archive needing a later version than 6.3 to extract (NotImplementedError).
    if ((cd[p + 6] as number) > 63) throw new ZipError(`zip file version ${((cd[p + 6] as number) / 10).toFixed(1)}`, 'NotImplementedError');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const rawName = Buffer.from(cd.subarray(p + 46, p + 46 + nameLen));
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    const decoded = decodeExtra(extra, { size, compressedSize, localOffset }, rawName);
    ({ size, compressedSize, localOffset } = decoded);
    const origName = decodeName(rawName, flags);
    const name = cutAtNul(decoded.unicodeName ?? origName);
    entries.push({ name, origName, rawName, flags, method, crc, compressedSize, size, localOffset: localOffset + concat });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function zipArchive(src: ByteSource, fileSize: number, entries: ZipEntry[]): ZipArchive {
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) byName.set(e.name, e); // zipfile: the last duplicate wins
  return {
    fileSize,
    entries,
    byName,
    async read(entry, limit) {
      if (entry.size > limit) throw new ZipError(`${entry.name} is larger than ${limit} bytes`);
      const dataPos = await memberDataAt(src, entry);
      // A DEFLATE stream of at most `limit` bytes is never longer than this: a bigger claim is not read further.
      const wanted = entry.method === 0 ? Math.min(entry.compressedSize, entry.size) : Math.min(entry.compressedSize, limit + (limit >> 3) + 1024);
      const comp = await src.readAt(dataPos, wanted);
      let data: Buffer;
      if (entry.method === 0) {
        if (comp.length < wanted) throw new ZipError(`Truncated data for ${entry.name}`, 'EOFError');
        data = comp;
      } else if (entry.method === 8) {
        const cut =
          comp.length < wanted
            ? new ZipError(`Truncated data for ${entry.name}`, 'EOFError')
            : new ZipError(`${entry.name} has no end of its data in its first ${wanted} bytes`);
        data = inflateMember(entry, comp, limit, cut);
      } else throw new ZipError(`compression type ${entry.method} for ${entry.name}`, 'NotImplementedError');
      // zipfile gives no more than the member's size and checks the CRC of what it gave.
      data = data.subarray(0, entry.size);
      if (crc32(data) >>> 0 !== entry.crc) throw new ZipError(`Bad CRC-32 for file ${JSON.stringify(entry.name)}`);
      return data;
    },
  };
}

/**
 * The largest offset Linux seeks to in a file on ext4 (its largest file: 2^32 − 1 blocks of 4 KiB),
 * where warehouse's temporary copy of an upload lives on a stock Linux host (Docker's overlay on
 * ext4); past it lseek is EINVAL. (XFS and tmpfs seek further, and the read then finds no header.)
 */
const UPLOAD_FS_MAX_OFFSET = 2 ** 44 - 4096;

/**
 * Where a member's data starts, after the checks zipfile.ZipFile.open makes of its local header: it
 * is there, names the member as the central directory does, and is neither patched, strongly
 * encrypted nor encrypted (zipfile cannot read those).
 */
async function memberDataAt(src: ByteSource, entry: ZipEntry): Promise<number> {
  // zipfile seeks the file to the header's offset: a negative one is the seek's OSError, one past a C off_t a ValueError,
  // one past the largest file of the file system holding the upload the seek's OSError too.
  if (entry.localOffset >= 2 ** 63) throw new ZipError("cannot fit 'int' into an offset-sized integer", 'ValueError');
  if (entry.localOffset < 0 || entry.localOffset > UPLOAD_FS_MAX_OFFSET) throw new ZipError('[Errno 22] Invalid argument', 'OSError');
  const lh = await src.readAt(entry.localOffset, 30);
  if (lh.length < 30) throw new ZipError('Truncated file header');
  if (lh.readUInt32LE(0) !== 0x04034b50) throw new ZipError(`Bad magic number for file header of ${entry.name}`);
  const nameLength = lh.readUInt16LE(26);
  if (entry.flags & 0x20) throw new ZipError('compressed patched data (flag bit 5)', 'NotImplementedError');
  if (entry.flags & 0x40) throw new ZipError('strong encryption (flag bit 6)', 'NotImplementedError');
  const localName = decodeName(await src.readAt(entry.localOffset + 30, nameLength), lh.readUInt16LE(6));
  if (localName !== entry.origName)
    throw new ZipError(`File name in directory ${JSON.stringify(entry.origName)} and header ${JSON.stringify(localName)} differ.`);
  const dataStart = entry.localOffset + 30 + nameLength + lh.readUInt16LE(28);
  const { endOffset } = entry;
  if (endOffset !== undefined && endOffset !== entry.localOffset && dataStart + entry.compressedSize > endOffset)
    throw new ZipError(`Overlapped entries: ${pyRepr(entry.origName)} (possible zip bomb)`);
  if (entry.flags & 0x01) throw new ZipError(`File ${JSON.stringify(entry.origName)} is encrypted, password required for extraction`, 'RuntimeError');
  return dataStart;
}

/**
 * A member's DEFLATE data as zipfile inflates it: to the end of the stream (what follows it is never
 * read), or, when the stream does not end, to the end of the member's compressed bytes; a file that
 * ends first is an error (`cut`: which, when the bytes read stop short of the member's).
 */
function inflateMember(entry: ZipEntry, comp: Buffer, limit: number, cut: ZipError): Buffer {
  const maxOutputLength = Math.max(1, Math.min(limit, entry.size));
  try {
    return inflateRawSync(comp, { maxOutputLength });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new ZipError(`${entry.name} inflates to more than its ${entry.size} bytes`);
    if (code !== 'Z_BUF_ERROR') throw new ZipError(`Error -3 while decompressing data for ${entry.name}: ${(e as Error).message}`, 'zlib.error');
  }
  if (comp.length < entry.compressedSize) throw cut;
  return inflateRawSync(comp, { maxOutputLength, finishFlush: zlibConstants.Z_SYNC_FLUSH });
}

// ---- warehouse/utils/zipfiles.py `_validate_zipfile`: ZIP framing must parse the same whether a
// reader trusts the central directory or streams local headers. Reasons are warehouse's. ----

const UNPRINTABLE = (b: Buffer): boolean => b.some((c) => c < 0x20 || c === 0x7f);

/**
 * Sequential reader with a 64 KiB window: the walk touches every local header once, in order, and
 * skips member data, so a window holds many small members' headers but is not refilled with a
 * mebibyte of data to read 30 bytes after each large member.
 */
const WINDOW = 64 * 1024;
class SeqReader {
  pos = 0;
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  private readonly src: ByteSource;
  constructor(src: ByteSource) {
    this.src = src;
  }
  async read(n: number): Promise<Buffer> {
    if (this.pos < this.bufStart || this.pos + n > this.bufStart + this.buf.length) {
      this.bufStart = this.pos;
      this.buf = await this.src.readAt(this.pos, Math.max(n, WINDOW));
    }
    const off = this.pos - this.bufStart;
    const out = this.buf.subarray(off, off + n);
    if (out.length !== n) throw new ZipError('Malformed zip file');
    this.pos += n;
    return out;
  }
}

/** Returns undefined when the framing is acceptable, else warehouse's reason. */
export async function validateZipFraming(src: ByteSource, archive: ZipArchive): Promise<string | undefined> {
  const r = new SeqReader(src);
  // warehouse holds local headers to the central directory by orig_filename (the last of a name wins).
  const byOrigName = new Map(archive.entries.map((e) => [e.origName, e]));
  const local = new Set<string>();
  const cdNames = new Set<string>();
  let expectedEocd64: number | undefined;
  let actualEocd64: number | undefined;
  let cdRecords = 0;
  let cdOffset: number | undefined;
  let cdSize = 0;
  let eocdRecords: number | undefined;
  let eocdSize: number | undefined;
  let eocdOffset: number | undefined;
  try {
    for (;;) {
      const sig = (await r.read(4)).readUInt32LE(0);
      if (sig === 0x06054b50 && expectedEocd64 !== undefined && actualEocd64 === undefined) return 'Malformed zip file';
      if (sig === 0x02014b50) {
        if (cdOffset === undefined) cdOffset = r.pos - 4;
        cdRecords++;
        const d = await r.read(42);
        const nameLen = d.readUInt16LE(24);
        const extraLen = d.readUInt16LE(26);
        if (d.readUInt16LE(28) !== 0) throw new ZipError('Comment in central directory');
        // Windows on bytes already read are never overwritten (a refill is a new buffer): no copy.
        const nameBytes = await r.read(nameLen);
        const name = nameBytes.toString('latin1');
        await r.read(extraLen);
        if (UNPRINTABLE(nameBytes)) throw new ZipError('Invalid character in filename');
        cdSize += 46 + nameLen + extraLen;
        if (cdNames.has(name)) throw new ZipError('Duplicate filename in central directory');
        if (!local.has(name)) throw new ZipError('Missing filename in local headers');
        cdNames.add(name);
      } else if (sig === 0x04034b50) {
        const name = await localHeader(r, byOrigName);
        if (local.has(name)) throw new ZipError('Duplicate filename in local headers');
        local.add(name);
      } else if (sig === 0x06054b50) {
        if (cdOffset === undefined) cdOffset = r.pos - 4;
        const d = await r.read(18);
        if (d.readUInt16LE(4) !== d.readUInt16LE(6)) throw new ZipError('Malformed zip file');
        if (!(actualEocd64 !== undefined && eocdOffset !== undefined)) {
          eocdRecords = d.readUInt16LE(6);
          eocdSize = d.readUInt32LE(8);
          eocdOffset = d.readUInt32LE(12);
        }
        r.pos += d.readUInt16LE(16);
        if (eocdRecords !== cdRecords) throw new ZipError('Mismatched central directory records');
        if (eocdOffset !== cdOffset) throw new ZipError('Mismatched central directory offset');
        if (eocdSize !== cdSize) throw new ZipError('Mismatched central directory size');
        break;
      } else if (sig === 0x06064b50) {
        expectedEocd64 = r.pos - 4;
        const d = await r.read(52);
        const recSize = u64(d, 0);
        // After the record's size: two versions and two disk numbers (12 bytes), then the counts.
        if (u64(d, 20) !== u64(d, 28)) throw new ZipError('Malformed zip file');
        if (recSize !== 44) throw new ZipError('ZIP64 extensible data not allowed');
        eocdRecords = u64(d, 28);
        eocdSize = u64(d, 36);
        eocdOffset = u64(d, 44);
      } else if (sig === 0x07064b50) {
        actualEocd64 = u64(await r.read(16), 4);
      } else {
        return 'Unknown record signature';
      }
    }
  } catch (e) {
    if (e instanceof ZipError) return e.message;
    throw e;
  }
  if (r.pos !== archive.fileSize) return 'Trailing data';
  return undefined;
}

async function localHeader(r: SeqReader, byName: Map<string, ZipEntry>): Promise<string> {
  const d = await r.read(26);
  const flags = d.readUInt16LE(2);
  const method = d.readUInt16LE(4);
  let compressedSize = d.readUInt32LE(14);
  let fileSize = d.readUInt32LE(18);
  const nameBytes = await r.read(d.readUInt16LE(22));
  let extra = await r.read(d.readUInt16LE(24));
  if (UNPRINTABLE(nameBytes)) throw new ZipError('Invalid character in filename');
  const seen = new Set<number>();
  while (extra.length) {
    if (extra.length < 4) throw new ZipError('Malformed zip file');
    const id = extra.readUInt16LE(0);
    const len = extra.readUInt16LE(2);
    if (len + 4 > extra.length) throw new ZipError('Malformed zip file');
    if (seen.has(id) && (id === 0x0001 || id === 0x7075)) throw new ZipError('Invalid duplicate extra in local file');
    seen.add(id);
    if (id === 0x0001) {
      if (![0, 8, 16, 24, 28].includes(len)) throw new ZipError('Malformed zip file');
      if (len === 0) {
        if (compressedSize === 0xffffffff || fileSize === 0xffffffff) throw new ZipError('Malformed zip file');
      } else if (len === 8) {
        if (method !== 0) throw new ZipError('Malformed zip file');
        const uncompressed = u64(extra, 4);
        compressedSize = uncompressed;
        if (fileSize === 0xffffffff) fileSize = uncompressed;
      } else {
        if (fileSize === 0xffffffff) fileSize = u64(extra, 4);
        compressedSize = u64(extra, 12);
      }
    } else if (id === 0x7075) {
      const unicodeName = extra.subarray(9, 4 + len);
      if (UNPRINTABLE(unicodeName)) throw new ZipError('Invalid character in filename');
      try {
        PY_UTF8.decode(unicodeName);
      } catch {
        throw new ZipError('Filename not valid UTF-8');
      }
    }
    extra = extra.subarray(len + 4);
  }
  if (flags & 0x08) throw new ZipError('ZIP contains a data descriptor');
  let name: string;
  try {
    name = PY_UTF8.decode(nameBytes);
  } catch {
    throw new ZipError('Filename not unicode');
  }
  const expected = byName.get(name);
  if (!expected) throw new ZipError('Filename not in central directory');
  if (expected.compressedSize !== compressedSize) throw new ZipError('Mis-matched data size');
  if (expected.size !== fileSize) throw new ZipError('Mis-matched file size');
  r.pos += compressedSize;
  return nameBytes.toString('latin1');
}
