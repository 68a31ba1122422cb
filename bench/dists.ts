// Benchmark dists: valid wheels of an exact size, written by streaming (a 2 GiB wheel never sits in
// memory). Layout: METADATA, WHEEL, one STORED payload member of random bytes, RECORD — the local
// header of the payload is written first with a zero CRC and patched once the CRC is known (PyPI
// refuses data descriptors, so the CRC must be in the header).
import { randomFillSync } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

interface Member {
  name: Buffer;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

const CHUNK = 1 << 20;

function localHeader(name: Buffer, method: number, crc: number, csize: number, usize: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x800, 6);
  h.writeUInt16LE(method, 8);
  h.writeUInt16LE(0, 10);
  h.writeUInt16LE(0x21, 12);
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(csize, 18);
  h.writeUInt32LE(usize, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, name]);
}

function centralHeader(m: Member): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(0x031e, 4); // made by unix, 3.0
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x800, 8);
  h.writeUInt16LE(m.method, 10);
  h.writeUInt16LE(0, 12);
  h.writeUInt16LE(0x21, 14);
  h.writeUInt32LE(m.crc >>> 0, 16);
  h.writeUInt32LE(m.csize, 20);
  h.writeUInt32LE(m.usize, 24);
  h.writeUInt16LE(m.name.length, 28);
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  h.writeUInt32LE(m.offset, 42);
  return Buffer.concat([h, m.name]);
}

/**
 * Writes `{name}-{version}-{tag}.whl` of exactly `size` bytes (≥ 4 KiB, < 4 GiB) into `dir`.
 * Returns its path.
 */
export async function writeWheel(dir: string, name: string, version: string, size: number, tag = 'py3-none-any'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const norm = name.toLowerCase().replace(/[-_.]+/g, '_');
  const distInfo = `${norm}-${version}.dist-info`;
  const filename = `${norm}-${version}-${tag}.whl`;
  const path = join(dir, filename);
  const small: Array<[string, string]> = [
    [`${distInfo}/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: benchmark wheel\n`],
    [`${distInfo}/WHEEL`, 'Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: ' + tag + '\n'],
  ];
  const payloadName = Buffer.from(`${norm}/payload.bin`);
  const recordName = `${distInfo}/RECORD`;
  const record = Buffer.from(`${small.map(([n]) => `${n},,`).join('\n')}\n${payloadName},,\n${recordName},,\n`);

  const fh = await open(path, 'w');
  const members: Member[] = [];
  let offset = 0;
  const write = async (buf: Buffer) => {
    await fh.write(buf, 0, buf.length, offset);
    offset += buf.length;
  };
  try {
    for (const [n, text] of small) {
      const raw = Buffer.from(text);
      const comp = deflateRawSync(raw);
      const nb = Buffer.from(n);
      const m: Member = { name: nb, method: 8, crc: crc32(raw), csize: comp.length, usize: raw.length, offset };
      members.push(m);
      await write(localHeader(nb, 8, m.crc, comp.length, raw.length));
      await write(comp);
    }
    // Fixed trailer: RECORD (stored) + central directory + EOCD.
    const recordLocal = 30 + Buffer.byteLength(recordName) + record.length;
    const centralSize = [...members.map((m) => 46 + m.name.length), 46 + payloadName.length, 46 + Buffer.byteLength(recordName)].reduce((a, b) => a + b, 0);
    const fixed = offset + 30 + payloadName.length + recordLocal + centralSize + 22;
    const payloadSize = size - fixed;
    if (payloadSize < 0) throw new Error(`wheel size ${size} is too small`);
    const payload: Member = { name: payloadName, method: 0, crc: 0, csize: payloadSize, usize: payloadSize, offset };
    members.push(payload);
    const headerAt = offset;
    await write(localHeader(payloadName, 0, 0, payloadSize, payloadSize));
    const buf = Buffer.allocUnsafe(CHUNK);
    let crc = 0;
    for (let left = payloadSize; left > 0; ) {
      const n = Math.min(left, CHUNK);
      const chunk = buf.subarray(0, n);
      randomFillSync(chunk);
      crc = crc32(chunk, crc);
      await write(chunk);
      left -= n;
    }
    payload.crc = crc;
    await fh.write(localHeader(payloadName, 0, crc, payloadSize, payloadSize), 0, 30 + payloadName.length, headerAt);
    const rn = Buffer.from(recordName);
    const rm: Member = { name: rn, method: 0, crc: crc32(record), csize: record.length, usize: record.length, offset };
    members.push(rm);
    await write(localHeader(rn, 0, rm.crc, record.length, record.length));
    await write(record);
    const cdStart = offset;
    for (const m of members) await write(centralHeader(m));
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(members.length, 8);
    eocd.writeUInt16LE(members.length, 10);
    eocd.writeUInt32LE(offset - cdStart, 12);
    eocd.writeUInt32LE(cdStart, 16);
    await write(eocd);
    if (offset !== size) throw new Error(`wrote ${offset} bytes, wanted ${size}`);
  } finally {
    await fh.close();
  }
  return path;
}
