// The pre-flight against the PyPI stand-in on a directory of real dists (by hand, never in CI). Each
// file's verdict and message from the action (in-process) and from warehouse's checks
// (test/differential/judge.py) must agree; with --publish, every file PyPI accepts is then published
// in one run of the built action to a fresh world (a Trusted Publisher for each of their projects) and
// every bundle is checked by the independent verifiers. The dists are ones the project already has or
// builds (test/corpus/.cache, a build's dist/): a registry is no catalogue to scan.
//
//   node test/corpus/differential.ts test/corpus/.cache [--publish]
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pypiVerdict, type Verdict } from '../../src/dists/preflight.ts';
import { pypiControl } from '../helpers/pypi.ts';
import { runAction } from '../helpers/run-action.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { assertRunVerified } from '../helpers/verifiers.ts';
import { startWorld } from '../helpers/world.ts';
import { standInVerdicts } from '../helpers/judge.ts';

const repo = join(import.meta.dirname, '..', '..');
const dir = process.argv[2];
if (!dir) throw new Error('usage: node test/corpus/differential.ts DIR [--publish]');

interface Judged {
  accepted: boolean;
  message: string | null;
}

const files = (await readdir(dir)).filter((f) => /\.(whl|tar\.gz|zip)$/.test(f)).sort();
const ours: Verdict[] = [];
for (const f of files) ours.push(await pypiVerdict(join(dir, f)));
const theirs = standInVerdicts<Judged>(files.map((f, i) => ({ path: join(dir, f), filename: f, form: ours[i]?.form ?? null })));

let messagesEqual = 0;
const differ: string[] = [];
files.forEach((f, i) => {
  const a = ours[i] as Verdict;
  const b = theirs[i] as Judged;
  if (a.accepted === b.accepted && (a.message ?? null) === (b.message ?? null)) messagesEqual++;
  else differ.push(`${f}\n  action: ${a.accepted ? 'accept' : a.message}\n  PyPI:   ${b.accepted ? 'accept' : b.message}`);
});
const accepted = files.filter((_, i) => theirs[i]?.accepted);
console.log(`${files.length} files: PyPI accepts ${accepted.length}; verdict and message equal on ${messagesEqual}`);
for (const d of differ) console.log(d);

if (process.argv.includes('--publish')) await publishAll(accepted.map((f) => join(dir, f)));

/** Publishes every file in one run of the built action, then checks every bundle it made. */
async function publishAll(paths: string[]): Promise<void> {
  const ws = await scratchDir('corpus-publish-');
  await mkdir(join(ws, 'dist'));
  const projects = new Set<string>();
  for (const p of paths) {
    const name = (await pypiVerdict(p)).form?.find(([k]) => k === 'name')?.[1] ?? '';
    projects.add(name.toLowerCase().replace(/[-_.]+/g, '-'));
    await copyFile(p, join(ws, 'dist', p.split('/').pop() as string));
  }
  const world = await startWorld();
  try {
    const pypi = pypiControl(world);
    for (const project of projects) await pypi.trust({ project });
    const r = await runAction({ cwd: ws, inputs: { 'repository-url': pypi.uploadUrl }, env: world.env });
    console.log(
      r.stdout
        .split('\n')
        .filter((l) => / published to |::error/.test(l))
        .join('\n'),
    );
    await assertRunVerified(world, ws, r);
    console.log(`published and verified: ${paths.length} files of ${projects.size} projects (exit ${r.code})`);
  } finally {
    await world.stop();
  }
}
