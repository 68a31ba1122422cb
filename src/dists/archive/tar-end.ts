// Where Python's tarfile stops reading an sdist, which is where PyPI stops looking at it. TarFile.next
// ends the archive quietly at the first header past the first member that is all zeros (the end-of-
// archive blocks), that fails its checksum or holds a number it cannot read, or that the data ends
// inside; at offset 0 they make the file no tar at all (tarfile.is_tarfile). So PyPI accepts an sdist
// whose tar is followed by a second tar, by garbage, or by a gzip stream cut short after the end
// blocks, and never reads what comes after. tar-stream reads on past zero blocks and fails on the rest, so the decompressed bytes
// go through this walk first, and only the members tarfile reads reach it.
//
// The walk follows tarfile's offsets (TarInfo.frombuf, _proc_member): a regular member's data is
// skipped, other kinds' claimed sizes are not, and a pax or GNU long-name header's data comes before
// the header it applies to, whose failure is an error wherever it is (SubsequentHeaderError). Where
// tar-stream may lay members out otherwise (sparse members, global or Solaris pax headers, a size on
// a member that is not a file), the walk stops judging and passes every byte on, as before.

const BLOCK = 512;
/** Type flags whose data tarfile skips when reading on: regular files (and unknown types, below). */
const REGULAR = new Set(['0', '\0', '7']);
/** Type flags tarfile knows: any other is read as a file, its data skipped. */
const SUPPORTED = new Set(['0', '\0', '1', '2', '3', '4', '5', '6', '7', 'L', 'K', 'S']);
/** Headers whose data belongs to the header after them. */
const EXTENDED = new Set(['x', 'L', 'K']);
/** The biggest pax header whose `size` record is read here; a bigger one ends the walk's judging. */
const PAX_READ_MAX = 64 * 1024;

/** A header tarfile cannot read right after a pax or long-name header: an error wherever it stands. */
class SubsequentHeaderError extends Error {}

/** No header tarfile can read at offset 0 (empty, cut short or unreadable): tarfile.is_tarfile is false. */
export class NotTarError extends Error {}

/** str.strip()'s whitespace among ASCII characters: tab to carriage return, the file to unit separators, space. */
const PY_WHITESPACE = /^[\t\n\v\f\r\x1c-\x1f ]+|[\t\n\v\f\r\x1c-\x1f ]+$/g;
/** What int(s, 8) takes: an optional sign, an optional 0o, octal digits with single underscores between. */
const PY_OCTAL = /^[+-]?(?:0[oO]_?)?[0-7](?:_?[0-7])*$/;

/** tarfile's nti: a number field, in base-256 or octal text up to its first NUL; undefined where tarfile fails. */
function numberField(field: Buffer): number | undefined {
  if (field[0] === 0o200 || field[0] === 0o377) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] as number);
    return field[0] === 0o377 ? -(256 ** (field.length - 1) - n) : n;
  }
  const nul = field.indexOf(0);
  const text = field.subarray(0, nul < 0 ? field.length : nul);
  if (text.some((b) => b > 0x7f)) return undefined;
  const s = text.toString('latin1').replace(PY_WHITESPACE, '');
  if (s === '') return 0;
  if (!PY_OCTAL.test(s)) return undefined;
  const digits = s.replace(/_/g, '').replace(/^([+-]?)0[oO]/, '$1');
  return Number.parseInt(digits, 8);
}

/** The header's size field, or undefined when tarfile (TarInfo.frombuf) cannot read the block as a header. */
function headerSize(block: Buffer): number | undefined {
  const checksum = numberField(block.subarray(148, 156));
  if (checksum === undefined) return undefined;
  let unsigned = 256;
  let signed = 256;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = block[i] as number;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (checksum !== unsigned && checksum !== signed) return undefined;
  // frombuf reads every number field; one it cannot read makes the block no header.
  const fields: Array<[number, number]> = [
    [100, 108],
    [108, 116],
    [116, 124],
    [136, 148],
    [329, 337],
    [337, 345],
  ];
  if (fields.some(([from, to]) => numberField(block.subarray(from, to)) === undefined)) return undefined;
  return numberField(block.subarray(124, 136));
}

/** The `size` record of a pax header's data (tarfile applies it to the next member), or null when it cannot be told. */
function paxSize(data: Buffer): number | undefined | null {
  let size: number | undefined;
  for (let pos = 0; pos < data.length; ) {
    const record = /^(\d+) ([^=]+)=/.exec(data.subarray(pos, pos + 64).toString('latin1'));
    if (!record) return pos === data.length || data.subarray(pos).every((b) => b === 0) ? size : null;
    const length = Number(record[1]);
    const key = record[2] as string;
    if (length < record[0].length || pos + length > data.length) return null;
    if (key.startsWith('GNU.sparse.')) return null;
    if (key === 'size') {
      const value = data.subarray(pos + record[0].length, pos + length - 1).toString('latin1');
      if (!/^\d+$/.test(value)) return null;
      size = Number(value);
    }
    pos += length;
  }
  return size;
}

/** Follows a tar stream block by block, as tarfile reads it. */
export class TarEnd {
  /** tarfile stopped here: nothing after is taken. */
  ended = false;
  /** The walk lost certainty (see above): every byte is taken from then on. */
  #passing = false;
  /** Bytes seen so far. */
  #offset = 0;
  /** Where the next header starts: before it, member data, taken as it comes. */
  #nextHeader = 0;
  /** The header being read, held back until it is whole and known to be one. */
  #header: Buffer[] = [];
  #headerBytes = 0;
  /** The data of a pax header, kept for its size record, and where it ends. */
  #pax: Buffer[] | undefined;
  #paxEnd = 0;
  /** Set by a pax or long-name header: the next header must be readable, and a pax size applies to it. */
  #extended: { size?: number | undefined } | undefined;

  /** The part of `chunk` tarfile reads; once it stopped, nothing. Throws SubsequentHeaderError. */
  take(chunk: Buffer): Buffer {
    if (this.ended) return chunk.subarray(0, 0);
    if (this.#passing) return chunk;
    const out: Buffer[] = [];
    let at = 0;
    while (at < chunk.length && !this.ended && !this.#passing) {
      const position = this.#offset + at;
      if (position < this.#nextHeader) {
        const data = chunk.subarray(at, at + Math.min(this.#nextHeader - position, chunk.length - at));
        if (this.#pax) this.#readPaxData(data, position);
        out.push(data);
        at += data.length;
        continue;
      }
      const piece = chunk.subarray(at, at + Math.min(BLOCK - this.#headerBytes, chunk.length - at));
      this.#header.push(piece);
      this.#headerBytes += piece.length;
      at += piece.length;
      if (this.#headerBytes === BLOCK) this.#readHeader(position + piece.length - BLOCK, out);
    }
    if (this.#passing) out.push(chunk.subarray(at));
    this.#offset += chunk.length;
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }

  /** What is left to pass on when the stream ends: nothing, as a header cut short past offset 0 ends the archive quietly. Throws where tarfile fails. */
  rest(): Buffer {
    if (this.#passing || this.ended) return Buffer.alloc(0);
    if (this.#extended) throw new SubsequentHeaderError('truncated header');
    if (this.#offset < BLOCK) throw new NotTarError(this.#offset === 0 ? 'empty file' : 'truncated header');
    return Buffer.alloc(0);
  }

  /** Reads the whole header block at offset `at`; passes it on in `out` unless the archive ends there. */
  #readHeader(at: number, out: Buffer[]): void {
    const block = Buffer.concat(this.#header);
    this.#header = [];
    this.#headerBytes = 0;
    const zeros = block.every((b) => b === 0);
    const size = zeros ? undefined : headerSize(block);
    if (this.#extended && size === undefined) throw new SubsequentHeaderError(zeros ? 'end of file header' : 'bad checksum');
    if (size === undefined && at === 0) throw new NotTarError('bad checksum or number in the first header');
    if (size === undefined) {
      this.ended = true;
      return;
    }
    out.push(block);
    this.#follow(block, size, at);
  }

  /** Where the header at `at` puts the next one, as _proc_member reads on. */
  #follow(block: Buffer, size: number, at: number): void {
    const type = String.fromCharCode(block[156] as number);
    const dataSize = this.#extended?.size ?? size;
    this.#extended = undefined;
    if (size < 0 || type === 'S' || type === 'g' || type === 'X') {
      this.#passing = true;
      return;
    }
    if (EXTENDED.has(type)) {
      this.#extended = {};
      this.#nextHeader = at + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      if (type === 'x') this.#startPax(at + BLOCK, size);
      return;
    }
    // A V7 directory is a regular type whose name ends with "/": tarfile does not skip its size.
    const nameEnd = block.indexOf(0);
    const directory = type === '5' || (type === '\0' && block[(nameEnd < 0 || nameEnd > 100 ? 100 : nameEnd) - 1] === 0x2f);
    const skipsData = !directory && (REGULAR.has(type) || !SUPPORTED.has(type));
    if (!skipsData && dataSize > 0) {
      this.#passing = true;
      return;
    }
    this.#nextHeader = at + BLOCK + (skipsData ? Math.ceil(dataSize / BLOCK) * BLOCK : 0);
  }

  #startPax(from: number, size: number): void {
    if (size > PAX_READ_MAX) {
      this.#passing = true;
      return;
    }
    this.#pax = [];
    this.#paxEnd = from + size;
    if (size === 0) this.#readPax();
  }

  /** Keeps the part of a data piece at `position` that is the pax header's, and reads it once whole. */
  #readPaxData(data: Buffer, position: number): void {
    const own = data.subarray(0, Math.max(0, this.#paxEnd - position));
    (this.#pax as Buffer[]).push(own);
    if (position + data.length >= this.#paxEnd) this.#readPax();
  }

  #readPax(): void {
    const size = paxSize(Buffer.concat(this.#pax ?? []));
    this.#pax = undefined;
    if (size === null) {
      this.#passing = true;
      return;
    }
    if (this.#extended) this.#extended.size = size;
  }
}
