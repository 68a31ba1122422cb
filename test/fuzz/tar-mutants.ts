// Mutants of a real sdist: its tar is edited (headers, sizes, names, long-name and sparse records,
// links, duplicates, nested archives) and gzipped again, or its gzip bytes are damaged directly.
import { once } from 'node:events';
import type { Transform } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import { tarBytes } from '../fixtures/dists/build.ts';
import { HOSTILE_NAMES, hostileNumber, type Rng } from './rng.ts';

export interface TarLayout {
  headers: Array<{ off: number; dataEnd: number }>;
  /** Where the end-of-archive blocks start. */
  end: number;
  /** The top-level directory of the first member. */
  top: string;
}

export function tarLayout(tar: Buffer): TarLayout {
  const headers: TarLayout['headers'] = [];
  let off = 0;
  while (off + 512 <= tar.length && tar[off] !== 0) {
    const size =
      parseInt(
        tar
          .subarray(off + 124, off + 136)
          .toString('latin1')
          .replace(/\0.*$/s, '')
          .trim() || '0',
        8,
      ) || 0;
    const dataEnd = off + 512 + Math.ceil(size / 512) * 512;
    headers.push({ off, dataEnd });
    off = dataEnd;
  }
  const firstName = headers.length
    ? tar
        .subarray(headers[0]!.off, headers[0]!.off + 100)
        .toString('utf8')
        .replace(/\0.*$/s, '')
    : 'x';
  return { headers, end: off, top: firstName.split('/')[0] || 'x' };
}

function checksum(tar: Buffer, off: number): void {
  tar.fill(0x20, off + 148, off + 156);
  let sum = 0;
  for (let i = off; i < off + 512; i++) sum += tar[i] as number;
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, off + 148, 'latin1');
}

const at = (tar: Buffer, offset: number, insert: Buffer) => Buffer.concat([tar.subarray(0, offset), insert, tar.subarray(offset)]);
/** Member blocks as tarBytes writes them, without its end-of-archive blocks. */
const blocks = (members: Parameters<typeof tarBytes>[0]) => tarBytes(members).subarray(0, -1024);

type TarMutator = (tar: Buffer, l: TarLayout, rng: Rng, seedGz: Buffer) => Buffer;

const bitflip: TarMutator = (tar, l, rng) => {
  const out = Buffer.from(tar);
  for (let n = 1 + rng.int(6); n > 0; n--) {
    const h = l.headers.length ? rng.pick(l.headers).off : 0;
    const i = Math.min(out.length - 1, h + rng.int(512));
    out[i] = (out[i] as number) ^ (1 << rng.int(8));
  }
  return out;
};

const truncation: TarMutator = (tar, l, rng) => {
  const bounds = [0, l.end, ...l.headers.flatMap((h) => [h.off, h.off + 512, h.dataEnd])];
  return tar.subarray(0, Math.max(0, Math.min(tar.length, rng.pick(bounds) + rng.pick([-1, 0, 0, 1, 256]))));
};

const forgedSize: TarMutator = (tar, l, rng) => {
  const out = Buffer.from(tar);
  const h = rng.pick(l.headers).off;
  const style = rng.int(4);
  const field = Buffer.alloc(12);
  if (style === 0) field.write(`${hostileNumber(rng, tar.length).toString(8).slice(-11).padStart(11, '0')}\0`, 'latin1');
  else if (style === 1) {
    // base-256: the high bit set, a big-endian number in the rest (GNU), possibly negative.
    field[0] = rng.pick([0x80, 0xff]);
    for (let i = 1; i < 12; i++) field[i] = rng.int(256);
  } else if (style === 2) field.write(rng.pick(['77777777777\0', '-1\0', 'zzzzzzzzzzz\0', '           ', '0x10\0']), 'latin1');
  else field.write('00000000000\0', 'latin1');
  field.copy(out, h + 124);
  if (rng.next() < 0.9) checksum(out, h);
  return out;
};

/** A pax header (path, linkpath or another record) of up to 70 KiB before one member. */
const paxLong: TarMutator = (tar, l, rng) => {
  const h = rng.pick(l.headers);
  const len = rng.pick([100, 255, 4096, 4097, 65_536, 70_000]);
  const key = rng.pick(['path', 'linkpath', 'comment', 'SCHILY.xattr.user.x', 'size', 'GNU.sparse.map']);
  const value = key === 'size' ? rng.pick(['-1', '99999999999999999999', 'abc', '0']) : `${l.top}/${'p'.repeat(len)}`;
  const member = { name: `${l.top}/paxed`, data: 'x', pax: { [key]: value } };
  return at(tar, h.off, blocks([member]));
};

/** GNU long-name ('L') and long-link ('K') records, honest or oversized. */
const gnuLong: TarMutator = (tar, l, rng) => {
  const name = Buffer.from(`${l.top}/${'g'.repeat(rng.pick([100, 1000, 5000, 60_000]))}\0`);
  const header = Buffer.from(blocks([{ name: '././@LongLink', data: name }]).subarray(0, 512));
  header.write(rng.pick(['L', 'K']), 156, 'latin1');
  checksum(header, 0);
  const data = Buffer.concat([name, Buffer.alloc((512 - (name.length % 512)) % 512)]);
  const member = blocks([{ name: `${l.top}/short`, data: 'y', type: '0' }]);
  return at(tar, rng.pick(l.headers).off, Buffer.concat([header, data, member]));
};

const sparse: TarMutator = (tar, l, rng) => {
  if (rng.next() < 0.5) {
    const out = Buffer.from(tar);
    const h = rng.pick(l.headers).off;
    out.write('S', h + 156, 'latin1');
    checksum(out, h);
    return out;
  }
  const pax = {
    'GNU.sparse.major': '1',
    'GNU.sparse.minor': '0',
    'GNU.sparse.name': `${l.top}/sparse`,
    'GNU.sparse.realsize': String(hostileNumber(rng, tar.length)),
  };
  return at(tar, l.end, blocks([{ name: `${l.top}/GNUSparseFile.0/sparse`, data: '1\n0\n0\n', pax }]));
};

const hostileName: TarMutator = (tar, l, rng) => {
  const out = Buffer.from(tar);
  const h = rng.pick(l.headers).off;
  const name = rng.pick(HOSTILE_NAMES);
  out.fill(0, h, h + 100);
  out.write(rng.next() < 0.5 ? name : `${l.top}/${name}`, h, 100, 'utf8');
  checksum(out, h);
  return out;
};

/** A member repeated (PKG-INFO twice with other bytes), or a link out of the top directory. */
const duplicateOrLink: TarMutator = (tar, l, rng) => {
  if (rng.next() < 0.5) {
    const h = rng.pick(l.headers);
    return at(tar, l.end, tar.subarray(h.off, h.dataEnd));
  }
  const target = rng.pick(['../../etc/passwd', '/etc/passwd', `${l.top}/PKG-INFO`, '..', '.']);
  return at(tar, l.end, blocks([{ name: `${l.top}/${rng.pick(['link', 'PKG-INFO'])}`, type: rng.pick(['1', '2', '3', '6']), linkname: target }]));
};

const nested: TarMutator = (tar, l, rng, seedGz) => at(tar, l.end, blocks([{ name: `${l.top}/inner${rng.pick(['.tar.gz', '.whl', '.zip'])}`, data: seedGz }]));

export const TAR_MUTATORS: Record<string, TarMutator> = {
  bitflip,
  truncation,
  'forged-size': forgedSize,
  'pax-long-name': paxLong,
  'gnu-long-name': gnuLong,
  sparse,
  'hostile-name': hostileName,
  'duplicate-link': duplicateOrLink,
  nested,
};

/** gzip bytes damaged directly: flipped bits or a cut at any point (header, deflate data, trailer). */
export function gzipDamage(gz: Buffer, rng: Rng): Buffer {
  if (rng.next() < 0.5) return gz.subarray(0, rng.pick([0, 1, 2, 9, 10, 18, gz.length - 8, gz.length - 4, gz.length - 1, rng.int(gz.length)]));
  const out = Buffer.from(gz);
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const i = rng.next() < 0.3 ? rng.int(Math.min(20, out.length)) : rng.int(out.length);
    out[i] = (out[i] as number) ^ (1 << rng.int(8));
  }
  return out;
}

export const gzip = (tar: Buffer) => gzipSync(tar, { level: 1 });

/** Compresses `total` bytes of `block` repeated, in 1 MiB writes: memory stays small whatever `total` is. */
export async function compressRepeated(make: () => Transform, block: Buffer, total: number): Promise<Buffer> {
  const z = make();
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = once(z, 'end');
  const per = Math.max(1, Math.floor((1024 * 1024) / block.length));
  const chunk = Buffer.concat(Array.from({ length: per }, () => block));
  for (let left = total; left > 0; left -= chunk.length) {
    if (!z.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(z, 'drain');
  }
  z.end();
  await done;
  return Buffer.concat(out);
}

/**
 * A .tar.gz that unpacks to ~256 MiB: one member claiming 8 GiB, then gzip members of zeros. Nothing
 * bounds its expansion but the time allowed (warehouse reads a tar whole), so it is read to its end
 * in a stream, and refused there for the data its member lacks.
 */
export async function tarBomb(): Promise<Buffer> {
  const head = Buffer.from(blocks([{ name: 'bomb-1.0/PKG-INFO', data: 'Metadata-Version: 2.1\nName: bomb\nVersion: 1.0\n' }]));
  const big = Buffer.from(blocks([{ name: 'bomb-1.0/zeros', data: '' }]));
  big.write('77777777777\0', 124, 'latin1');
  checksum(big, 0);
  const zeros = await compressRepeated(() => createGzip({ level: 9 }), Buffer.alloc(64 * 1024), 64 * 1024 * 1024);
  return Buffer.concat([gzipSync(Buffer.concat([head, big])), ...Array.from({ length: 4 }, () => zeros)]);
}

/** 150,000 empty members (150 MiB of tar) in a few hundred KiB of gzip. */
export async function manyMembersTar(): Promise<Buffer> {
  const one = Buffer.from(blocks([{ name: 'many-1.0/m', data: '' }]));
  return compressRepeated(() => createGzip({ level: 9 }), one, one.length * 150_000);
}
