// The bench's verdicts on the targets of issues #6, #20 and #21 (bench/targets.ts): each bound on the
// right side, and a scenario or peer that was not run judged as nothing rather than as met.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeTargets, targetsTable } from '../../bench/targets.ts';

const met = (v: ReturnType<typeof judgeTargets>, prefix: string) => v.find((x) => x.target.startsWith(prefix))?.met;

describe('judgeTargets', () => {
  // Every figure sits exactly on its bound.
  const good = {
    wallMs: {
      a: { action: 4600, floor: 4000, twine: 4602, uv: 6100 },
      b: { action: 2000, incumbent: 50000, twine: 10000, uv: 2001 },
      c: { action: 1000, incumbent: 5000, twine: 1001, uv: 1001 },
      e: { action: 9000, incumbent: 60000, twine: 9001, uv: 9001 },
      d: { action: 300 },
      v: { verify: 3000 },
    },
    rssMB: { '(a)': 80, '10 MiB': 70, '2 GiB': 80, '(b)': 80, '(c)': 79, '(e)': 80 },
  };

  it('meets every target at the bounds it states', () => {
    const v = judgeTargets(good);
    assert.equal(v.length, 12);
    assert.ok(
      v.every((x) => x.met === true),
      JSON.stringify(v, null, 1),
    );
  });

  it('misses each target just past its bound', () => {
    const cases: Array<[string, (m: typeof good) => void]> = [
      ['(a) at most 1.15×', (m) => (m.wallMs.a.action = 4601)],
      ['(a) faster than twine and uv', (m) => (m.wallMs.a.twine = 4600)],
      ['(b) at most 4 s', (m) => (m.wallMs.b = { action: 4001, incumbent: 200000, twine: 40000, uv: 26000 })],
      ['(b) at least 25×', (m) => (m.wallMs.b.incumbent = 49999)],
      ['(b) at least 5× faster than twine', (m) => (m.wallMs.b.twine = 9999)],
      ['(b) faster than uv', (m) => (m.wallMs.b.uv = 2000)],
      ['(c) at least 5×', (m) => (m.wallMs.c.incumbent = 4999)],
      ['(c) faster than twine and uv', (m) => (m.wallMs.c.uv = 1000)],
      ['(e) the fastest', (m) => (m.wallMs.e.incumbent = 9000)],
      ['peak RSS', (m) => (m.rssMB['(c)'] = 81)],
      ['peak RSS', (m) => (m.rssMB['2 GiB'] = 80.5)],
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
    const v = judgeTargets({ wallMs: { b: { action: 2000 }, e: { action: 9000, twine: 10000, uv: 10000 } }, rssMB: {} });
    assert.deepEqual(
      v.map((x) => x.target.slice(0, 3)),
      ['(b)', '(b)', '(b)', '(b)', '(e)'],
    );
    assert.equal(met(v, '(b) at least 25×'), undefined);
    assert.equal(met(v, '(b) at least 5×'), undefined);
    assert.equal(met(v, '(e) the fastest'), undefined, 'the incumbent did not run in (e)');
    assert.match(targetsTable(v), /\| – \|/);
    assert.equal(targetsTable([]), '');
  });
});
