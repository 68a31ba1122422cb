// Issue #15, what the report lets through, through the built action (dist/index.js):
//   item 6  — data (a dist's file name) never becomes a workflow command the runner would run;
//   item 10 — 10,000 bad files: the summary and the outputs stay under GitHub's limits, with a note.
// The runner's parsing is mirrored from actions/runner (ActionCommand.cs): a line is split at \n, \r
// and \r\n; `::name …::data` after .NET's TrimStart, and `##[name …]data` anywhere in a line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

/** The commands the runner registers (a line naming another is printed as is). */
const RUNNER_COMMANDS = new Set([
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'debug',
  'notice',
  'warning',
  'error',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
  'internal-set-repo-path',
]);
/** What .NET's String.TrimStart() trims: Unicode white space, U+0085 included. */
const DOTNET_SPACE = /^[\s\u0085]*/;

/** The workflow commands the runner would run from `output`: name and data. */
export function workflowCommands(output: string): Array<{ name: string; data: string }> {
  const found: Array<{ name: string; data: string }> = [];
  for (const raw of output.split(/\r\n|\r|\n/)) {
    const line = raw.replace(DOTNET_SPACE, '');
    const v2 = /^::([^:]*?)(?: [^:]*)?::(.*)$/s.exec(line);
    if (v2?.[1] !== undefined && RUNNER_COMMANDS.has(v2[1])) {
      found.push({ name: v2[1], data: v2[2] ?? '' });
      continue;
    }
    const at = raw.indexOf('##[');
    const end = at < 0 ? -1 : raw.indexOf(']', at);
    if (end > at) {
      const name = raw.slice(at + 3, end).split(' ')[0] ?? '';
      if (RUNNER_COMMANDS.has(name)) found.push({ name, data: raw.slice(end + 1) });
    }
  }
  return found;
}

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs);

test('a dist named to carry workflow commands (\\n::error::, \\r::add-mask::, ##[warning], U+0085) is printed, never run', async () => {
  const { world, pypi } = suite;
  await pypi.trust({ project: 'inert-names' });
  const cwd = await scratchDir('inert-');
  const dist = join(cwd, 'dist');
  await buildWheel(dist, { name: 'inert-names', version: '1.0.0' });
  const hostile = [
    'a\n::error title=Owned::INJECTED-ERROR\n-1.0.tar.gz',
    'b\r::add-mask::INJECTED-MASK\r-1.0.tar.gz',
    'c ##[warning]INJECTED-V1-1.0.tar.gz',
    'd\n\u0085 ::stop-commands::INJECTED-STOP\n-1.0.tar.gz',
    'e\n  ::notice::INJECTED-NOTICE-1.0-py3-none-any.whl',
  ];
  for (const name of hostile) await writeFile(join(dist, name), 'not an archive');
  const r = await runAction({ cwd, inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist' }, env: world.env });
  runs.push(r);
  assert.equal(r.code, 1, r.stdout);
  // Every hostile name is reported, by its real name, in the results output.
  for (const name of hostile)
    assert.ok(
      r.results.some((x) => x.filename === name),
      `${JSON.stringify(name)} is in results`,
    );
  // Each hostile name puts its command right before INJECTED: a command whose data starts there came
  // from a file name. The action's own annotations quote the names as escaped data (%0A), shown, never run.
  const commands = [...workflowCommands(r.stdout), ...workflowCommands(r.stderr)];
  assert.deepEqual(
    commands.filter((c) => c.data.startsWith('INJECTED')),
    [],
    'no line of the log runs as a workflow command made of a file name',
  );
  assert.ok(
    commands.some((c) => c.name === 'error' && c.data.includes('INJECTED-ERROR')),
    'the names are in the log, as data',
  );
});

test('10,000 bad files: the summary stays under 1 MiB and the outputs under 1 MB, each with a note of what was cut', async () => {
  const { world, pypi } = suite;
  await pypi.trust({ project: 'many-bad' });
  const cwd = await scratchDir('many-bad-');
  const dist = join(cwd, 'dist');
  await mkdir(dist, { recursive: true });
  const n = 10_000;
  for (let i = 0; i < n; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, k) => writeFile(join(dist, `many_bad-1.0.${i + k}-py3-none-any.whl`), 'not a zip')));
  }
  const r = await runAction({ cwd, inputs: { 'repository-url': pypi.uploadUrl, 'packages-dir': 'dist' }, env: world.env });
  runs.push(r);
  assert.equal(r.code, 1);
  const summaryBytes = Buffer.byteLength(r.summary, 'utf8');
  assert.ok(summaryBytes > 0 && summaryBytes <= 1024 * 1024, `the summary is ${summaryBytes} bytes; GitHub drops one over 1 MiB`);
  assert.match(r.summary, /The summary was cut here: [\d,]+ more lines/);
  const outputsUtf16 = Object.entries(r.outputs).reduce((sum, [k, v]) => sum + 2 * (k.length + v.length), 0);
  assert.ok(outputsUtf16 <= 1_000_000, `the outputs are ${outputsUtf16} bytes in UTF-16; GitHub's limit for a job is 1 MB`);
  // Still valid JSON, with whole entries only, and the cut is said in the log.
  assert.ok(r.results.length > 100 && r.results.length < n, `${r.results.length} entries kept`);
  assert.ok(r.results.every((x) => x.status !== 'uploaded' && typeof x.filename === 'string'));
  assert.match(r.stdout, /::warning[^:]*::The `results` output was cut to stay under GitHub's 1 MB limit on a job's outputs: \d+ of 10000 entries left out/);
  assert.match(r.stdout, /::warning[^:]*::The job summary was cut to stay under GitHub's 1 MiB limit/);
  // The log keeps every file's result, the last one too.
  assert.match(r.stdout, /many_bad-1\.0\.9999-py3-none-any\.whl/);
});
