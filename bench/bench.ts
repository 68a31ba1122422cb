// npm run bench (= bash bench/run.sh [--quick] [--runs N] [--only a,b,c,d,e,v] [--write FILE] [--keep]).
//
// Builds the dists, starts the local world (loopback only) and publishes the same dists with this
// action (dist/index.js, Trusted Publishing + attestations, as a workflow runs it), with the
// incumbent's pipeline (bench/incumbent.py: twine check, sigstore-python, print-hash, twine upload),
// with `twine upload` (twine 7) and with `uv publish`, each to a fresh index, every one uploading
// attestations, and measures the floor: one SHA-256 read of the files (openssl) + a plain sequential
// multipart upload of them with curl (one process, keep-alive). Wall time, CPU time (user+sys) and
// peak RSS of each child come from /usr/bin/time -v-style rusage (or a Python rusage wrapper when
// /usr/bin/time is absent); the figure shown is the median of the runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { startWorld, type World } from '../test/helpers/world.ts';
import { pypiControl } from '../test/helpers/pypi.ts';
import { runnerEnv } from '../test/helpers/run-action.ts';
import { judgeTargets, targetsTable, type Medians } from './targets.ts';
import { writeWheel } from './dists.ts';
import { setUpVerifyBench } from './verify.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ACTION = join(ROOT, 'dist/index.js');
const NODE = process.execPath;
const TWINE = join(ROOT, '.venv/bin/twine');
const UV = join(ROOT, '.venv/bin/uv');
const PYTHON = join(ROOT, '.venv/bin/python');
const INCUMBENT = join(ROOT, 'bench/incumbent.py');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const MiB = 1 << 20;
const GiB = 1 << 30;
/** The stand-in's hard cap per file (upload.HARD_CAP); bigger files are streamed but refused. */
const INDEX_CAP = GiB + MiB;

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag('--quick');
const RUNS = Number(opt('--runs') ?? 3);
const ONLY = new Set((opt('--only') ?? 'a,b,c,d,e,v').split(','));
const WRITE = opt('--write');
const KEEP = flag('--keep');
const SIZES = {
  a: QUICK ? 64 * MiB : GiB - 64 * 1024,
  rss: QUICK ? [10 * MiB] : [10 * MiB, 2 * GiB],
  bCount: QUICK ? 20 : 100,
  bSize: MiB,
  cCount: QUICK ? 60 : 300,
  cSize: 4 * 1024,
  latency: 100,
  dRuns: QUICK ? 5 : 9,
  eCount: QUICK ? 10 : 30,
  eSize: 20 * MiB,
  /** (v): projects of one sdist + one wheel each in the verified lock file */
  vProjects: QUICK ? 20 : 100,
};

/** (e)'s latencies in ms, about what a runner meets at public-good Sigstore and PyPI. */
const REAL_LATENCY = { rekor: 400, tsa: 150, fulcio: 300, index: 100, upload: 700 };

// ------------------------------------------------------------------ measuring a child
interface Measure {
  wallMs: number;
  cpuMs: number;
  rssMB: number;
  code: number;
  out: string;
}

async function measure(cmd: string, args: string[], env: Record<string, string>, cwd: string, input?: string): Promise<Measure> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-m-'));
  const rusage = join(dir, 'rusage');
  const argvFull = TIME ? [TIME, '-f', '%e %U %S %M', '-o', rusage, cmd, ...args] : [PYTHON, '-c', RUSAGE_PY, rusage, cmd, ...args];
  const started = performance.now();
  const child = spawn(argvFull[0] as string, argvFull.slice(1), { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin?.end(input);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? -1)));
  const wallMs = performance.now() - started;
  const fields = (await readFile(rusage, 'utf8').catch(() => '')).trim().split('\n').pop()?.split(/\s+/) ?? [];
  await rm(dir, { recursive: true, force: true });
  const [, user, sys, maxKB] = fields.map(Number);
  return { wallMs, cpuMs: ((user ?? NaN) + (sys ?? NaN)) * 1000, rssMB: (maxKB ?? NaN) / 1024, code, out };
}

// Fallback when /usr/bin/time is missing: rusage of the (only) child, same output format.
const RUSAGE_PY = `import resource, subprocess, sys, time
t = time.monotonic(); rc = subprocess.call(sys.argv[2:]); e = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f %.3f %.3f %d\\n" % (e, u.ru_utime, u.ru_stime, u.ru_maxrss))
sys.exit(rc)`;

const sum = (a: Measure, b: Measure): Measure => ({
  wallMs: a.wallMs + b.wallMs,
  cpuMs: a.cpuMs + b.cpuMs,
  rssMB: Math.max(a.rssMB, b.rssMB),
  code: a.code || b.code,
  out: a.out + b.out,
});
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

// ------------------------------------------------------------------ the world and the tools
let world: World;
let pypi: ReturnType<typeof pypiControl>;
const USER = 'bench-user';
const PASSWORD = 'bench-password-not-secret';

async function control(path: string, body: unknown) {
  const res = await fetch(`${pypi.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A fresh index: empty state, then the project (with a limit that fits the file), publisher and user. */
async function freshIndex(project: string, latencyMs = 0) {
  await control('/_world/reset', {});
  await pypi.project(project, INDEX_CAP);
  await pypi.trust({ project });
  await pypi.user(USER, PASSWORD, [project]);
  if (latencyMs) await control('/_world/latency', { ms: latencyMs });
}

function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

type Tool = 'action' | 'incumbent' | 'twine' | 'uv' | 'floor' | 'verify';

async function runAction(dir: string, extraEnv: Record<string, string> = {}): Promise<Measure> {
  const runner = await runnerEnv(dir);
  const env = { ...runner.env, ...baseEnv(runner.files.dir), ...world.env, 'INPUT_REPOSITORY-URL': pypi.uploadUrl, 'INPUT_PACKAGES-DIR': '.', ...extraEnv };
  const m = await measure(NODE, [ACTION], env, dir);
  await rm(runner.files.dir, { recursive: true, force: true });
  return m;
}

async function runTwine(files: string[], password: { user: string; password: string }, attestations: boolean): Promise<Measure> {
  const home = await mkdtemp(join(tmpdir(), 'bench-home-'));
  const env = { ...baseEnv(home), PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring', NO_COLOR: '1' };
  const args = [
    'upload',
    '--non-interactive',
    '--disable-progress-bar',
    '--repository-url',
    pypi.uploadUrl,
    '-u',
    password.user,
    '-p',
    password.password,
    ...(attestations ? ['--attestations'] : []),
    ...files,
    ...(attestations ? files.map((f) => `${f}.publish.attestation`) : []),
  ];
  const m = await measure(TWINE, args, env, home);
  await rm(home, { recursive: true, force: true });
  return m;
}

async function runUv(files: string[], password: { user: string; password: string }, attestations: boolean): Promise<Measure> {
  const home = await mkdtemp(join(tmpdir(), 'bench-home-'));
  const env = { ...baseEnv(home), UV_NO_CACHE: '1', NO_COLOR: '1' };
  // uv groups `<dist>.publish.attestation` files with their dist only when they are given among its paths.
  const args = [
    'publish',
    '--publish-url',
    pypi.uploadUrl,
    '--trusted-publishing',
    'never',
    '-u',
    password.user,
    '-p',
    password.password,
    ...(attestations ? [] : ['--no-attestations']),
    ...files,
    ...(attestations ? files.map((f) => `${f}.publish.attestation`) : []),
  ];
  const m = await measure(UV, args, env, home);
  await rm(home, { recursive: true, force: true });
  return m;
}

/** The incumbent's pipeline (bench/incumbent.py): exchange, twine check, sigstore-python, print-hash, twine upload. */
async function runIncumbent(dir: string): Promise<Measure> {
  const home = await mkdtemp(join(tmpdir(), 'bench-home-'));
  const ids = {
    ACTIONS_ID_TOKEN_REQUEST_URL: world.env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '',
  };
  const env = { ...baseEnv(home), ...ids, PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring', NO_COLOR: '1' };
  const m = await measure(PYTHON, [INCUMBENT, '--repository-url', pypi.uploadUrl, '--trust-config', world.env['WORLD_TRUST_CONFIG'] ?? '', dir], env, home);
  await rm(home, { recursive: true, force: true });
  return m;
}

async function runFloor(files: string[], project: string, version: string): Promise<Measure> {
  const home = await mkdtemp(join(tmpdir(), 'bench-home-'));
  const sha = await measure('openssl', ['dgst', '-sha256', ...files], baseEnv(home), home);
  const digests = new Map<string, string>();
  for (const line of sha.out.trim().split('\n')) {
    const m = /^SHA2?-?256\((.*)\)= ([0-9a-f]{64})$/.exec(line.trim());
    if (m) digests.set(m[1] as string, m[2] as string);
  }
  // One curl, one connection, the files one after the other (`next` = --next).
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const config = files
    .map((f) =>
      [
        `url = ${q(pypi.uploadUrl)}`,
        `user = ${q(`${USER}:${PASSWORD}`)}`,
        'silent',
        'show-error',
        'output = "/dev/null"',
        `write-out = "%{http_code}\\n"`,
        ...[
          [':action', 'file_upload'],
          ['protocol_version', '1'],
          ['filetype', 'bdist_wheel'],
          ['pyversion', 'py3'],
          ['metadata_version', '2.1'],
          ['name', project],
          ['version', version],
          ['sha256_digest', digests.get(f) ?? ''],
        ].map(([k, v]) => `form-string = ${q(`${k}=${v}`)}`),
        `form = ${q(`content=@${f};type=application/octet-stream`)}`,
      ].join('\n'),
    )
    .join('\nnext\n');
  const cfg = join(home, 'curl.cfg');
  await writeFile(cfg, config);
  const up = await measure('curl', ['--config', cfg], baseEnv(home), home);
  await rm(home, { recursive: true, force: true });
  const codes = up.out.trim().split('\n');
  const bad = codes.filter((c) => c !== '200');
  return { ...sum(sha, up), code: sha.code || up.code || (bad.length ? 1 : 0), out: bad.length ? `curl answers: ${codes.join(' ')}\n${up.out}` : '' };
}

// ------------------------------------------------------------------ results
interface Row {
  scenario: string;
  tool: Tool;
  label: string;
  runs: Measure[];
}
const rows: Row[] = [];
const notes: string[] = [];
const failures: string[] = [];

function record(scenario: string, tool: Tool, label: string, m: Measure, ok: (m: Measure) => boolean) {
  let row = rows.find((r) => r.scenario === scenario && r.tool === tool);
  if (!row) rows.push((row = { scenario, tool, label, runs: [] }));
  row.runs.push(m);
  if (!ok(m)) failures.push(`${scenario}/${tool}: exit ${m.code}\n${m.out.slice(-3000)}`);
  process.stderr.write(
    `  ${scenario} ${tool.padEnd(6)} ${(m.wallMs / 1000).toFixed(2)} s wall, ${(m.cpuMs / 1000).toFixed(2)} s CPU, ${m.rssMB.toFixed(0)} MB${ok(m) ? '' : '  FAILED'}\n`,
  );
}

// ------------------------------------------------------------------ scenarios
/**
 * Where the peers publish from, made once from the action's first run (outside every timing): hard
 * links of the dists with the action's `<dist>.publish.attestation` beside them (twine and uv upload
 * those, so the index verifies the same attestations for every tool), and a directory of the dists
 * alone for the incumbent's pipeline, which makes its own.
 */
interface PeerDirs {
  attested: string[];
  plainDir: string;
}

async function peerDirs(root: string, name: string, files: string[]): Promise<PeerDirs> {
  const attestedDir = join(root, `${name}-attested`);
  const plainDir = join(root, `${name}-plain`);
  await mkdir(attestedDir, { recursive: true });
  await mkdir(plainDir, { recursive: true });
  for (const f of files) {
    await link(f, join(attestedDir, basename(f)));
    await copyFile(`${f}.publish.attestation`, join(attestedDir, `${basename(f)}.publish.attestation`));
    await link(f, join(plainDir, basename(f)));
  }
  return { attested: files.map((f) => join(attestedDir, basename(f))), plainDir };
}

/** The index's latency: `index` ms on every request, `upload` ms in all on each upload's answer. */
interface IndexLatency {
  index: number;
  upload: number;
}

async function slowIndex(latency: IndexLatency | undefined, uploads: number): Promise<void> {
  if (!latency) return;
  if (latency.index) await control('/_world/latency', { ms: latency.index });
  const extra = latency.upload - latency.index;
  if (extra > 0) await control('/_world/faults', { method: 'POST', path: '/legacy/', count: Math.min(100, uploads), delayMs: extra });
}

/**
 * One timed run of `tool` on a fresh index. twine and uv cannot do the Trusted Publishing exchange
 * against a loopback index: their token is minted here before the index is slowed down (untimed).
 */
async function publishOnce(
  tool: Tool,
  project: string,
  dir: string,
  files: string[],
  peers: () => Promise<PeerDirs>,
  latency?: IndexLatency,
): Promise<Measure> {
  await freshIndex(project);
  if (tool === 'action') {
    await slowIndex(latency, files.length);
    return runAction(dir);
  }
  if (tool === 'floor') {
    await slowIndex(latency, files.length);
    return runFloor(files, project, '1.0');
  }
  const { attested, plainDir } = await peers();
  if (tool === 'incumbent') {
    for (const f of files) await rm(join(plainDir, `${basename(f)}.publish.attestation`), { force: true });
    await slowIndex(latency, files.length);
    return runIncumbent(plainDir);
  }
  const token = { user: '__token__', password: await pypi.mintToken() };
  await slowIndex(latency, files.length);
  return tool === 'twine' ? runTwine(attested, token, true) : runUv(attested, token, true);
}

/** Runs every tool RUNS times (the action first, so the peers can upload its attestations). */
async function publishScenario(scenario: string, label: string, project: string, dir: string, files: string[], tools: Tool[], latency?: IndexLatency) {
  process.stderr.write(`${label}\n`);
  let dirs: Promise<PeerDirs> | undefined;
  const peers = () => (dirs ??= peerDirs(dirname(dir), basename(dir), files));
  for (let r = 0; r < RUNS; r++) {
    for (const tool of tools) {
      const m = await publishOnce(tool, project, dir, files, peers, latency);
      const state = (await pypi.state()) as { files: Array<{ has_provenance?: boolean }> };
      const withProvenance = state.files.filter((f) => f.has_provenance).length;
      if (tool !== 'floor' && withProvenance !== files.length) m.out += `\n${withProvenance} of ${state.files.length} files stored with provenance`;
      record(scenario, tool, label, m, (x) => x.code === 0 && state.files.length === files.length && (tool === 'floor' || withProvenance === files.length));
    }
  }
  await control('/_world/reset', {});
}

async function sigstoreLatency(ms: { fulcio: number; rekor: number; tsa: number }) {
  for (const s of ['fulcio', 'rekor', 'tsa'] as const) await world.latency(s, ms[s]);
}

async function scenarioA(root: string) {
  const project = 'bench-big';
  const dir = join(root, 'a');
  const whl = await writeWheel(dir, project, '1.0', SIZES.a);
  await publishScenario('a', `(a) one ${fmtSize(SIZES.a)} wheel`, project, dir, [whl], ['floor', 'action', 'twine', 'uv']);
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-attested`, { recursive: true, force: true });
  await rm(`${dir}-plain`, { recursive: true, force: true });
  // Peak RSS of the action at other sizes (one run each).
  for (const size of SIZES.rss) {
    const d = join(root, `rss-${size}`);
    await writeWheel(d, project, '1.0', size);
    await freshIndex(project);
    const m = await runAction(d);
    const accepted = size <= INDEX_CAP;
    const scen = `rss-${fmtSize(size)}`;
    record(
      scen,
      'action',
      `peak RSS, one ${fmtSize(size)} wheel${accepted ? '' : ' (whole body streamed; the stand-in refuses files over its 1 GiB cap, as expected)'}`,
      m,
      (x) => (accepted ? x.code === 0 : /File too large/.test(x.out)),
    );
    await rm(d, { recursive: true, force: true });
  }
}

async function manyWheels(root: string, name: string, project: string, count: number, size: number): Promise<string[]> {
  const dir = join(root, name);
  const files: string[] = [];
  for (let i = 0; i < count; i++) files.push(await writeWheel(dir, project, '1.0', size, `py3-none-manylinux_2_${17 + i}_x86_64`));
  return files;
}

const PEERS: Tool[] = ['action', 'floor', 'incumbent', 'twine', 'uv'];

async function scenarioB(root: string) {
  const project = 'bench-many';
  const files = await manyWheels(root, 'b', project, SIZES.bCount, SIZES.bSize);
  const label = `(b) ${SIZES.bCount} wheels of ${fmtSize(SIZES.bSize)}, ${SIZES.latency} ms latency on every Sigstore and index request`;
  await sigstoreLatency({ fulcio: SIZES.latency, rekor: SIZES.latency, tsa: SIZES.latency });
  await publishScenario('b', label, project, join(root, 'b'), files, PEERS, { index: SIZES.latency, upload: SIZES.latency });
  await sigstoreLatency({ fulcio: 0, rekor: 0, tsa: 0 });
}

async function scenarioC(root: string) {
  const project = 'bench-small';
  const files = await manyWheels(root, 'c', project, SIZES.cCount, SIZES.cSize);
  await publishScenario('c', `(c) ${SIZES.cCount} wheels of ${fmtSize(SIZES.cSize)}, no latency`, project, join(root, 'c'), files, PEERS);
}

/** (e): a release as it meets the real services, with their latencies. */
async function scenarioE(root: string) {
  const project = 'bench-real';
  const files = await manyWheels(root, 'e', project, SIZES.eCount, SIZES.eSize);
  const { fulcio, rekor, tsa, index, upload } = REAL_LATENCY;
  const label = `(e) ${SIZES.eCount} wheels of ${fmtSize(SIZES.eSize)}; latency: Rekor ${rekor} ms, TSA ${tsa} ms, Fulcio ${fulcio} ms, the index ${upload} ms per upload and ${index} ms on other requests`;
  await sigstoreLatency({ fulcio, rekor, tsa });
  await publishScenario('e', label, project, join(root, 'e'), files, PEERS, { index, upload });
  await sigstoreLatency({ fulcio: 0, rekor: 0, tsa: 0 });
}

/** (d): process start → the first request (the index on a bench-local port answers 503 and the tool fails fast). */
async function scenarioD(root: string) {
  const project = 'bench-start';
  const dir = join(root, 'd');
  const whl = await writeWheel(dir, project, '1.0', 64 * 1024);
  const label = '(d) start-up: process start → first request';
  process.stderr.write(`${label}\n`);
  let firstAt = 0;
  const server = createServer((req, res) => {
    if (!firstAt) firstAt = performance.now();
    req.resume();
    res.writeHead(503, { connection: 'close' }).end('bench');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const local = `http://127.0.0.1:${port}`;
  const results: Record<string, number[]> = { action: [], twine: [], uv: [] };
  for (let r = 0; r < SIZES.dRuns; r++) {
    for (const tool of ['action', 'twine', 'uv'] as const) {
      firstAt = 0;
      const home = await mkdtemp(join(tmpdir(), 'bench-home-'));
      let cmd: string;
      let args: string[];
      let env: Record<string, string>;
      if (tool === 'action') {
        const runner = await runnerEnv(dir);
        env = {
          ...runner.env,
          ...baseEnv(runner.files.dir),
          ...world.env,
          'INPUT_REPOSITORY-URL': `${local}/legacy/`,
          'INPUT_PACKAGES-DIR': '.',
          ACTIONS_ID_TOKEN_REQUEST_URL: `${local}/token?`,
        };
        cmd = NODE;
        args = [ACTION];
      } else if (tool === 'twine') {
        env = { ...baseEnv(home), PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring' };
        cmd = TWINE;
        args = ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${local}/legacy/`, '-u', USER, '-p', PASSWORD, whl];
      } else {
        env = { ...baseEnv(home), UV_NO_CACHE: '1' };
        cmd = UV;
        args = ['publish', '--publish-url', `${local}/legacy/`, '--trusted-publishing', 'never', '-u', USER, '-p', PASSWORD, whl];
      }
      const started = performance.now();
      const child = spawn(cmd, args, { cwd: dir, env, stdio: 'ignore' });
      await new Promise((r) => child.on('close', r));
      if (firstAt) results[tool]?.push(firstAt - started);
      else failures.push(`d/${tool}: no request reached the local index`);
      await rm(home, { recursive: true, force: true });
    }
  }
  server.close();
  for (const [tool, xs] of Object.entries(results)) {
    if (!xs.length) continue;
    rows.push({ scenario: 'd', tool: tool as Tool, label, runs: xs.map((ms) => ({ wallMs: ms, cpuMs: NaN, rssMB: NaN, code: 0, out: '' })) });
    process.stderr.write(`  d ${tool.padEnd(6)} ${median(xs).toFixed(0)} ms (median of ${xs.length})\n`);
  }
  notes.push(
    '(d) the index (and, for the action, the OIDC token endpoint) is a bench-local server; the figure is the time from spawn() to its first request (a 64 KiB wheel in the directory; the tool then fails fast on the 503).',
  );
}

/** (v): the consumer side, `verify` of a uv-exported pylock.toml, 100 ms latency on every index request. */
async function scenarioV() {
  await control('/_world/reset', {});
  const setup = await setUpVerifyBench(world, SIZES.vProjects);
  const label = `(v) verify of a ${setup.files}-file pylock.toml, ${SIZES.latency} ms latency on every index request`;
  process.stderr.write(`${label}\n`);
  await control('/_world/latency', { ms: SIZES.latency });
  const home = await mkdtemp(join(tmpdir(), 'bench-home-'));
  for (let r = 0; r < RUNS; r++) {
    const m = await measure(NODE, setup.command.args, { ...baseEnv(home), ...setup.command.env }, home);
    record('v', 'verify', label, m, (x) => x.code === 0 && setup.ok(x.out));
  }
  await control('/_world/latency', { ms: 0 });
  await rm(home, { recursive: true, force: true });
  notes.push(
    `(v) ${setup.files / 2} projects (an sdist and a wheel each) published in one run of this action, locked by \`uv export --format pylock.toml\`; the figure is \`node dist/cli.js verify pylock.toml\` from start to exit: the simple page of each project and the provenance of each file from the stand-in, every attestation verified against the world's trust root.`,
  );
}

// ------------------------------------------------------------------ report
function fmtSize(n: number): string {
  if (n >= GiB - MiB) return `${Math.round(n / GiB)} GiB`;
  if (n >= MiB) return `${Math.round(n / MiB)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}
const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
const fmtMB = (mb: number) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : '–');

function table(): string {
  const out: string[] = [];
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  for (const s of scenarios) {
    const group = rows.filter((r) => r.scenario === s);
    out.push(`**${group[0]?.label}**`, '');
    const med = (r: Row, k: 'wallMs' | 'cpuMs' | 'rssMB') => median(r.runs.map((m) => m[k]));
    const action = group.find((r) => r.tool === 'action');
    if (s === 'd') {
      out.push('| tool | process start → first request | × action |', '| --- | ---: | ---: |');
      for (const r of group)
        out.push(`| ${r.tool} | ${med(r, 'wallMs').toFixed(0)} ms | ${action ? (med(r, 'wallMs') / med(action, 'wallMs')).toFixed(2) : '–'} |`);
    } else {
      out.push('| tool | wall | CPU | peak RSS | wall × action | runs |', '| --- | ---: | ---: | ---: | ---: | ---: |');
      for (const r of group) {
        const ratio = action ? (med(r, 'wallMs') / med(action, 'wallMs')).toFixed(2) : '–';
        const name =
          r.tool === 'floor'
            ? 'floor (openssl sha256 + curl)'
            : r.tool === 'action'
              ? 'this action'
              : r.tool === 'verify'
                ? 'verify (dist/cli.js)'
                : r.tool === 'incumbent'
                  ? "the incumbent's pipeline (twine check, sigstore-python, print-hash, twine upload)"
                  : r.tool === 'twine'
                    ? 'twine 7.0.0'
                    : 'uv 0.13.9';
        out.push(`| ${name} | ${fmtS(med(r, 'wallMs'))} | ${fmtS(med(r, 'cpuMs'))} | ${fmtMB(med(r, 'rssMB'))} | ${ratio} | ${r.runs.length} |`);
      }
      const floor = group.find((r) => r.tool === 'floor');
      if (action && floor) out.push('', `action ÷ floor: ${(med(action, 'wallMs') / med(floor, 'wallMs')).toFixed(2)}×`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The medians the targets are judged on: wall time per scenario and tool, the action's peak RSS per size. */
function medians(): Medians {
  const wallMs: Medians['wallMs'] = {};
  const rssMB: Medians['rssMB'] = {};
  for (const r of rows) {
    const med = (k: 'wallMs' | 'rssMB') => median(r.runs.map((m) => m[k]));
    if (/^[abcdev]$/.test(r.scenario)) (wallMs[r.scenario] ??= {})[r.tool] = med('wallMs');
    if (r.tool === 'action' && /^[abce]$/.test(r.scenario)) rssMB[`(${r.scenario})`] = med('rssMB');
    if (r.tool === 'action' && r.scenario.startsWith('rss-')) rssMB[r.scenario.slice(4)] = med('rssMB');
  }
  return { wallMs, rssMB };
}

async function machine(): Promise<string> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const versions = `Node ${process.versions.node}`;
  return `${cpus().length} × ${cpu.trim()}, ${(totalmem() / GiB).toFixed(0)} GiB RAM, ${process.platform}/${process.arch}, ${versions}`;
}

// ------------------------------------------------------------------ main
async function main() {
  if (!existsSync(ACTION)) throw new Error(`${ACTION} is missing: run npm run build`);
  const root = await mkdtemp(join(tmpdir(), 'bench-dists-'));
  const started = Date.now();
  world = await startWorld();
  pypi = pypiControl(world);
  try {
    if (ONLY.has('d')) await scenarioD(root);
    if (ONLY.has('a')) await scenarioA(root);
    if (ONLY.has('b')) await scenarioB(root);
    if (ONLY.has('c')) await scenarioC(root);
    if (ONLY.has('e')) await scenarioE(root);
    if (ONLY.has('v')) await scenarioV();
  } finally {
    await world.stop();
    if (!KEEP) await rm(root, { recursive: true, force: true });
  }
  const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const md = [
    '# Benchmarks',
    '',
    `Generated by \`bash bench/run.sh${argv.length ? ` ${argv.join(' ')}` : ''}\` on ${when}, ${await machine()}, in ${((Date.now() - started) / 60000).toFixed(1)} min.`,
    `Every tool publishes the same dists to a fresh index of the local world (loopback; PyPI stand-in in Python, Sigstore in TypeScript). Figures are medians of ${RUNS} run(s); CPU = user + sys of the process tree, peak RSS = largest process (${TIME ? '/usr/bin/time' : 'getrusage'}).`,
    'This action runs as a workflow runs it (dist/index.js, Trusted Publishing exchange, one Fulcio certificate, one signature + Rekor entry + timestamp per dist, local verification, then the uploads).',
    "The incumbent's pipeline is pypa/gh-action-pypi-publish v1.14's steps run from .venv without its container (`bench/incumbent.py`): the Trusted Publishing exchange, `twine check`, sigstore-python signing one dist after another with one cached certificate (`Attestation.sign`, the world's trust config), print-hash, then `twine upload --attestations`.",
    "twine and uv cannot do the Trusted Publishing exchange against a loopback index, so the bench mints their token (untimed) and they upload the `.publish.attestation` files of the action's first run: every tool uploads attestations in every scenario, so the index does the same work for all. Their time is upload only; the action's and the incumbent's include the exchange, signing (Fulcio, Rekor, TSA) and, for the action, verification.",
    'The floor is what no uploader can beat: one SHA-256 read of the files (`openssl dgst -sha256`) plus a plain sequential multipart upload of them with one `curl` process (keep-alive).',
    '',
    table(),
    // The issue's targets are for its sizes: a --quick run measures others.
    QUICK ? '' : targetsTable(judgeTargets(medians())),
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  process.stdout.write(`\n${md}\n`);
  if (WRITE) await writeFile(resolve(WRITE), md);
  if (failures.length) {
    process.stderr.write(`\n${failures.length} run(s) failed:\n${failures.join('\n---\n')}\n`);
    process.exitCode = 1;
  }
}

await main();
