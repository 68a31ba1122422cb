// Mutants of a real ZIP (wheel): each kind edits the records a reader trusts (central directory,
// local headers, end records) the way a damaged or hostile archive does.
import { zipBytes, type ZipMember } from '../fixtures/dists/build.ts';
import { HOSTILE_NAMES, hostileBig, hostileNumber, type Rng } from './rng.ts';

export interface ZipLayout {
  /** Offsets of local headers, their data, each central-directory entry, the EOCD. */
  locals: Array<{ off: number; data: number; end: number }>;
  cd: Array<{ off: number; len: number; nameLen: number }>;
  cdStart: number;
  eocd: number;
}

export function zipLayout(zip: Buffer): ZipLayout {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cdStart = zip.readUInt32LE(eocd + 16);
  const cd: ZipLayout['cd'] = [];
  const locals: ZipLayout['locals'] = [];
  for (let p = cdStart; p + 46 <= eocd && zip.readUInt32LE(p) === 0x02014b50; ) {
    const nameLen = zip.readUInt16LE(p + 28);
    const len = 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    cd.push({ off: p, len, nameLen });
    const lo = zip.readUInt32LE(p + 42);
    const data = lo + 30 + zip.readUInt16LE(lo + 26) + zip.readUInt16LE(lo + 28);
    locals.push({ off: lo, data, end: data + zip.readUInt32LE(p + 20) });
    p += len;
  }
  return { locals, cd, cdStart, eocd };
}

type Mutator = (zip: Buffer, l: ZipLayout, rng: Rng) => Buffer;

const copy = (b: Buffer) => Buffer.from(b);

/** Bytes at `at` replaced by `insert` (`remove` bytes taken out first). */
function splice(b: Buffer, at: number, remove: number, insert: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), insert, b.subarray(at + remove)]);
}

/** Where a reader decides what to read: flipping bits there finds more than in member data. */
function structuralOffset(l: ZipLayout, rng: Rng, size: number): number {
  const region = rng.int(3);
  if (region === 0 && l.cd.length) {
    const e = rng.pick(l.cd);
    return e.off + rng.int(e.len);
  }
  if (region === 1 && l.locals.length) {
    const e = rng.pick(l.locals);
    return e.off + rng.int(Math.max(1, e.data - e.off));
  }
  return rng.next() < 0.5 ? l.eocd + rng.int(22) : rng.int(size);
}

const bitflip: Mutator = (zip, l, rng) => {
  const out = copy(zip);
  for (let n = 1 + rng.int(8); n > 0; n--) {
    const at = Math.min(out.length - 1, structuralOffset(l, rng, out.length));
    out[at] = (out[at] as number) ^ (1 << rng.int(8));
  }
  return out;
};

const truncation: Mutator = (zip, l, rng) => {
  const bounds = [
    0,
    l.cdStart,
    l.eocd,
    l.eocd + 22,
    ...l.locals.flatMap((e) => [e.off, e.off + 30, e.data, e.end]),
    ...l.cd.flatMap((e) => [e.off, e.off + 46, e.off + e.len]),
  ];
  const at = Math.max(0, Math.min(zip.length - 1, rng.pick(bounds) + rng.pick([-1, 0, 0, 1])));
  return zip.subarray(0, at);
};

const forgedSize: Mutator = (zip, l, rng) => {
  const out = copy(zip);
  const v = hostileNumber(rng, zip.length) >>> 0;
  const where = rng.int(3);
  if (where === 0 && l.cd.length) {
    const e = rng.pick(l.cd);
    const [field, width] = rng.pick([
      [20, 4],
      [24, 4],
      [42, 4],
      [28, 2],
      [30, 2],
      [32, 2],
    ] as const);
    if (width === 4) out.writeUInt32LE(v, e.off + field);
    else out.writeUInt16LE(v & 0xffff, e.off + field);
  } else if (where === 1 && l.locals.length) {
    const e = rng.pick(l.locals);
    const [field, width] = rng.pick([
      [18, 4],
      [22, 4],
      [26, 2],
      [28, 2],
    ] as const);
    if (width === 4) out.writeUInt32LE(v, e.off + field);
    else out.writeUInt16LE(v & 0xffff, e.off + field);
  } else {
    const [field, width] = rng.pick([
      [8, 2],
      [10, 2],
      [12, 4],
      [16, 4],
      [20, 2],
    ] as const);
    if (width === 4) out.writeUInt32LE(v, l.eocd + field);
    else out.writeUInt16LE(v & 0xffff, l.eocd + field);
  }
  return out;
};

/** A ZIP64 extra field on one entry, or ZIP64 end records, with honest or hostile 64-bit values. */
const zip64: Mutator = (zip, l, rng) => {
  const honest = rng.next() < 0.3;
  if (rng.next() < 0.5 && l.cd.length) {
    const i = rng.int(l.cd.length);
    const e = l.cd[i]!;
    const loc = l.locals[i]!;
    const extra = Buffer.alloc(28);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(honest ? BigInt(zip.readUInt32LE(e.off + 24)) : hostileBig(rng, zip.length), 4);
    extra.writeBigUInt64LE(honest ? BigInt(loc.end - loc.data) : hostileBig(rng, zip.length), 12);
    extra.writeBigUInt64LE(honest ? BigInt(loc.off) : hostileBig(rng, zip.length), 20);
    const at = e.off + 46 + e.nameLen + zip.readUInt16LE(e.off + 30);
    const out = splice(zip, at, 0, extra);
    out.writeUInt16LE(zip.readUInt16LE(e.off + 30) + 28, e.off + 30);
    for (const f of [20, 24, 42]) out.writeUInt32LE(0xffffffff, e.off + f);
    out.writeUInt32LE(zip.readUInt32LE(l.eocd + 12) + 28, l.eocd + 28 + 12);
    return out;
  }
  const rec = Buffer.alloc(56 + 20);
  rec.writeUInt32LE(0x06064b50, 0);
  rec.writeBigUInt64LE(rng.next() < 0.8 ? 44n : hostileBig(rng, zip.length), 4);
  rec.writeUInt16LE(45, 12);
  rec.writeUInt16LE(45, 14);
  const records = BigInt(l.cd.length);
  rec.writeBigUInt64LE(honest ? records : hostileBig(rng, zip.length), 24);
  rec.writeBigUInt64LE(honest ? records : hostileBig(rng, zip.length), 32);
  rec.writeBigUInt64LE(honest ? BigInt(l.eocd - l.cdStart) : hostileBig(rng, zip.length), 40);
  rec.writeBigUInt64LE(honest ? BigInt(l.cdStart) : hostileBig(rng, zip.length), 48);
  rec.writeUInt32LE(0x07064b50, 56);
  rec.writeBigUInt64LE(honest ? BigInt(l.eocd) : hostileBig(rng, zip.length), 64);
  rec.writeUInt32LE(1, 72);
  const out = splice(zip, l.eocd, 0, rec);
  const eocd = l.eocd + rec.length;
  if (rng.next() < 0.7) {
    out.writeUInt16LE(0xffff, eocd + 8);
    out.writeUInt16LE(0xffff, eocd + 10);
    out.writeUInt32LE(0xffffffff, eocd + 12);
    out.writeUInt32LE(0xffffffff, eocd + 16);
  }
  return out;
};

const dataDescriptor: Mutator = (zip, l, rng) => {
  const out = copy(zip);
  const i = rng.int(Math.max(1, l.cd.length));
  if (l.locals[i]) out.writeUInt16LE(out.readUInt16LE(l.locals[i].off + 6) | 0x08, l.locals[i].off + 6);
  if (l.cd[i] && rng.next() < 0.5) out.writeUInt16LE(out.readUInt16LE(l.cd[i].off + 8) | 0x08, l.cd[i].off + 8);
  if (l.locals[i] && rng.next() < 0.5) {
    // Sizes left to a descriptor that follows the data, as streaming writers do.
    out.writeUInt32LE(0, l.locals[i].off + 18);
    out.writeUInt32LE(0, l.locals[i].off + 22);
  }
  return out;
};

/** The same entry listed twice, or two entries over the same bytes. */
const duplicateOrOverlap: Mutator = (zip, l, rng) => {
  if (l.cd.length < 2 || rng.next() < 0.5) {
    const e = rng.pick(l.cd);
    const out = splice(zip, l.eocd, 0, zip.subarray(e.off, e.off + e.len));
    const eocd = l.eocd + e.len;
    out.writeUInt16LE(l.cd.length + 1, eocd + 8);
    out.writeUInt16LE(l.cd.length + 1, eocd + 10);
    out.writeUInt32LE(zip.readUInt32LE(l.eocd + 12) + e.len, eocd + 12);
    return out;
  }
  const out = copy(zip);
  const a = rng.int(l.cd.length);
  const b = (a + 1 + rng.int(l.cd.length - 1)) % l.cd.length;
  if (rng.next() < 0.5) out.writeUInt32LE(l.locals[b]!.off, l.cd[a]!.off + 42);
  else out.writeUInt32LE(Math.max(0, l.locals[b]!.end - l.locals[a]!.data + 100), l.cd[a]!.off + 20);
  return out;
};

const hostileName: Mutator = (zip, l, rng) => {
  const out = copy(zip);
  const i = rng.int(l.cd.length);
  const e = l.cd[i]!;
  const name = Buffer.from(rng.pick(HOSTILE_NAMES), 'utf8');
  const fill = Buffer.alloc(e.nameLen, 0x61);
  name.copy(fill, 0, 0, Math.min(name.length, e.nameLen));
  if (rng.next() < 0.3) fill[rng.int(Math.max(1, fill.length))] = rng.pick([0x00, 0x0a, 0x2f, 0x5c, 0xff, 0x80]);
  fill.copy(out, e.off + 46);
  const loc = l.locals[i]!;
  if (rng.next() < 0.5) fill.copy(out, loc.off + 30, 0, Math.min(fill.length, out.readUInt16LE(loc.off + 26)));
  return out;
};

export { type Mutator };
export const ZIP_MUTATORS: Record<string, Mutator> = {
  bitflip,
  truncation,
  'forged-size': forgedSize,
  zip64,
  'data-descriptor': dataDescriptor,
  'duplicate-overlap': duplicateOrOverlap,
  'hostile-name': hostileName,
};

// ---- Mutants built whole: nested archives, bombs, huge member counts ----

function wheelMembers(name: string): ZipMember[] {
  const di = `${name}-1.0.dist-info`;
  return [
    { name: `${di}/METADATA`, data: `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n` },
    { name: `${di}/WHEEL`, data: 'Wheel-Version: 1.0\nGenerator: fuzz\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
    { name: `${di}/RECORD`, data: '' },
  ];
}

/** A wheel whose METADATA (or another member) inflates to 64 MiB (`bomb`), its size told or hidden. */
export function zipBomb(rng: Rng, bomb: Buffer): Buffer {
  const members = wheelMembers('bomb');
  const target = rng.next() < 0.6 ? members[0]! : { name: 'bomb/data.bin', data: '' };
  const list = members.includes(target) ? members : [...members, target];
  const zip = zipBytes(list);
  const l = zipLayout(zip);
  const i = list.indexOf(target);
  const loc = l.locals[i]!;
  const e = l.cd[i]!;
  const out = splice(zip, loc.data, loc.end - loc.data, bomb);
  const shift = bomb.length - (loc.end - loc.data);
  const claimed = rng.next() < 0.5 ? 64 * 1024 * 1024 : rng.int(4096);
  out.writeUInt32LE(bomb.length, loc.off + 18);
  out.writeUInt32LE(claimed, loc.off + 22);
  const cdOff = e.off + shift;
  out.writeUInt32LE(bomb.length, cdOff + 20);
  out.writeUInt32LE(claimed, cdOff + 24);
  for (let j = i + 1; j < l.cd.length; j++) out.writeUInt32LE(l.locals[j]!.off + shift, l.cd[j]!.off + shift + 42);
  out.writeUInt32LE(l.cdStart + shift, l.eocd + shift + 16);
  return out;
}

/** A wheel holding another archive (the seed itself, or a bomb) as a member. */
export function nestedZip(seed: Buffer, rng: Rng, bomb: Buffer): Buffer {
  const inner = rng.next() < 0.7 ? seed : zipBomb(rng, bomb);
  return zipBytes([...wheelMembers('nested'), { name: `nested/inner${rng.pick(['.whl', '.zip', '.tar.gz'])}`, data: inner, method: rng.pick([0, 8]) }]);
}

/**
 * A wheel with `n` empty stored members besides its .dist-info (up to 65,535 in all, the most the
 * 16-bit record count holds), written into one buffer: building it costs no more memory than it has.
 */
export function manyMembersZip(n: number): Buffer {
  const head = zipBytes(wheelMembers('many'));
  const l = zipLayout(head);
  const name = (i: number) => `many/m${i}`;
  let nameBytes = 0;
  for (let i = 0; i < n; i++) nameBytes += name(i).length;
  const locals = l.cdStart;
  const cd = l.eocd - l.cdStart;
  const out = Buffer.alloc(locals + 30 * n + nameBytes + cd + 46 * n + nameBytes + 22);
  head.copy(out, 0, 0, locals);
  let p = locals;
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    offsets[i] = p;
    out.writeUInt32LE(0x04034b50, p);
    out.writeUInt16LE(20, p + 4);
    out.writeUInt16LE(0x800, p + 6);
    out.writeUInt16LE(0x21, p + 12);
    out.writeUInt16LE(name(i).length, p + 26);
    p += 30 + out.write(name(i), p + 30, 'latin1');
  }
  const cdStart = p;
  head.copy(out, p, l.cdStart, l.eocd);
  p += cd;
  for (let i = 0; i < n; i++) {
    out.writeUInt32LE(0x02014b50, p);
    out.writeUInt16LE(0x031e, p + 4);
    out.writeUInt16LE(20, p + 6);
    out.writeUInt16LE(0x800, p + 8);
    out.writeUInt16LE(0x21, p + 14);
    out.writeUInt16LE(name(i).length, p + 28);
    out.writeUInt32LE((0o100644 << 16) >>> 0, p + 38);
    out.writeUInt32LE(offsets[i] as number, p + 42);
    p += 46 + out.write(name(i), p + 46, 'latin1');
  }
  const records = Math.min(0xffff, l.cd.length + n);
  out.writeUInt32LE(0x06054b50, p);
  out.writeUInt16LE(records, p + 8);
  out.writeUInt16LE(records, p + 10);
  out.writeUInt32LE(p - cdStart, p + 12);
  out.writeUInt32LE(cdStart, p + 16);
  return out;
}
