// The gate between the engine and what a run shows (src/report/guarded-runtime.ts and its parts),
// in-process: the scrub of every part of every secret in every encoding, inert log lines, the caps.
// End to end through the built action: __tests__/hostile/*.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretScrubber, base64Forms, scrub, secretParts } from '../../src/report/scrub.ts';
import { inertLine, inertLines } from '../../src/report/log-line.ts';
import { capOutput, capSummary, OUTPUT_BUDGET_BYTES, SUMMARY_BUDGET_BYTES } from '../../src/report/github-limits.ts';
import { guardRuntime } from '../../src/report/guarded-runtime.ts';
import type { Runtime } from '../../src/engine/runtime.ts';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const JWT = [
  b64url('{"alg":"RS256","kid":"k1"}'),
  b64url(JSON.stringify({ sub: 'repo:octo/x:ref:refs/tags/v1', jti: 'a'.repeat(40) })),
  b64url('s'.repeat(256)),
].join('.');
const PASSWORD = 'pa/ss"w&rd <0123456789>';
const unicode = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const percent = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

describe('the scrub', () => {
  const scrubber = new SecretScrubber();
  scrubber.add(JWT);
  scrubber.add(PASSWORD);
  const [header, payload, signature] = JWT.split('.') as [string, string, string];

  it("knows a JWT's three segments and a prefixed token's body as parts", () => {
    assert.deepEqual(secretParts(JWT), [JWT, header, payload, signature]);
    assert.deepEqual(secretParts('pypi-AgEIcHlwaS5vcmcCJDA'), ['pypi-AgEIcHlwaS5vcmcCJDA', 'AgEIcHlwaS5vcmcCJDA']);
  });

  const quotes: Array<[string, string]> = [
    ['plain', `x ${JWT} y`],
    ['a segment alone', `payload was ${payload}.`],
    ['JSON with \\/', JSON.stringify({ m: PASSWORD }).replace(/\//g, '\\/')],
    ['every character \\uXXXX', `{"m":"${unicode(PASSWORD)}"}`],
    ['\\uXXXX mixed with plain', `{"m":"${[...PASSWORD].map((c, i) => (i % 2 ? unicode(c) : c)).join('')}"}`],
    ['JSON in a JSON string', JSON.stringify(JSON.stringify({ m: PASSWORD }))],
    ['URL-encoded, lower-case hex', `q=${percent(PASSWORD)}`],
    ['form-encoded', `q=${encodeURIComponent(PASSWORD).replace(/%20/g, '+')}`],
    ['HTML entities', `<p>${PASSWORD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;')}</p>`],
    ['Basic auth', `Authorization: Basic ${Buffer.from(`__token__:${PASSWORD}`).toString('base64')}`],
    ['base64url of the JWT at an odd offset', b64url(`xy${JWT}z`)],
    // What the quick path lets through unscanned: a table cell's \| and a link's & are no escapes.
    ['plain in a table row with \\| and a link', `| a \\| b | ${JWT} | [x](https://h/?a=1&b=2) |`],
    ['\\uXXXX in a table row with \\|', `| a \\| b | ${unicode(PASSWORD)} |`],
    ['one character as an entity, in a link', `[x](https://h/?a=1&b=${PASSWORD.slice(0, 3)}&#${PASSWORD.charCodeAt(3)};${PASSWORD.slice(4)})`],
  ];
  for (const [how, text] of quotes) {
    it(`removes a quote written ${how}`, () => {
      const out = scrubber.scrub(text);
      assert.match(out, /\*\*\*/, out);
      for (const part of [PASSWORD, header, payload, signature]) assert.ok(!out.includes(part), `${part.slice(0, 10)} left in ${out}`);
      // Nothing the quote decodes to holds the secret either.
      assert.ok(!decodeURIComponent(out.replace(/%(?![0-9a-f]{2})/gi, '%25')).includes(PASSWORD));
    });
  }

  it("leaves other text alone, and a secret of 3 characters to the runner's mask", () => {
    assert.equal(scrubber.scrub('uploaded sampleproject-1.0.tar.gz: 200 OK'), 'uploaded sampleproject-1.0.tar.gz: 200 OK');
    const row = '| sampleproject-1.0.tar.gz | a \\| b | [log](https://h/?a=1&b=2) | 50% |';
    assert.equal(scrubber.scrub(row), row);
    const s = new SecretScrubber();
    assert.deepEqual(s.add('abc'), ['abc'], 'masked with the runner');
    assert.equal(s.scrub('abc abcdef'), 'abc abcdef', 'too short to hunt for without blanking words');
    assert.deepEqual(s.add('abc'), [], 'once');
  });

  it('a short password (4 to 9 characters) is scrubbed whole, and in base64 at every alignment', () => {
    for (const password of ['hun2', 'hunt3r2', 'Tr0ub4dor']) {
      const s = new SecretScrubber();
      s.add(password);
      assert.equal(s.scrub(`400 bad password ${password}`), '400 bad password ***');
      assert.equal(s.scrub(`echo ${percent(password)}`), 'echo ***');
      if (password.length < 7) continue;
      for (const prefix of ['__token__:', '__token__:x', '__token__:xy']) {
        const encoded = Buffer.from(`${prefix}${password}`).toString('base64');
        assert.ok(s.scrub(`Basic ${encoded}`).includes('***'), `${password} after ${prefix}`);
      }
    }
  });

  it('the one-off scrub of a message is the same scrub', () => {
    assert.equal(scrub(`echo ${unicode(PASSWORD)}`, [PASSWORD]), 'echo ***');
  });

  it('base64 forms hold at every alignment', () => {
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${PASSWORD}!`).toString('base64');
      assert.ok(
        base64Forms(PASSWORD).some((f) => encoded.includes(f)),
        prefix,
      );
    }
  });
});

describe('inert log lines', () => {
  it('no line of a message can start a workflow command, v1 or v2', () => {
    for (const line of ['::error::x', '  ::add-mask::x', '\u0085::stop-commands::t', 'a ##[warning]x', '::group::x']) {
      const out = inertLine(line);
      assert.doesNotMatch(out.replace(/^[\s\u0085]*/, ''), /^::/, JSON.stringify(out));
      assert.doesNotMatch(out, /##\[/);
      assert.equal(out.replace(/\u2060/g, ''), line, 'the text reads the same');
    }
    assert.equal(inertLines('name\n::error::x\r::add-mask::y\r\nz').split('\n').length, 4, 'split where the runner splits');
    assert.equal(inertLines('Results:\n  uploaded  a-1.0.tar.gz'), 'Results:\n  uploaded  a-1.0.tar.gz', 'ordinary lines are untouched');
  });
});

describe('terminal controls', () => {
  // Found by a review of the GitLab path: GitLab's log renders colours and hidden text, and a
  // terminal acts on the rest (OSC 52 writes the reader's clipboard).
  it('no line, annotation or summary text can carry ESC or another C0 control', async () => {
    const printed: string[] = [];
    const host: Runtime = {
      log: { info: (m) => printed.push(m), debug: () => {}, notice: (m) => printed.push(m), warning: (m) => printed.push(m), error: (m) => printed.push(m) },
      mask: () => {},
      appendSummary: async (m) => void printed.push(m),
      setOutput: (_, v) => void printed.push(v),
    };
    const guarded = guardRuntime(host, new SecretScrubber());
    const hostile = 'bad\u001b[8mhidden\u001b[0m \u001b]52;c;ZXZpbA==\u0007 \u007f\tkept';
    guarded.log.info(hostile);
    guarded.log.error(hostile, 'title\u001b[31m');
    assert.equal(printed[0], 'bad\\x1b[8mhidden\\x1b[0m \\x1b]52;c;ZXZpbA==\\x07 \\x7f\tkept');
    assert.equal(printed[1], printed[0]);
    assert.ok(printed.every((p) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(p)));
    assert.equal(inertLine('\u0085::x').replace(/\u2060/g, ''), '\u0085::x', 'C1 stays: no UTF-8 terminal acts on it');
  });

  it("the report files of a GitLab job are not held to GitHub's limits", async () => {
    const written: string[] = [];
    const host: Runtime = {
      log: { info: () => {}, debug: () => {}, notice: () => {}, warning: (m) => written.push(`warning ${m}`), error: () => {} },
      mask: () => {},
      appendSummary: async () => {},
      setOutput: (_, v) => void written.push(v),
    };
    const big = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ filename: `f-${i}.whl`, reason: 'x'.repeat(400) })));
    guardRuntime(host, new SecretScrubber(), { githubLimits: false }).setOutput('results', big);
    assert.deepEqual(written, [big]);
    guardRuntime(host, new SecretScrubber()).setOutput('results', big);
    assert.ok((written[1] ?? '').startsWith('warning The `results` output was cut'), 'on GitHub, it is cut and said');
  });
});

describe("GitHub's limits", () => {
  it('a JSON list keeps whole entries and stays JSON', () => {
    const list = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ filename: `f-${i}.whl`, reason: 'é'.repeat(40) })));
    const { kept, dropped } = capOutput(list, 64 * 1024);
    assert.ok(kept.length * 2 <= 64 * 1024);
    const parsed = JSON.parse(kept) as unknown[];
    assert.equal(dropped?.items, 5000 - parsed.length);
    assert.equal(dropped?.unit, 'entries');
  });

  it('a list keeps whole lines; text is cut without splitting a surrogate pair', () => {
    const { kept } = capOutput(Array.from({ length: 1000 }, (_, i) => `/w/dist/f-${i}.sigstore.json`).join('\n'), 2000);
    assert.ok(kept.split('\n').every((l) => /^\/w\/dist\/f-\d+\.sigstore\.json$/.test(l)));
    const emoji = '📦'.repeat(1000);
    assert.ok(!/[\ud800-\udbff]$/.test(capOutput(emoji, 1001).kept));
    assert.equal(capOutput('small', OUTPUT_BUDGET_BYTES).dropped, undefined);
  });

  it('the summary is cut at a whole line, under its budget, with a note', () => {
    const md = Array.from({ length: 20_000 }, (_, i) => `| \`f-${i}.whl\` | failed | ${'x'.repeat(60)} |`).join('\n');
    const { kept, dropped } = capSummary(md, SUMMARY_BUDGET_BYTES);
    assert.ok(Buffer.byteLength(kept) <= SUMMARY_BUDGET_BYTES);
    assert.match(kept, /The summary was cut here: [\d,]+ more lines/);
    assert.ok(dropped && dropped.items > 0);
  });
});

describe('the guarded runtime', () => {
  function host() {
    const seen = { lines: [] as string[], warnings: [] as string[], masked: [] as string[], summary: '', outputs: {} as Record<string, string> };
    const runtime: Runtime = {
      log: {
        info: (m) => seen.lines.push(m),
        debug: (m) => seen.lines.push(m),
        notice: () => {},
        warning: (m) => seen.warnings.push(m),
        error: (m) => seen.lines.push(m),
      },
      mask: (s) => seen.masked.push(s),
      appendSummary: async (md) => void (seen.summary += md),
      setOutput: (k, v) => void (seen.outputs[k] = v),
    };
    return { runtime, seen };
  }

  it('masks a JWT whole and by segment once, and scrubs it from every way out', async () => {
    const { runtime, seen } = host();
    const guarded = guardRuntime(runtime, new SecretScrubber());
    guarded.mask(JWT);
    guarded.mask(JWT);
    assert.deepEqual(seen.masked, secretParts(JWT));
    const quoted = `refused: ${JWT.split('.')[2]}`;
    guarded.log.info(quoted);
    guarded.log.error(quoted, quoted);
    await guarded.appendSummary(quoted);
    guarded.setOutput('results', JSON.stringify([{ reason: quoted }]));
    const everything = [...seen.lines, seen.summary, ...Object.values(seen.outputs)].join('\n');
    assert.ok(!everything.includes(JWT.split('.')[2]!));
    assert.equal((everything.match(/refused: \*\*\*/g) ?? []).length, 4);
  });

  it('keeps the summary under its budget over several writes, and says so once', async () => {
    const { runtime, seen } = host();
    const guarded = guardRuntime(runtime, new SecretScrubber());
    const chunk = `${'| row |\n'.repeat(100_000)}`;
    await guarded.appendSummary(chunk);
    await guarded.appendSummary(chunk);
    await guarded.appendSummary('after the cut');
    assert.ok(Buffer.byteLength(seen.summary) <= SUMMARY_BUDGET_BYTES);
    assert.ok(!seen.summary.includes('after the cut'));
    assert.equal(seen.warnings.filter((w) => /summary was cut/.test(w)).length, 1);
  });
});
