// A tar header's number fields are read as tarfile.nti reads them, whether by the quick path (octal
// digits between whitespace, the form every tar writer uses) or by Python's int(s, 8): each field
// below is given to tarfile.nti in the .venv's Python, and the value or the refusal must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { HeaderError, nti } from '../../src/dists/archive/tar-header.ts';

const PYTHON = join(import.meta.dirname, '../../.venv/bin/python');

/** Fields of 12 bytes (as a size is), written as latin1 text and padded with NUL. */
const TEXTS = [
  '00000001750\0',
  '00000001750 ',
  '1750',
  '     1750   ',
  '\t\n\v\f\r1750\x1c\x1d\x1e\x1f ',
  '',
  '            ',
  '0o1750',
  '0O17_50',
  '+1750',
  '-1750',
  ' -0o7 ',
  '17__50',
  '_1750',
  '1750_',
  '1758',
  '17 50',
  '0x10',
  '\x1b1750',
  '1750\x85',
  '\xa01750',
  '77777777777',
  '777777777777',
  '0',
  '00000000000\0',
];

/** Base-256 fields: a first byte of 0o200 (positive) or 0o377 (negative). */
const BINARY = [
  [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
];

function field(text: string): Buffer {
  const b = Buffer.alloc(12);
  b.write(text, 'latin1');
  return b;
}

function ours(bytes: Buffer): number | 'invalid' {
  try {
    return nti(bytes);
  } catch (e) {
    if (e instanceof HeaderError && e.fault === 'invalid') return 'invalid';
    throw e;
  }
}

test("a header's number fields read as tarfile.nti reads them", () => {
  const fields = [...TEXTS.map(field), ...BINARY.map((b) => Buffer.from(b))];
  const script = [
    'import json, sys, tarfile',
    'out = []',
    'for h in json.loads(sys.argv[1]):',
    '    try: out.append(tarfile.nti(bytes.fromhex(h)))',
    '    except tarfile.InvalidHeaderError: out.append("invalid")',
    'print(json.dumps(out))',
  ].join('\n');
  const theirs = JSON.parse(execFileSync(PYTHON, ['-c', script, JSON.stringify(fields.map((f) => f.toString('hex')))], { encoding: 'utf8' })) as Array<
    number | 'invalid'
  >;
  assert.deepEqual(
    fields.map((f) => ours(f)),
    theirs,
  );
  assert.ok(theirs.includes('invalid') && theirs.includes(0o1750), 'the fields hold both verdicts');
});
