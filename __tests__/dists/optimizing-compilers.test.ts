// V8's optimizing compilers (src/io/optimizing-compilers.ts): off from the entry on, which takes
// 5–20 MB off a publish's peak (issue #21), and back on for the checks of an input large enough to
// make its JavaScript hot: a zip of ~2,000 members, a tar of 2,000, a description of 64 Ki characters.
// Without that, checking a wheel of 40,000 files took twice as long. The rest of a run (a 1 GiB wheel
// of one member included) keeps them off.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pypiVerdict } from '../../src/dists/preflight.ts';
import { optimizeLess, optimizingNow } from '../../src/io/optimizing-compilers.ts';
import { OPTIMIZE_DESCRIPTION_CHARS, OPTIMIZE_TAR_MEMBERS, OPTIMIZE_ZIP_DIRECTORY_BYTES } from '../../src/tunables.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';

const MODULE = new URL('../../src/io/optimizing-compilers.ts', import.meta.url).href;

/** Whether V8 optimizes a function asked to be optimized, before, between and after the two calls. */
function optimizedFunctions(): Record<string, boolean> {
  const script = `
    import { optimizeLess, optimizeFromNowOn } from ${JSON.stringify(MODULE)};
    const OPTIMIZED = 1 << 4;
    function optimized(f, maglev) {
      %PrepareFunctionForOptimization(f);
      f(1); f(2);
      if (maglev) %OptimizeMaglevOnNextCall(f); else %OptimizeFunctionOnNextCall(f);
      f(3);
      return (%GetOptimizationStatus(f) & OPTIMIZED) !== 0;
    }
    const r = { turbofan: optimized((i) => i * 2 + 1), maglev: optimized((i) => i * 3 + 1, true) };
    optimizeLess();
    Object.assign(r, { turbofanOff: optimized((i) => i * 5 + 1), maglevOff: optimized((i) => i * 7 + 1, true) });
    optimizeFromNowOn();
    Object.assign(r, { turbofanOn: optimized((i) => i * 11 + 1), maglevOn: optimized((i) => i * 13 + 1, true) });
    console.log(JSON.stringify(r));`;
  return JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' }));
}

/** Whether V8 still optimizes when the built entry `args` (run as node would, without inputs) exits. */
async function optimizingAtExit(args: string[]): Promise<boolean> {
  const probe = join(await scratchDir('optimizing-probe-'), 'probe.mjs');
  await writeFile(
    probe,
    `import { writeSync } from 'node:fs';
process.on('exit', () => {
  const f = (i) => i * 2 + 1;
  %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3);
  writeSync(2, '\\noptimizing: ' + ((%GetOptimizationStatus(f) & 16) !== 0) + '\\n');
});`,
  );
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', probe, ...args], {
    cwd: await scratchDir('optimizing-cwd-'),
    env: { PATH: process.env['PATH'] ?? '' },
    encoding: 'utf8',
  });
  const said = /^optimizing: (true|false)$/m.exec(run.stderr)?.[1];
  assert.ok(said, run.stderr);
  return said === 'true';
}

it("the built action's entry and the CLI's check and upload turn them off; verify keeps V8's defaults", async () => {
  const dist = resolve(import.meta.dirname, '../../dist');
  assert.equal(await optimizingAtExit([join(dist, 'index.js')]), false, 'dist/index.js');
  assert.equal(await optimizingAtExit([join(dist, 'cli.js'), 'check', 'nothing-here']), false, 'check');
  assert.equal(
    await optimizingAtExit([join(dist, 'cli.js'), 'upload', '--repository-url', 'http://127.0.0.1:9/legacy/', '--packages-dir', 'nothing-here']),
    false,
    'upload',
  );
  assert.equal(await optimizingAtExit([join(dist, 'cli.js'), 'verify', '--help']), true, 'verify');
});

it('optimizeLess stops V8 from optimizing with Maglev and Turbofan; optimizeFromNowOn lets it again', () => {
  assert.deepEqual(optimizedFunctions(), { turbofan: true, maglev: true, turbofanOff: false, maglevOff: false, turbofanOn: true, maglevOn: true });
});

describe('the checks turn them back on for a large input, and only then', async () => {
  const dir = await scratchDir('optimizing-');
  /** Whether checking `path` (accepted, as PyPI would) turned the optimizing compilers on. */
  async function turnsThemOn(path: string): Promise<boolean> {
    optimizeLess();
    const verdict = await pypiVerdict(path);
    assert.deepEqual(
      verdict.problems?.filter((p) => p.severity === 'error'),
      [],
    );
    return optimizingNow();
  }
  const files = (n: number, name = (i: number) => `many/m${i}.py`) => Object.fromEntries(Array.from({ length: n }, (_, i) => [name(i), `x = ${i}\n`]));

  it('a plain wheel and sdist leave them off', async () => {
    assert.equal(await turnsThemOn(await buildWheel(dir, { name: 'plain', version: '1.0' })), false);
    assert.equal(await turnsThemOn(await buildSdist(dir, { name: 'plain', version: '1.0' })), false);
  });

  it('a wheel of one large member leaves them off: its checks read little', async () => {
    const path = await buildWheel(dir, { name: 'large-member', version: '1.0', files: { 'large_member/data.bin': Buffer.alloc(12 << 20, 1) } });
    assert.equal(await turnsThemOn(path), false);
  });

  it(`a wheel whose central directory is ${OPTIMIZE_ZIP_DIRECTORY_BYTES} bytes or more turns them on; one just under it does not`, async () => {
    // Each record is 46 bytes, its name, and no extra field here.
    const record = (name: string) => 46 + Buffer.byteLength(name);
    const name = (i: number) => `many_files/${String(i).padStart(6, '0')}.py`;
    const base = ['many_files/__init__.py', 'many_files-1.0.dist-info/METADATA', 'many_files-1.0.dist-info/WHEEL', 'many_files-1.0.dist-info/RECORD'];
    const fixed = base.reduce((n, m) => n + record(m), 0);
    const under = Math.floor((OPTIMIZE_ZIP_DIRECTORY_BYTES - 1 - fixed) / record(name(0)));
    assert.equal(await turnsThemOn(await buildWheel(`${dir}/under`, { name: 'many-files', version: '1.0', files: files(under, name) })), false);
    assert.equal(await turnsThemOn(await buildWheel(`${dir}/over`, { name: 'many-files', version: '1.0', files: files(under + 1, name) })), true);
  });

  it(`an sdist of ${OPTIMIZE_TAR_MEMBERS} members turns them on`, async () => {
    assert.equal(await turnsThemOn(await buildSdist(dir, { name: 'many-members', version: '1.0', files: files(OPTIMIZE_TAR_MEMBERS) })), true);
  });

  it(`a description of ${OPTIMIZE_DESCRIPTION_CHARS} characters turns them on; a shorter one does not`, async () => {
    const text = (n: number) => 'word '.repeat(Math.ceil(n / 5)).slice(0, n - 1) + '\n';
    assert.equal(
      await turnsThemOn(await buildWheel(`${dir}/short`, { name: 'long-readme', version: '1.0', body: text(OPTIMIZE_DESCRIPTION_CHARS - 100) })),
      false,
    );
    assert.equal(
      await turnsThemOn(await buildWheel(`${dir}/long`, { name: 'long-readme', version: '1.0', body: text(OPTIMIZE_DESCRIPTION_CHARS + 100) })),
      true,
    );
  });
});
