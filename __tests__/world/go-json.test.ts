// test/world/go-json.ts, go-base64.ts, go-pem.ts, go-mime.ts and go-path.ts against Go's
// encoding/json, encoding/base64, encoding/pem, mime and path themselves: the same texts given to both
// (hand-made shapes, then seeded random edits of them), the same error message or the same end of the
// first value, for json.Unmarshal and json.Decoder, the same byte where base64's StdEncoding and
// URLEncoding give up, the same PEM block and rest, the same media type or error, the same clean path. The world's Fulcio, Rekor and timestamp
// authority read and refuse input in these ways and words.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { BASE64_URL_ALPHABET, goBase64Corruption } from '../../test/world/go-base64.ts';
import { goJSON } from '../../test/world/go-json.ts';
import { goParseMediaType } from '../../test/world/go-mime.ts';
import { goPathClean } from '../../test/world/go-path.ts';
import { goURLParse, goURLString } from '../../test/world/go-url.ts';
import { goPemDecode } from '../../test/world/go-pem.ts';

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
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\nYWJjZA==\n-----END CERTIFICATE-----\n';
const PEM_SHAPES = [
  CERT,
  `${CERT}${CERT}`,
  `${CERT}trailing words`,
  `garbage\n${CERT}`,
  '-----BEGIN PUBLIC KEY-----\r\nYWJj\r\n-----END PUBLIC KEY-----\r\n',
  '-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nYWJj\n-----END X-----',
  '-----BEGIN X-----\n-----END X-----\n',
  '-----BEGIN X-----\nYWJj\n-----END Y-----\n',
  '-----BEGIN X-----\nYW Jj\t\n-----END X-----  \nnext',
  ' -----BEGIN X-----\nYWJj\n-----END X-----\n',
  '-----BEGIN X-----\n%%%\n-----END X-----\n-----BEGIN Y-----\nYQ==\n-----END Y-----\n',
  '-----BEGIN X-----\nYWJj\n-----END X----- tail\n',
  '-----BEGIN X-----\nYWJj\n',
];
const PEM_ALPHABET = ['-', '\n', '\r', ' ', 'B', 'E', 'G', 'I', 'N', 'D', 'X', 'Y', ':', 'Q', '=', '\t', 'a'];
const MIME_SHAPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON ; CHARSET="UTF-8"',
  'application/json;',
  'application/json; charset',
  'application/json; charset="utf-8',
  'application/json; a=1; a=2',
  'application/json; a=1; A=1',
  'application/json; a*=x; a*0=y',
  'text/plain',
  'application',
  'application/',
  '/json',
  'application/json/x',
  'multipart/form-data; boundary=application/json',
  'application/timestamp-query; q="a\\"b"',
  '',
  ' ',
];
const MIME_ALPHABET = ['a', '/', ';', '=', '"', ' ', '\t', '\\', '*', ',', 'J', '-', '+', '\r', '\n', '@'];
const PATH_SHAPES = ['/api/v1/log/entries/retrieve/', '/api/v1//log', '/a/./b/../c', '/../a', 'a/../../b', '', '/', '.', '..', '//', 'a//b/', '/a/b/..', './a'];
const PATH_ALPHABET = ['/', '.', 'a', '%', ':'];
const URL_SHAPES = [
  'https://github.com/octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
  'https://github.com/octo org/my repo/.github/workflows/ré lease.yml@refs/heads/é',
  'https://gitlab.com/group/project//.gitlab-ci.yml@refs/tags/v1',
  'https://circleci.com/api/v2/projects/5f2b/pipeline-definitions/0c8e',
  'https://github.com/a/%zz',
  'https://github.com/a%2Fb/c%41d',
  'https://user:pa ss@host:8080/p?q=1 2#frag ment',
  'https://host:1:2/x',
  'ssh://host:1:2/x',
  'https://[::1]:443/x',
  'http://[fe80::1%25en0]/',
  'https://[1.2.3.4]/',
  'https:opaque é',
  'https:///triple',
  '//host/p',
  'rel:ative/path',
  '/abs?',
  'https://ho%41st/',
  'https://hé.com/x',
  'https://h<o>st/',
  'mailto:a@b',
  'x#%zz',
  '*',
  '',
];
const URL_ALPHABET = ['/', ':', '@', '%', '2', '5', 'F', '?', '#', ' ', 'é', '[', ']', '.', 'a', '\t', '+', '!', '~', '*'];
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

type Verdicts = Array<{
  unmarshal: string;
  decoder: string;
  base64: string;
  base64url: string;
  base64raw: string;
  pem: string;
  mime: string;
  pathclean: string;
  url: string;
}>;

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

/** Go's encoding/base64 (`field` of the judge's verdict) against the port, in one alphabet, over edited texts. */
async function assertBase64Agrees(shapes: string[], seed: number, field: 'base64' | 'base64url' | 'base64raw', alphabet?: string): Promise<void> {
  const all = texts(shapes, BASE64_ALPHABET, seed);
  const verdicts = await judged(all);
  const differ: string[] = [];
  all.forEach((text, i) => {
    const at = goBase64Corruption(text, alphabet, field !== 'base64raw');
    const said = at < 0 ? '' : `illegal base64 data at input byte ${at}`;
    if (said !== verdicts[i]![field]) differ.push(`${JSON.stringify(text)}: ${said} / Go: ${verdicts[i]![field]}`);
  });
  assert.deepEqual(differ.slice(0, 10), []);
  assert.ok(verdicts.some((v) => v[field] === '') && verdicts.some((v) => v[field] !== ''), 'both verdicts occur');
}

test("Go's own encoding/base64 gives up on the byte the port names", () => assertBase64Agrees(BASE64_SHAPES, 3161, 'base64'));

test("Go's own encoding/base64 gives up on the byte the port names, in the URL-safe alphabet too", () =>
  assertBase64Agrees([...BASE64_SHAPES, 'ab-_', 'a-_=', 'YQ-_YQ=='], 2200, 'base64url', BASE64_URL_ALPHABET));

test("Go's own encoding/base64 gives up on the byte the port names, unpadded too", () => assertBase64Agrees(BASE64_SHAPES, 4648, 'base64raw'));

test("Go's own encoding/pem finds the block, its bytes and the rest the port finds", async () => {
  const all = texts(PEM_SHAPES, PEM_ALPHABET, 1421);
  const verdicts = await judged(all);
  const differ: string[] = [];
  all.forEach((text, i) => {
    const { block, rest } = goPemDecode(text);
    const said = block ? `type:${block.type} bytes:${block.bytes.toString('base64')} rest:${rest}` : 'none';
    if (said !== verdicts[i]!.pem) differ.push(`${JSON.stringify(text)}: ${said} / Go: ${verdicts[i]!.pem}`);
  });
  assert.deepEqual(differ.slice(0, 10), []);
  const found = verdicts.filter((v) => v.pem !== 'none').length;
  assert.ok(found > 100 && found < all.length, `${found} of ${all.length} texts hold a block`);
});

test("Go's own mime.ParseMediaType gives every header the media type or the error the port gives", async () => {
  const all = texts(MIME_SHAPES, MIME_ALPHABET, 2045);
  const verdicts = await judged(all);
  const differ: string[] = [];
  all.forEach((text, i) => {
    const ours = goParseMediaType(text);
    const said = 'error' in ours ? `error:${ours.error}` : `type:${ours.mediaType}`;
    if (said !== verdicts[i]!.mime) differ.push(`${JSON.stringify(text)}: ${said} / Go: ${verdicts[i]!.mime}`);
  });
  assert.deepEqual(differ.slice(0, 10), []);
  assert.ok(verdicts.some((v) => v.mime.startsWith('type:')) && verdicts.some((v) => v.mime.startsWith('error:')), 'both verdicts occur');
});

test("Go's own path.Clean cleans every path as the port does", async () => {
  const all = texts(PATH_SHAPES, PATH_ALPHABET, 1997);
  const verdicts = await judged(all);
  const differ: string[] = [];
  all.forEach((text, i) => {
    if (goPathClean(text) !== verdicts[i]!.pathclean) differ.push(`${JSON.stringify(text)}: ${goPathClean(text)} / Go: ${verdicts[i]!.pathclean}`);
  });
  assert.deepEqual(differ.slice(0, 10), []);
  assert.ok(
    verdicts.some((v, i) => v.pathclean !== all[i]),
    'some paths change',
  );
});

test("Go's own url.Parse and URL.String give every text the URL or the refusal the port gives", async () => {
  const all = texts(URL_SHAPES, URL_ALPHABET, 3986);
  const verdicts = await judged(all);
  const differ: string[] = [];
  all.forEach((text, i) => {
    const ours = goURLParse(text);
    const said = 'error' in ours ? `error:${ours.error}` : `url:${goURLString(ours)}`;
    const go = verdicts[i]!.url;
    // netip.ParseAddr's own words for a bracketed literal are not ported: only that it refused.
    const same = said === go || (text.includes('[') && said.startsWith('error:parse') && go.startsWith('error:parse') && /ParseAddr/.test(go));
    if (!same) differ.push(`${JSON.stringify(text)}: ${said} / Go: ${go}`);
  });
  assert.deepEqual(differ.slice(0, 10), []);
  const escaped = verdicts.filter((v, i) => v.url.startsWith('url:') && v.url !== `url:${all[i]}`).length;
  const refused = verdicts.filter((v) => v.url.startsWith('error:')).length;
  assert.ok(escaped > 100 && refused > 100, `${escaped} rewritten, ${refused} refused`);
});
