// The bench's verdicts on issue #6's targets (bench/targets.ts): each bound on the right side, and a
// scenario that was not run judged as nothing rather than as met.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeTargets, targetsTable } from '../../bench/targets.ts';

const met = (v: ReturnType<typeof judgeTargets>, prefix: string) => v.find((x) => x.target.startsWith(prefix))?.met;

describe('judgeTargets', () => {
  const good = {
    wallMs: { a: { action: 5000, floor: 4000, twine: 6000, uv: 6100 }, b: { action: 2300, twine: 11600, uv: 11000 }, d: { action: 140 }, v: { verify: 3000 } },
    rssMB: { '1 GiB': 110, '10 MiB': 103, '2 GiB': 111 },
  };

  it('meets every target at the bounds it states', () => {
    const v = judgeTargets(good);
    assert.equal(v.length, 8);
    assert.ok(v.every((x) => x.met === true), JSON.stringify(v));
  });

  it('misses each target just past its bound', () => {
    const cases: Array<[string, (m: typeof good) => void]> = [
      ['(a) at most 1.3×', (m) => (m.wallMs.a.action = 5201)],
      ['(a) faster than twine', (m) => (m.wallMs.a.uv = 4999)],
      ['(a) peak RSS', (m) => (m.rssMB['2 GiB'] = 121)],
      ['(b) at most 4 s', (m) => (m.wallMs.b = { action: 4001, twine: 25000, uv: 26000 })],
      ['(b) at least 5×', (m) => (m.wallMs.b.twine = 11499)],
      ['(b) faster than uv', (m) => (m.wallMs.b.uv = 2300)],
      ['(d) at most 300 ms', (m) => (m.wallMs.d.action = 301)],
      ['(v) verify of a 200-file', (m) => (m.wallMs.v.verify = 3001)],
    ];
    for (const [target, spoil] of cases) {
      const m = structuredClone(good);
      spoil(m);
      const v = judgeTargets(m);
      assert.equal(met(v, target), false, target);
      assert.equal(v.filter((x) => x.met === false).length, 1, `${target}: only that one`);
    }
  });

  it('says nothing of a scenario that was not run, and "–" for a missing peer', () => {
    const v = judgeTargets({ wallMs: { b: { action: 2000 } }, rssMB: {} });
    assert.deepEqual(v.map((x) => x.target.slice(0, 3)), ['(b)', '(b)', '(b)']);
    assert.equal(met(v, '(b) at least 5×'), undefined);
    assert.match(targetsTable(v), /\| – \|/);
    assert.equal(targetsTable([]), '');
  });
});
