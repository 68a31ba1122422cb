// The bounds on one archive's work (src/dists/archive/limits.ts), in-process: each is refused with a
// message naming the bound, and a real-looking archive under them passes. The end-to-end case (the
// issue's sdist of 64 KiB names) is in __tests__/e2e/hostile-files.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { scanSdistTar } from '../../src/dists/archive/tar.ts';
import { ARCHIVE_LIMITS, ArchiveLimitError } from '../../src/dists/archive/limits.ts';
import { bufferSource, openZip } from '../../src/dists/archive/zip.ts';
import { metadataText, tarBytes, zipBytes, type TarMember } from '../../test/fixtures/dists/build.ts';

const TOP = 'limited-1.0';
const base: TarMember[] = [
  { name: `${TOP}/`, type: '5' },
  { name: `${TOP}/PKG-INFO`, data: metadataText('limited', '1.0') },
];

async function scan(members: TarMember[], opts: { now?: () => number; raw?: Buffer } = {}) {
  const gz = opts.raw ?? gzipSync(tarBytes(members));
  return scanSdistTar(Readable.from([gz]), { size: gz.length, ...(opts.now ? { now: opts.now } : {}) });
}
const limitIssues = (s: { issues: Array<{ code: string; reason: string }> }) => s.issues.filter((i) => i.code === 'sdist-limit').map((i) => i.reason);

test('an sdist under every bound passes', async () => {
  const s = await scan([...base, { name: `${TOP}/${'d/'.repeat(100)}x.py`, data: 'x' }]);
  assert.deepEqual(limitIssues(s), []);
  assert.ok(s.pkgInfo);
});

test('a member name or link target over 4,096 bytes is named once, and is no bound: PyPI accepts it', async () => {
  const long = `${TOP}/${'n'.repeat(4100)}`;
  const s = await scan([...base, { name: long, data: '' }, { name: `${TOP}/l`, type: '2', linkname: 'x'.repeat(5000) }]);
  assert.deepEqual(limitIssues(s), []);
  assert.deepEqual(
    s.issues.filter((i) => i.code === 'sdist-long-name').map((i) => i.reason),
    [`member "${TOP}/${'n'.repeat(48)}… (4052 more characters)" has a name or link target of 4112 bytes`],
  );
  assert.ok(s.names.includes(long) && s.pkgInfo);
  assert.deepEqual((await scan([...base, { name: `${TOP}/${'n'.repeat(4000)}`, data: '' }])).issues, [], 'at 4,096 bytes and under, nothing');
});

test("member names and kept link targets over 64 MiB in all are refused: they are held until the archive's end", async () => {
  const target = 'x'.repeat(1000 * 1024);
  const links = Array.from({ length: 70 }, (_, i) => ({ name: `${TOP}/l${i}`, type: '2' as const, linkname: target }));
  assert.deepEqual(limitIssues(await scan([...base, ...links])), [`its member names add up to more than ${ARCHIVE_LIMITS.totalNameBytes} bytes`]);
});

test('pax records over 1 MiB for one member are refused', async () => {
  const s = await scan([...base, { name: `${TOP}/x`, data: '', pax: { comment: 'c'.repeat(ARCHIVE_LIMITS.headerBytes + 1) } }]);
  assert.deepEqual(limitIssues(s), [`member 3 has over ${ARCHIVE_LIMITS.headerBytes} bytes of pax header records`]);
});

test('an sdist of well-compressed data passes, however far it expands: warehouse reads a tar whole and bounds no ratio', async () => {
  const s = await scan([...base, { name: `${TOP}/zeros`, data: Buffer.alloc(80 * 1024 * 1024) }]);
  assert.deepEqual(limitIssues(s), []);
  assert.ok(s.pkgInfo);
});

test('the time allowed is also checked while one member inflates', async () => {
  // The constructor and the three members read the clock four times; every later reading is an inflated chunk's.
  let readings = 0;
  const s = await scan([...base, { name: `${TOP}/zeros`, data: Buffer.alloc(80 * 1024 * 1024) }], { now: () => (++readings > 5 ? 1e12 : 0) });
  assert.match(limitIssues(s)[0] ?? '', /reading it took longer than 61 s/);
  assert.ok(readings > 5);
});

test('PKG-INFO files in many top directories are bounded together', async () => {
  const big = 'x'.repeat(12 * 1024 * 1024);
  const members = ['a', 'b', 'c'].map((d) => ({ name: `${d}/PKG-INFO`, data: big }));
  assert.deepEqual(limitIssues(await scan(members)), ['its PKG-INFO files add up to more than 33554432 bytes']);
});

test('reading past the time allowed is refused (a clock that jumps)', async () => {
  let t = 0;
  const s = await scan([...base, { name: `${TOP}/a`, data: 'a' }], { now: () => (t += 61_000) });
  assert.match(limitIssues(s)[0] ?? '', /reading it took longer than 61 s/);
});

test('a ZIP member is read as zipfile reads it, and no further than its data needs', async () => {
  const zip = zipBytes([{ name: 'a/METADATA', data: 'x'.repeat(100) }]);
  const archive = await openZip(bufferSource(zip));
  const entry = archive.entries[0]!;
  assert.equal(entry.method, 8);
  // A compressed size running into the central directory: zipfile (3.12 and later) refuses the member.
  await assert.rejects(archive.read({ ...entry, compressedSize: zip.length }, 32 << 20), /Overlapped entries: 'a\/METADATA' \(possible zip bomb\)/);
  // Where no end is known, zipfile stops at the end of the DEFLATE stream: a forged compressed size is never read.
  const unbounded = { ...entry, endOffset: undefined };
  assert.equal((await archive.read({ ...unbounded, compressedSize: 0x90000000 }, 32 << 20)).toString(), 'x'.repeat(100));
  assert.equal((await archive.read({ ...unbounded, compressedSize: zip.length }, 32 << 20)).toString(), 'x'.repeat(100));
  // A size claimed larger than the data: zipfile gives the data and checks its CRC.
  assert.equal((await archive.read({ ...entry, size: 1000 }, 32 << 20)).length, 100);
  await assert.rejects(archive.read({ ...entry, crc: entry.crc ^ 1 }, 32 << 20), /Bad CRC-32 for file "a\/METADATA"/);
  await assert.rejects(archive.read({ ...entry, localOffset: zip.length + 10 }, 32 << 20), /Truncated file header/);
  await assert.rejects(archive.read({ ...unbounded, compressedSize: 0x90000000, size: 0x90000000 }, 32 << 20), /larger than 33554432 bytes/);
  await assert.rejects(bufferSource(zip).readAt(2 ** 60, 10), /Bad offset or size/);
  await assert.rejects(bufferSource(zip).readAt(0, 2 ** 31), /over the 134217728-byte limit/);
});

test("a ZIP central directory past what one read holds is refused as this action's bound, not as PyPI's verdict", async () => {
  // An end record at the end of 129 MiB of zeros, naming a central directory of all of them before it.
  const size = (129 << 20) + 22;
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32LE(0x06054b50, size - 22);
  bytes.writeUInt32LE(size - 22, size - 22 + 12);
  await assert.rejects(
    openZip(bufferSource(bytes)),
    (e: Error) => e instanceof ArchiveLimitError && /central directory is over 134217728 bytes/.test(e.message),
  );
});
