// An sdist's headers and gzip framing read as Python's tarfile and gzip read them (so as PyPI reads
// them): magics other than ustar, signed checksums, type flags tarfile does not know (files to it),
// links claiming a size (no data skipped), sizes written "0o...", prefix fields of GNU headers, names
// that are not UTF-8 (kept apart, as surrogateescape keeps them), pax records renaming, resizing or
// emptying a name, and gzip streams of several members. Each shape (test/differential/tar_reader.py)
// is judged by the action's pre-flight and by the PyPI stand-in's warehouse checks: verdicts and
// messages must agree.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { readPaxRecords } from '../../src/dists/archive/tar-pax.ts';
import { HeaderError } from '../../src/dists/archive/tar-header.ts';
import { describeShapes, judgedShapes } from '../../test/helpers/shapes.ts';

/** The shapes PyPI accepts. */
const ACCEPTED = [
  'a plain ustar sdist',
  'a GNU-format sdist with a long name (L)',
  'a pax sdist with a long name',
  'a pax GNU.sparse.name alone (no sparse map)',
  'a V7 header (no magic)',
  'a header with magic USTAR',
  "a header with magic 'ustar 00'",
  'a checksum summed over signed bytes',
  'a size written 0o...',
  'a Solaris X extended header',
  'an old GNU N member (a file to tarfile)',
  'a symlink claiming a size, PKG-INFO after it',
  'a directory claiming a size',
  'a ustar prefix naming the top directory',
  'a non-UTF-8 top directory',
  'a top directory two levels deep',
  'a global pax header',
  'a member name of 5,000 bytes',
  'a symlink target of 5,000 bytes',
  'a pax size in fullwidth digits',
  'a pax size after a no-break space',
  'a pax size after a file separator',
  'a pax size of 5,000 digits',
  'a pax record of length 0 after the members',
  'a file named with a slash after a GNU long name, PKG-INFO after it',
  'an empty gzip member first',
  'the tar split across gzip members',
  'zero bytes between gzip members',
  'zero bytes after a gzip member that ends at a header',
];

describeShapes("an sdist's headers and gzip members are read as Python's tarfile and gzip read them", await judgedShapes('tar_reader.py'), ACCEPTED, () => {
  // CPython 3.14 frames each record: 1 to 20 digits, at least 5 bytes, within the data, a keyword, "="
  // and a newline as its last byte; anything else is an invalid header (tarfile's InvalidHeaderError).
  it('a pax record framed otherwise than CPython 3.14 frames it is an invalid header', () => {
    const read = (text: string) => {
      const headers = new Map<string, string>();
      readPaxRecords(Buffer.from(text, 'latin1'), headers);
      return Object.fromEntries(headers);
    };
    assert.deepEqual(read('5 x=\n12 path=a/b\n\0\0junk'), { x: '', path: 'a/b' });
    for (const bad of [
      '9223372036854775808 comment=x\n',
      '123456789012345678901 a=b\n',
      '4 x\n',
      '7 x=y\n',
      '6 x=yz',
      '5 =x\n',
      '6 xyz\n',
      'x 5 a=\n',
      ' 5 a=\n',
    ]) {
      assert.throws(
        () => read(bad),
        (e: unknown) => e instanceof HeaderError && e.fault === 'invalid',
        JSON.stringify(bad),
      );
    }
  });
});
