// The archive fuzzer as a differential: mutants of the fuzz seeds (test/fuzz/seeds.ts: a fixture wheel
// and sdist, and the real dists of test/corpus/.cache when fetched) are judged by the action's
// pre-flight and by the PyPI stand-in's warehouse checks on CPython 3.14, PyPI's Python
// (test/differential/judge.py). Every verdict must agree; a message may differ only where PyPI fails
// with an exception of its own (a server error) that the action words otherwise, or where the action
// stops at a bound of its own, and those stay few. ARCHIVE_DIFFERENTIAL_SEED=N runs another seed;
// ARCHIVE_DIFFERENTIAL_SHOW=1 prints the messages that differ.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { pypiVerdict, type Verdict } from '../../src/dists/preflight.ts';
import { Rng } from '../../test/fuzz/rng.ts';
import { corpusSeeds, fixtureSeeds, plainMutant } from '../../test/fuzz/seeds.ts';
import { standInVerdicts } from '../../test/helpers/judge.ts';

const SEED = Number(process.env['ARCHIVE_DIFFERENTIAL_SEED'] ?? 5);
const MUTANTS = 600;

test(`${MUTANTS} mutants of wheels and sdists: the pre-flight's verdict is PyPI's on every one`, { timeout: 300_000 }, async (t) => {
  const rng = new Rng(SEED);
  const seeds = [...fixtureSeeds(), ...corpusSeeds()].filter((s) => s.bytes.length <= 512 * 1024);
  const wheels = seeds.filter((s) => s.filename.endsWith('.whl'));
  const sdists = seeds.filter((s) => s.tar);
  const bomb = deflateRawSync(Buffer.alloc(1 << 20));
  const dir = await mkdtemp(join(tmpdir(), 'archive-differential-'));
  try {
    const cases: Array<{ kind: string; path: string; filename: string }> = [];
    for (let i = 0; i < MUTANTS; i++) {
      const m = plainMutant(wheels, sdists, rng, bomb);
      await mkdir(join(dir, String(i)));
      const path = join(dir, String(i), m.filename);
      await writeFile(path, m.bytes);
      cases.push({ kind: m.kind, path, filename: m.filename });
    }
    const ours: Verdict[] = [];
    for (const c of cases) ours.push(await pypiVerdict(c.path));
    const theirs = standInVerdicts(cases.map((c, i) => ({ path: c.path, filename: c.filename, form: ours[i]!.form ?? null })));
    const differ: string[] = [];
    let same = 0;
    cases.forEach((c, i) => {
      const a = ours[i]!;
      const b = theirs[i]!;
      const pypi = b.accepted ? 'accept' : (b.message ?? `server error ${b.server_error}`);
      if (a.accepted !== b.accepted) differ.push(`#${i} ${c.kind} ${c.filename}\n    action: ${a.accepted ? 'accept' : a.message}\n    PyPI:   ${pypi}`);
      else if ((a.message ?? null) === (b.message ?? null) || (b.server_error && a.message?.includes(`raises ${b.server_error} `))) same++;
      else if (process.env['ARCHIVE_DIFFERENTIAL_SHOW']) t.diagnostic(`#${i} ${c.kind} ${c.filename}: action: ${a.message} | PyPI: ${pypi}`);
    });
    const accepted = theirs.filter((b) => b.accepted).length;
    t.diagnostic(
      `seed ${SEED}: ${seeds.length} seed files, ${MUTANTS} mutants; PyPI accepts ${accepted}; verdicts agree on ${MUTANTS - differ.length}, messages on ${same}`,
    );
    assert.deepEqual(differ, [], `${differ.length} verdicts differ (seed ${SEED}):\n${differ.slice(0, 20).join('\n')}`);
    assert.ok(accepted > 0 && accepted < MUTANTS, 'the mutants hold both verdicts');
    assert.ok(same >= MUTANTS * 0.9, `only ${same} of ${MUTANTS} messages are PyPI's`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
