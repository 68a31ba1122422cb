// An sdist's tar, read the way CPython 3.14's tarfile (PyPI's) reads it when PyPI opens the sdist
// (tarfile.open(path, "r:gz"), then getmembers()): TarFile.next, TarInfo.fromtarfile and the
// _proc_* methods, followed line by line over the decompressed bytes as they stream in.
//
// Where the archive ends: TarFile.next stops quietly at the first header past the first one that is
// all zeros (the end-of-archive blocks), that fails its checksum or holds a number tarfile cannot
// read, or that the data ends inside; at offset 0 these make the file no tar at all (is_tarfile is
// false), except zeros, which make an empty archive. A header that cannot be read right after a pax
// or GNU long-name header is an error wherever it is (SubsequentHeaderError), and so is data ending
// before a member's data does. So PyPI accepts an sdist whose tar is followed by a second tar, by
// garbage, or by a gzip stream cut short after the end blocks; nothing after the end is read here.
//
// What a member is: tarfile skips the data only of regular members (types 0, NUL, 7, S) and of types
// it does not know, which it reads as regular files; a link, directory or device claiming a size has
// the next header right after it. A pax or long-name header applies to the next header, the outer
// one last; a global pax header to every member after it. A member is sparse (refused by PyPI) only
// as an 'S' member or after a pax header with GNU.sparse.map, GNU.sparse.size or GNU.sparse 1.0.

import { ArchiveLimitError, ARCHIVE_LIMITS } from './limits.ts';
import { type Reader, ByteFeed } from './byte-feed.ts';
import { BLOCK, HeaderError, nts, parseHeader, sparseExtension, type TarHeader } from './tar-header.ts';
import { applyPax, TarValueError, type RawPaxRecord, readPaxRecords } from './tar-pax.ts';
import { pyInt } from '../python-int.ts';
import { PY_UTF8 } from '../python-text.ts';

/** A member as tarfile lists it. */
export interface TarMember {
  name: string;
  linkname: string;
  /** The type flag as tarfile keeps it (a V7 directory reads as '5'). */
  type: string;
  size: number;
  /** TarInfo.issparse(). */
  sparse: boolean;
}

/** Where a member's data goes, piece by piece, then end() once it is whole. */
export interface DataSink {
  data(piece: Buffer): void;
  end(): void;
}

/** What is told of the archive as it is read. */
export interface TarVisitor {
  /** Before an extended header's data is held (pax records or a GNU long name): may refuse it (throw). */
  extended(kind: 'pax' | 'global' | 'name', bytes: number): void;
  /** A member, once its headers are read; returns a sink for its data when wanted (regular members only). */
  member(member: TarMember): DataSink | undefined;
}

/** No member tarfile can read at the start (empty, cut short, unreadable header): is_tarfile is false. */
export class NotTarError extends Error {}

/** tarfile.ReadError (or another failure) past the first member: PyPI refuses the file without a reason. */
export class TarReadError extends Error {}

/** Types tarfile reads as regular files (REGULAR_TYPES) and those it knows (SUPPORTED_TYPES). */
const REGULAR = new Set(['0', '\0', '7', 'S']);
const SUPPORTED = new Set(['0', '\0', '1', '2', '3', '4', '5', '6', '7', 'L', 'K', 'S']);

/** TarInfo.isreg(): a regular file, the only kind a client reads core metadata from. */
export const isRegular = (type: string): boolean => REGULAR.has(type);

/** isreg() or type not in SUPPORTED_TYPES: tarfile skips the member's data. */
function skipsData(type: string): boolean {
  return REGULAR.has(type) || !SUPPORTED.has(type);
}

/** TarInfo._block: a byte count rounded up to whole blocks; a negative one is an invalid header (3.14). */
function block(count: number): number {
  if (count < 0) throw new HeaderError('invalid', 'invalid offset');
  return Math.ceil(count / BLOCK) * BLOCK;
}

/** A member being read: the header's fields, where its header is taken to start and where its data starts. */
interface Info extends TarMember {
  offset: number;
  offsetData: number;
}

/** int(value.decode()): undefined where Python raises ValueError, a value that is not UTF-8 included (UnicodeDecodeError is one). */
function pyIntOfBytes(value: Buffer): number | undefined {
  try {
    return pyInt(PY_UTF8.decode(value));
  } catch {
    return undefined;
  }
}

/** int(bytes): only ASCII digits and white space; undefined where Python raises ValueError. */
function pyIntOfAscii(latin1: string): number | undefined {
  return /^[\x00-\x7f]*$/.test(latin1) ? pyInt(latin1) : undefined;
}

/** Follows a gzip-decompressed tar stream as tarfile reads it (see above). */
export class Tarfile {
  /** TarFile.__init__ read the first member (or found the archive empty): failures now are ReadErrors. */
  opened = false;
  readonly #visitor: TarVisitor;
  readonly #feed: ByteFeed;
  /** The position in the decompressed stream (fileobj.tell()). */
  #pos = 0;
  /** tarfile.offset: where the next header starts. */
  #offset = 0;
  /** tarfile.pax_headers: what global headers set so far. */
  readonly #global = new Map<string, string>();
  #globalBytes = 0;
  /** The last member's data, when its sink wants it: given as the next call to next() passes it. */
  #data: { start: number; size: number; sink: DataSink } | undefined;

  constructor(visitor: TarVisitor) {
    this.#visitor = visitor;
    this.#feed = new ByteFeed(this.#members());
  }

  /** tarfile stopped reading: nothing after is looked at. */
  get ended(): boolean {
    return this.#feed.done;
  }

  /** The part of `chunk` tarfile reads; once it stopped, nothing. Throws NotTarError, TarReadError, ArchiveLimitError. */
  take(chunk: Buffer): Buffer {
    return this.#guard(() => this.#feed.take(chunk));
  }

  /** The decompressed data ended. */
  end(): void {
    this.#guard(() => this.#feed.end());
  }

  /** Any failure before the first member is read makes the file no tar (tarfile.open fails, is_tarfile is false). */
  #guard<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      // A ValueError comes out of tarfile.open and is_tarfile alike: a server error, wherever it comes.
      if (this.opened || e instanceof ArchiveLimitError || e instanceof NotTarError || e instanceof TarValueError) throw e;
      throw new NotTarError((e as Error).message);
    }
  }

  /** TarFile._load: next() until it returns None. */
  *#members(): Reader<void> {
    for (;;) {
      const member = yield* this.#next();
      this.opened = true;
      if (!member) return;
      const { name, linkname, type, size, sparse } = member;
      const sink = this.#visitor.member({ name, linkname, type, size, sparse });
      if (sink && REGULAR.has(type) && !sparse) this.#data = { start: member.offsetData, size: Math.max(0, size), sink };
    }
  }

  /** TarFile.next: moves to tarfile.offset (the data before it must be there), then reads a member. */
  *#next(): Reader<Info | undefined> {
    yield* this.#advance();
    try {
      return yield* this.#fromTarfile();
    } catch (e) {
      if (!(e instanceof HeaderError)) throw e;
      if (e.fault === 'subsequent') throw new TarReadError(e.message);
      if (e.fault === 'eof') return undefined;
      // tarfile.offset as it is when the error comes: a header read after an extended one moved it.
      if (this.#offset === 0) throw new NotTarError(e.message);
      return undefined;
    }
  }

  /** fileobj.seek(offset - 1) and read(1): the bytes up to the next header must exist; a wanted member's data is given on the way. */
  *#advance(): Reader<void> {
    const data = this.#data;
    this.#data = undefined;
    if (this.#offset < this.#pos) {
      // tarfile would seek back (a negative size, a sparse map past the data) and read a header
      // again, possibly forever: such an archive is refused.
      throw new TarReadError('a header points back into the archive');
    }
    // fileobj.seek(offset - 1): a position past a C off_t is Python's ValueError.
    if (this.#offset - 1 >= 2 ** 63) throw new TarValueError("cannot fit 'int' into an offset-sized integer");
    let at = this.#pos;
    const into =
      data &&
      ((piece: Buffer) => {
        const from = Math.max(0, data.start - at);
        const to = Math.min(piece.length, data.start + data.size - at);
        if (to > from) data.sink.data(piece.subarray(from, to));
        at += piece.length;
      });
    const want = this.#offset - this.#pos;
    const passed = yield* this.#skip(want, into);
    if (passed < want) throw new TarReadError('unexpected end of data');
    data?.sink.end();
  }

  *#read(bytes: number): Reader<Buffer> {
    const got = (yield { read: bytes }) as Buffer;
    this.#pos += got.length;
    return got;
  }

  *#skip(bytes: number, into?: (piece: Buffer) => void): Reader<number> {
    const passed = (yield { skip: bytes, into }) as number;
    this.#pos += passed;
    return passed;
  }

  /** TarInfo.fromtarfile: a header block, then what its type makes of it (_proc_member). */
  *#fromTarfile(dircheck = true): Reader<Info> {
    const at = this.#pos;
    const header = parseHeader(yield* this.#read(BLOCK), dircheck);
    if (header.type === 'L' || header.type === 'K') return yield* this.#procGnuLong(header, at);
    if (header.type === 'S') return yield* this.#procSparse(header, at);
    if (header.type === 'x' || header.type === 'g' || header.type === 'X') return yield* this.#procPax(header, at);
    return this.#procBuiltin(header, at);
  }

  /** The header that follows an extended one: any failure reading it is an error (SubsequentHeaderError). */
  *#subsequent(): Reader<Info> {
    try {
      return yield* this.#fromTarfile(false);
    } catch (e) {
      if (e instanceof HeaderError) throw new HeaderError('subsequent', e.message);
      throw e;
    }
  }

  /** _proc_builtin: the data of a regular or unknown type is skipped; global pax records apply. */
  #procBuiltin(header: TarHeader, offset: number): Info {
    const { name, linkname, type, size } = header;
    const info: Info = { name, linkname, type, size, sparse: false, offset, offsetData: this.#pos };
    this.#offset = info.offsetData + (skipsData(info.type) ? block(info.size) : 0);
    applyPax(info, this.#global);
    if (info.type === '5') info.name = info.name.replace(/\/+$/, '');
    return info;
  }

  /**
   * The data of an extended header, held whole: bounded (a real one is a few hundred bytes). A larger
   * size is read as far as the bound and a block: when the archive ends before that, Python reads what
   * there is and so does this; when it goes on, the header is past this action's bound.
   */
  *#extendedData(kind: 'pax' | 'global' | 'name', size: number): Reader<Buffer> {
    const want = block(size);
    const data = yield* this.#read(Math.min(want, ARCHIVE_LIMITS.headerBytes + BLOCK));
    this.#visitor.extended(kind, data.length < want ? Math.min(data.length, ARCHIVE_LIMITS.headerBytes) : size);
    return data;
  }

  /** _proc_gnulong: the next member's name (L) or link target (K), up to the first NUL. */
  *#procGnuLong(header: TarHeader, offset: number): Reader<Info> {
    const data = yield* this.#extendedData('name', header.size);
    const next = yield* this.#subsequent();
    next.offset = offset;
    if (header.type === 'L') next.name = nts(data);
    else next.linkname = nts(data);
    if (next.type === '5' && next.name.endsWith('/')) next.name = next.name.slice(0, -1);
    return next;
  }

  /** _proc_sparse: the extension blocks, then the stored data is skipped. */
  *#procSparse(header: TarHeader, offset: number): Reader<Info> {
    for (let extended = header.sparseExtended; extended; ) {
      const ext = yield* this.#read(BLOCK);
      // Python fails on a short block with an IndexError, no tarfile error: refused all the same.
      if (ext.length < BLOCK) throw new TarReadError('a sparse header cut short');
      extended = sparseExtension(ext);
    }
    const info: Info = { name: header.name, linkname: header.linkname, type: 'S', size: header.size, sparse: true, offset, offsetData: this.#pos };
    this.#offset = info.offsetData + block(header.size);
    return info;
  }

  /** _proc_pax: records for the next member ('x', 'X') or for all after ('g'), then the next member. */
  *#procPax(header: TarHeader, offset: number): Reader<Info> {
    const global = header.type === 'g';
    const data = yield* this.#extendedData(global ? 'global' : 'pax', header.size);
    if (global && (this.#globalBytes += data.length) > ARCHIVE_LIMITS.headerBytes) {
      throw new ArchiveLimitError(`its global pax headers add up to more than ${ARCHIVE_LIMITS.headerBytes} bytes`);
    }
    const headers = global ? this.#global : new Map(this.#global);
    const records = readPaxRecords(data, headers);
    const next = yield* this.#subsequent();
    yield* this.#gnuSparse(next, headers, records);
    if (!global) {
      applyPax(next, headers);
      // The size record moves the next header: counted from the block after the next member's header
      // as tarfile last placed it (a long-name header's, when one came between).
      const size = headers.get('size');
      if (size !== undefined) this.#offset = next.offset + BLOCK + (skipsData(next.type) ? block(pyInt(size) ?? 0) : 0);
      next.offset = offset;
    }
    return next;
  }

  /**
   * The GNU sparse formats of pax records: 0.1 (a map record: a number that is none is Python's
   * ValueError), 0.0 (offset and numbytes records: one that is no number is an invalid header), 1.0
   * (a map in the data, read here: one that is malformed is a ValueError too).
   */
  *#gnuSparse(next: Info, headers: Map<string, string>, records: RawPaxRecord[]): Reader<void> {
    const map = headers.get('GNU.sparse.map');
    if (map !== undefined) {
      if (map.split(',').some((n) => pyInt(n) === undefined)) throw new TarValueError('GNU.sparse.map holds no list of numbers: invalid literal for int()');
    } else if (headers.has('GNU.sparse.size')) {
      for (const [keyword, value] of records) {
        const key = keyword.toString('latin1');
        if ((key === 'GNU.sparse.offset' || key === 'GNU.sparse.numbytes') && pyIntOfBytes(value) === undefined)
          throw new HeaderError('invalid', 'invalid header');
      }
    } else if (headers.get('GNU.sparse.major') === '1' && headers.get('GNU.sparse.minor') === '0') {
      yield* this.#sparseMap();
      next.offsetData = this.#pos;
    } else return;
    next.sparse = true;
  }

  /**
   * _proc_gnusparse_10: the map at the start of the data, lines of numbers, read block by block. Where
   * Python fails on a malformed map (a line without its newline, or no number: a ValueError neither
   * tarfile nor warehouse catches) PyPI answers a server error.
   */
  *#sparseMap(): Reader<void> {
    const malformed = (what: string) => new TarValueError(`the GNU sparse 1.0 map of a member ${what}`);
    let text = (yield* this.#read(BLOCK)).toString('latin1');
    let newline = text.indexOf('\n');
    if (newline < 0) throw malformed('has no line');
    const fields = pyIntOfAscii(text.slice(0, newline));
    if (fields === undefined) throw malformed('counts no number: invalid literal for int()');
    text = text.slice(newline + 1);
    for (let numbers = 0; numbers < fields * 2; numbers++) {
      if (!text.includes('\n')) text += (yield* this.#read(BLOCK)).toString('latin1');
      newline = text.indexOf('\n');
      if (newline < 0) throw malformed('ends before its last line');
      if (pyIntOfAscii(text.slice(0, newline)) === undefined) throw malformed('holds no list of numbers: invalid literal for int()');
      text = text.slice(newline + 1);
    }
  }
}
