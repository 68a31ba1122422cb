// test/world/go-json.ts against Go's encoding/json itself: the same texts given to both (hand-made
// shapes, then seeded random edits of them), the same error message or the same end of the first value,
// for json.Unmarshal and for json.Decoder. The world's Fulcio and Rekor refuse malformed JSON in these words.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { goJSON } from '../../test/world/go-json.ts';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SHAPES = [
  '',
  ' ',
  '{}',
  '[]',
  '{"a":1}',
  '{"a":[1,2,{"b":null}]}',
  'true',
  'false',
  'null',
  '12',
  '-0.5e+3',
  '"s"',
  '"\\u00e9"',
  'nul',
  'tru',
  'fals',
  '{"a"}',
  '{"a":1,}',
  '[1,]',
  '[1 2]',
  '{a:1}',
  '{"a":1 "b":2}',
  '"\\x"',
  '"\\u12g4"',
  '"a\nb"',
  '01',
  '-',
  '1.',
  '1e',
  '1e+',
  '{"credentials":',
  'entry please',
  '{} x',
  '1 2',
  '[',
  '{',
  '"abc',
  ' {"a" : 1 } ',
  '[tru]',
  '{"k":fals}',
  "'x'",
  '{"a":-}',
  '[1.5e-3, -0, 0.0]',
  '12 ',
  '{}{}',
  '"\\"',
  '[{"a":[]}]x',
  '\t\r\n[]',
  '"\u0001"',
  '{"é":"ü"}',
];
const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  '\\',
  'a',
  '1',
  '0',
  '-',
  '.',
  'e',
  '+',
  't',
  'r',
  'u',
  'n',
  'l',
  ' ',
  '\n',
  'x',
  'f',
  's',
  'E',
  '\u0007',
  'é',
  '\u0085',
  '\u00a0',
  '€',
  '\u007f',
];
const EDITED = 4000;

/** mulberry32: the same texts on every run. */
function seeded(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function texts(): string[] {
  const pick = seeded(740);
  const out = [...SHAPES];
  for (let i = 0; i < EDITED; i++) {
    let text = SHAPES[pick(SHAPES.length)]!;
    for (let edits = 1 + pick(3); edits > 0; edits--) {
      const at = pick(text.length + 1);
      const op = pick(3);
      text =
        op === 0 ? text.slice(0, at) + ALPHABET[pick(ALPHABET.length)] + text.slice(at) : op === 1 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at);
    }
    out.push(text);
  }
  return out;
}

let judge: string;
before(async () => {
  judge = join(await scratchDir('go-json-'), 'judge');
  await exec('go', ['build', '-o', judge, '.'], {
    cwd: join(ROOT, 'test/world/go-json-judge'),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
});

test("Go's own encoding/json gives every text the verdict the port gives it", async () => {
  const all = texts();
  const child = execFile(judge, { maxBuffer: 64 << 20 });
  child.stdin!.end(JSON.stringify(all));
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((done) => child.on('close', done));
  const verdicts = JSON.parse(out) as Array<{ unmarshal: string; decoder: string }>;
  const differ: string[] = [];
  all.forEach((text, i) => {
    for (const mode of ['unmarshal', 'decoder'] as const) {
      const ours = goJSON(text, mode);
      const said = 'error' in ours ? ours.error : mode === 'unmarshal' ? '' : `end:${ours.end}`;
      if (said !== verdicts[i]![mode]) differ.push(`${JSON.stringify(text)} ${mode}: ${said} / Go: ${verdicts[i]![mode]}`);
    }
  });
  assert.deepEqual(differ.slice(0, 10), []);
  assert.ok(all.length > EDITED, `${all.length} texts`);
});
