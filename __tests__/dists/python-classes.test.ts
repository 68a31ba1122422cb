// Names and numbers PyPI reads with Python's \w and \d are judged in the Unicode of PyPI's Python
// (CPython 3.14: Unicode 16), not in Node's newer one: a letter or digit only Unicode 17 has is no
// word character or digit to PyPI. Each case is judged by the stand-in's own code on that Python.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvalidRequirement, parseRequirement } from '../../src/dists/pep508.ts';
import { entryPointsError } from '../../src/dists/entry-points.ts';
import { parseWheelFilename } from '../../src/dists/filename.ts';
import { pyInt } from '../../src/dists/python-int.ts';
import { pyRepr } from '../../src/dists/pyrepr.ts';

const repo = join(import.meta.dirname, '../..');

/** Runs `body` (Python, `cases` bound to the JSON list) with the stand-in importable; prints its JSON answer. */
function standIn(body: string, cases: string[]): unknown[] {
  const script = `import json,sys\nsys.path.insert(0, "test/world/pypi")\nimport standin\ncases = json.loads(sys.argv[1])\n${body}`;
  return JSON.parse(execFileSync(join(repo, '.venv/bin/python'), ['-c', script, JSON.stringify(cases)], { encoding: 'utf8', cwd: repo }));
}

/** What `parse` throws for `input`, its message, or null when it takes it. */
function refusal<T>(parse: (input: T) => unknown, input: T): string | null {
  try {
    parse(input);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// U+A7CE and U+1094x are letters new in Unicode 17; U+11DE0 to U+11DE9 are its new decimal digits.
const NEW_LETTER = '\u{a7ce}';
const NEW_LETTER_2 = '\u{10940}';
const NEW_DIGIT = '\u{11de0}';

describe("Python's \\w and \\d, in PyPI's Unicode", () => {
  it('entry point names (warehouse validate_entrypoints: [\\w.-]+)', () => {
    const names = ['tool', 'outil-é', 'x\u0663', `x${NEW_LETTER}`, `${NEW_LETTER_2}run`, `v${NEW_DIGIT}`, 'a/b'];
    const texts = names.map((n) => `[console_scripts]\n${n} = m:main\n`);
    const theirs = standIn(
      'from standin.archives import wheel_entry_points_valid\n' +
        'class Z:\n  def __init__(self, t): self.t = t\n  def read(self, n): return self.t.encode()\n' +
        'print(json.dumps([wheel_entry_points_valid(Z(t), "n", "1") for t in cases]))',
      texts,
    );
    assert.deepEqual(
      texts.map((t) => entryPointsError(Buffer.from(t)) === undefined),
      theirs,
    );
    assert.deepEqual(theirs, [true, true, true, false, false, false, false], 'letters and digits of Unicode 16 only');
  });

  it("wheel file names (packaging's name check: [\\w\\d._]*)", () => {
    const files = ['caf\u00e9-1.0-py3-none-any.whl', `a${NEW_LETTER}-1.0-py3-none-any.whl`, `n${NEW_DIGIT}-1.0-py3-none-any.whl`];
    const theirs = standIn(
      'import packaging.utils\nout = []\nfor f in cases:\n  try:\n    packaging.utils.parse_wheel_filename(f); out.append(None)\n' +
        '  except packaging.utils.InvalidWheelFilename as e:\n    out.append(str(e))\nprint(json.dumps(out))',
      files,
    );
    assert.deepEqual(
      files.map((f) => refusal(parseWheelFilename, f)),
      theirs,
    );
    assert.equal(theirs[0], null);
    assert.ok(
      theirs.slice(1).every((m) => typeof m === 'string'),
      'names with letters or digits of Unicode 17 are refused',
    );
  });

  it("requirements (packaging's tokenizer: \\b at Python's word characters)", () => {
    const requirements = [`foo; os_name${NEW_LETTER} == "x"`, `foo; os_name\u00e9 == "x"`, 'foo; extra == "a"', `foo; os_name ${'in'}${NEW_LETTER} "x"`];
    const theirs = standIn(
      'from packaging.requirements import InvalidRequirement, Requirement\nout = []\nfor r in cases:\n' +
        '  try:\n    Requirement(r); out.append(None)\n  except InvalidRequirement as e:\n    out.append(str(e))\nprint(json.dumps(out))',
      requirements,
    );
    // Each refusal is packaging's InvalidRequirement, never another error.
    for (const r of requirements) if (refusal(parseRequirement, r) !== null) assert.throws(() => parseRequirement(r), InvalidRequirement);
    assert.deepEqual(
      requirements.map((r) => refusal(parseRequirement, r)),
      theirs,
    );
  });

  it("int() of a pax number: Python's decimal digits only", () => {
    const numbers = ['12', '\u0661\u0662', '\uff11_\uff12', ` 7${NEW_DIGIT}`, `${NEW_DIGIT}`, '\u00b2'];
    const theirs = standIn(
      'out = []\nfor n in cases:\n  try:\n    out.append(int(n))\n  except ValueError:\n    out.append(None)\nprint(json.dumps(out))',
      numbers,
    );
    assert.deepEqual(
      numbers.map((n) => pyInt(n) ?? null),
      theirs,
    );
    assert.deepEqual(theirs, [12, 12, 12, null, null, null]);
  });

  it('repr() escapes what Python cannot print', () => {
    const texts = [`a${NEW_LETTER}b`, `${NEW_LETTER_2}${NEW_DIGIT}`, 'caf\u00e9 \u00a0\u200b\ud7ff', 'it\'s \\ "q"', '\u{1f600}\u{e0001}\u{10ffff}'];
    const theirs = standIn('print(json.dumps([repr(t) for t in cases]))', texts);
    assert.deepEqual(texts.map(pyRepr), theirs);
  });
});
