// The demo: a release workflow's two jobs, rehearsed on this machine. Starts the local world
// (Sigstore, GitHub OIDC, PyPI stand-in on 127.0.0.1), builds a sample sdist and wheel, runs the build
// job's step (dist/build-provenance.js: the SLSA build provenance of each dist) and then the publish
// step (dist/index.js), with the environment a runner gives a job with `id-token: write`, then checks
// every attestation the index serves with pypi-attestations, the code PyPI runs.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { startWorld, type World } from '../test/helpers/world.ts';
import { pypiControl } from '../test/helpers/pypi.ts';
import { buildSdist, buildWheel } from '../test/fixtures/dists/build.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PROJECT = 'sampleproject';
const VERSION = '1.0.0';

// The world leads its own process group, so Ctrl-C, or a test giving up on the demo with SIGTERM,
// reaches this process but not the world: stop it here. Exiting also runs startWorld's exit hook,
// which kills a world that is still starting.
let running: World | undefined;
let action: ChildProcess | undefined;
for (const [signal, exitCode] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    action?.kill('SIGTERM');
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(exitCode));
  });
}

const world = await startWorld();
running = world;
// Named so a test (or a user) can check that nothing is left once the demo ends.
console.log(`== Local world started (process group ${world.pid})`);
let code = 1;
try {
  const pypi = pypiControl(world);
  await pypi.trust({ project: PROJECT });
  const work = join(ROOT, '.work', 'demo');
  await rm(work, { recursive: true, force: true });
  const dist = join(work, 'dist');
  await mkdir(dist, { recursive: true });
  const readme = '# sampleproject\n\nPublished by the demo of this action, signed by the local Sigstore.\n';
  await buildSdist(dist, { name: PROJECT, version: VERSION, metadata: { 'Description-Content-Type': 'text/markdown' }, body: readme });
  await buildWheel(dist, { name: PROJECT, version: VERSION, metadata: { 'Description-Content-Type': 'text/markdown' }, body: readme });

  const runner = await mkdtemp(join(work, 'runner-'));
  const summary = join(runner, 'step-summary.md');
  await writeFile(summary, '');
  await writeFile(join(runner, 'output'), '');
  const step = (entry: string, inputs: Record<string, string>) => runStep(world, join(ROOT, entry), { work, runner, summary }, inputs);
  console.log('\n== Build job: build-provenance (dist/build-provenance.js) signs the SLSA build provenance of each dist\n');
  code = await step('dist/build-provenance.js', { 'INPUT_SUBJECT-PATH': 'dist' });
  if (code !== 0) throw new Error('the build-provenance step failed');
  console.log(`\n== Publish job: the action (dist/index.js) against ${pypi.uploadUrl}\n`);
  code = await step('dist/index.js', { 'INPUT_REPOSITORY-URL': pypi.uploadUrl, 'INPUT_PACKAGES-DIR': 'dist' });
  console.log(`\n== Job summary (${summary})\n\n${await readFile(summary, 'utf8')}`);

  console.log('== Checking the published provenance with pypi-attestations (the code PyPI runs)\n');
  for (const { filename, sha256 } of await pypi.files(PROJECT)) {
    const res = await pypi.provenance(PROJECT, VERSION, filename);
    const provenance = (await res.json()) as { attestation_bundles: Array<{ attestations: unknown[] }> };
    for (const [i, served] of (provenance.attestation_bundles[0]?.attestations ?? []).entries()) {
      const attestation = join(runner, `${filename}.served-${i}.attestation`);
      await writeFile(attestation, JSON.stringify(served));
      const { stdout } = await promisify(execFile)(join(ROOT, '.venv/bin/python'), [
        join(ROOT, 'test/world/check_attestation.py'),
        '--trusted-root',
        world.env['WORLD_TRUSTED_ROOT'] as string,
        '--attestation',
        attestation,
        '--repository',
        'octo-org/sampleproject',
        '--workflow',
        'release.yml',
        '--dist-name',
        filename,
        '--dist-sha256',
        sha256,
      ]);
      const verdict = JSON.parse(stdout) as { predicate_type: string };
      console.log(`  ${filename}: ${JSON.stringify({ predicate_type: verdict.predicate_type }, null, 1).replace(/\n\s*/g, ' ')}`);
    }
  }
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  await world.stop();
}
process.exit(code);

/** Runs one bundled action entry as a job step does; `::add-mask::` lines are consumed, as the runner does. */
function runStep(world: World, entry: string, dirs: { work: string; runner: string; summary: string }, inputs: Record<string, string>): Promise<number> {
  return new Promise<number>((done) => {
    const child = (action = spawn(process.execPath, [entry], {
      cwd: dirs.work,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        PATH: process.env['PATH'],
        ...world.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: dirs.work,
        GITHUB_REPOSITORY: 'octo-org/sampleproject',
        GITHUB_WORKFLOW_REF: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_STEP_SUMMARY: dirs.summary,
        GITHUB_OUTPUT: join(dirs.runner, 'output'),
        RUNNER_TEMP: dirs.runner,
        ...inputs,
      },
    }));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('::add-mask::')) console.log(line);
    });
    child.on('close', (c) => done(c ?? 1));
  });
}
