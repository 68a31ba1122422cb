// test/world/go-json.ts and go-base64.ts against Go's encoding/json and encoding/base64 themselves: the
// same texts given to both (hand-made shapes, then seeded random edits of them), the same error message
// or the same end of the first value, for json.Unmarshal and json.Decoder, and the same byte where
// base64.StdEncoding.Decode gives up. The world's Fulcio and Rekor refuse malformed input in these words.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { goBase64Corruption } from '../../test/world/go-base64.ts';
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
const BASE64_SHAPES = ['YWJj', 'YWI=', 'YQ==', 'YWJjZA==', 'YWJj\nZGVm', 'YQ', 'YQ=', 'a===', 'ab=c', 'YWJj=', 'YWI=YQ==', 'YQ==\r\n', '%%%', 'ab-_'];
const BASE64_ALPHABET = ['A', 'b', '9', '+', '/', '=', '\n', '\r', '-', '%', ' '];
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

/** The shapes, then EDITED seeded random edits of them (a byte added, removed, or the rest cut off). */
function texts(shapes: string[], alphabet: string[], seed: number): string[] {
  const pick = seeded(seed);
  const out = [...shapes];
  for (let i = 0; i < EDITED; i++) {
    let text = shapes[pick(shapes.length)]!;
    for (let edits = 1 + pick(3); edits > 0; edits--) {
      const at = pick(text.length + 1);
      const op = pick(3);
      if (op === 0) text = text.slice(0, at) + alphabet[pick(alphabet.length)] + text.slice(at);
      else if (op === 1) text = text.slice(0, at) + text.slice(at + 1);
      else text = text.slice(0, at);
    }
    out.push(text);
  }
  return out;
}

type Verdicts = Array<{ unmarshal: string; decoder: string; base64: string }>;

let judge: string;
before(async () => {
  judge = join(await scratchDir('go-json-'), 'judge');
  await exec('go', ['build', '-o', judge, '.'], {
    cwd: join(ROOT, 'test/world/go-json-judge'),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
  });
});

/** What Go makes of each text. */
async function judged(all: string[]): Promise<Verdicts> {
  const child = execFile(judge, { maxBuffer: 64 << 20 });
  child.stdin!.end(JSON.stringify(all));
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((done) => child.on('close', done));
  return JSON.parse(out) as Verdicts;
}

test("Go's own encoding/json gives every text the verdict the port gives it", async () => {
  const all = texts(SHAPES, ALPHABET, 740);
  const verdicts = await judged(all);
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

test("Go's own encoding/base64 gives up on the byte the port names", async () => {
  const all = texts(BASE64_SHAPES, BASE64_ALPHABET, 3161);
  const verdicts = await judged(all);
  const differ: string[] = [];
  all.forEach((text, i) => {
    const at = goBase64Corruption(text);
    const said = at < 0 ? '' : `illegal base64 data at input byte ${at}`;
    if (said !== verdicts[i]!.base64) differ.push(`${JSON.stringify(text)}: ${said} / Go: ${verdicts[i]!.base64}`);
  });
  assert.deepEqual(differ.slice(0, 10), []);
  assert.ok(verdicts.some((v) => v.base64 === '') && verdicts.some((v) => v.base64 !== ''), 'both verdicts occur');
});
