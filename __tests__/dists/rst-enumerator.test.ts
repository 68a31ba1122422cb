// src/dists/rst-enumerator.ts against docutils' own parse_enumerator and make_enumerator (the pinned
// docutils PyPI renders descriptions with): each enumerator, read first in a list and in the sequence
// of a list it may go on, gives docutils' sequence and ordinal, and the next item's enumerator.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { nextEnumerators, readEnumerator, type Sequence } from '../../src/dists/rst-enumerator.ts';

const repo = join(import.meta.dirname, '..', '..');
const VALUES = ['1', '9', '10', '0', '007', 'a', 'h', 'i', 'j', 'v', 'x', 'y', 'z', 'A', 'I', 'V', 'Z', 'ii', 'iv', 'vi', 'xl', 'xc', 'cm', 'cd'];
const MORE = ['mmmmcmxcix', 'MMMMCMXCIX', 'iiii', 'IIII', 'vv', 'VX', 'iiv', 'lc', 'dm', 'mmmmm', '#'];
const TEXTS = [...VALUES, ...MORE].flatMap((v) => [`${v}. x`, `${v}) x`, `(${v}) x`, `${v}.`]);
const EXPECTED: Array<Sequence | null> = [null, 'arabic', 'loweralpha', 'upperalpha', 'lowerroman', 'upperroman'];

const JUDGE = `
import json, re, sys
sys.path.insert(0, sys.argv[1])
import standin  # warehouse's pins first
from docutils.parsers.rst import states
class Body:
    enum = states.Body.enum
pattern = re.compile(states.Body.patterns['enumerator'])
out = []
for text, expected in json.load(sys.stdin):
    m = pattern.match(text)
    if not m:
        out.append(None)
        continue
    fmt, seq, _, ordinal = states.Body.parse_enumerator(Body(), m, expected)
    following = None if ordinal is None else states.Body.make_enumerator(Body(), ordinal + 1, seq, fmt)
    out.append([seq, ordinal, following and list(following)])
json.dump(out, sys.stdout)
`;

it("reads every enumerator as docutils' parse_enumerator and make_enumerator do", () => {
  const cases = TEXTS.flatMap((text) => EXPECTED.map((expected) => [text, expected] as const));
  const theirs = JSON.parse(
    execFileSync(join(repo, '.venv', 'bin', 'python'), ['-c', JUDGE, join(repo, 'test', 'world', 'pypi')], { input: JSON.stringify(cases), encoding: 'utf8' }),
  ) as Array<[string, number | null, [string, string] | null] | null>;
  const differ = cases.flatMap(([text, expected], i) => {
    const e = readEnumerator(text, expected ?? undefined);
    const ours = e ? [e.sequence, e.ordinal === null ? null : Number(e.ordinal), nextEnumerators(e) ?? null] : null;
    return JSON.stringify(ours) === JSON.stringify(theirs[i])
      ? []
      : [`${JSON.stringify(text)} (${expected}): ours ${JSON.stringify(ours)}, docutils ${JSON.stringify(theirs[i])}`];
  });
  assert.deepEqual(differ, []);
  assert.ok(theirs.filter((t) => t?.[1] === null).length > 0, 'some enumerators are invalid numerals');
});
