// Runs a workflow with nektos/act in host mode (-P ubuntu-latest=-self-hosted: no docker), as
// __tests__/act/act.test.ts explains: act copies its own environment into the job's, so the world's
// variables reach the steps. Bounded in time; every process of the run carries a marker variable, and
// any that outlives act is killed by pid and reported.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const ACT = join(ROOT, '.tools/bin/act');
const NODE_DIR = join(ROOT, '.tools/node/bin');
const MARKER = 'ACT_E2E_RUN';
const KILL_GRACE_MS = 10_000;

export interface ActRun {
  code: number | null;
  output: string;
  timedOut: boolean;
  stragglers: number[];
}

/** `git args` in `cwd` with a throwaway identity and no signing; fails the test on a non-zero exit. */
function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=act-e2e', '-c', 'user.email=act-e2e@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

/** Makes `repo` a git repository whose origin is github.com/`repository` (act derives GITHUB_REPOSITORY
 * from it), with everything in one commit, tagged `tag` when given. */
export function commitRepository(repo: string, repository: string, message: string, tag?: string): void {
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', `https://github.com/${repository}`);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', message);
  if (tag) git(repo, 'tag', tag);
}

/** Pids of live processes whose environment carries MARKER=runId (Linux /proc). */
async function markedProcesses(runId: string): Promise<number[]> {
  const needle = `${MARKER}=${runId}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

/** `act push -W workflow` in `repo`, with `extra` in the environment; `tmp` holds HOME, caches, the event. */
export async function runAct(opts: {
  repo: string;
  tmp: string;
  workflow: string;
  event: string;
  extra: Record<string, string>;
  timeoutMs: number;
}): Promise<ActRun> {
  const runId = randomUUID();
  const home = join(opts.tmp, `home-${runId}`);
  await mkdir(home);
  const env: Record<string, string> = {
    PATH: `${NODE_DIR}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    LANG: 'C.UTF-8',
    TMPDIR: opts.tmp,
    [MARKER]: runId,
    ...opts.extra,
  };
  const none = join(opts.tmp, 'absent');
  const args = [
    'push',
    '-W',
    opts.workflow,
    '-P',
    'ubuntu-latest=-self-hosted',
    '-e',
    opts.event,
    // act starts a cache server on the outbound interface by default; loopback only here.
    '--no-cache-server',
    // Ignore any .env/.secrets/.vars/.input convention files: the job sees exactly `env`.
    '--env-file',
    none,
    '--secret-file',
    none,
    '--var-file',
    none,
    '--input-file',
    none,
  ];
  const child = spawn(ACT, args, { cwd: opts.repo, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // A test process that dies mid-run must not leave act behind.
  const killGroup = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', killGroup);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  let timedOut = false;
  // On timeout: SIGINT lets act cancel its steps (exec.CommandContext), then SIGKILL its group.
  const soft = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT');
  }, opts.timeoutMs);
  const hard = setTimeout(killGroup, opts.timeoutMs + KILL_GRACE_MS);
  const code = await exited;
  clearTimeout(soft);
  clearTimeout(hard);
  process.removeListener('exit', killGroup);
  const stragglers = await markedProcesses(runId);
  for (const pid of stragglers)
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  if (process.env['ACT_E2E_LOG']) process.stderr.write(`--- act ${args.join(' ')}\n${output}\n`);
  return { code, output, timedOut, stragglers };
}
