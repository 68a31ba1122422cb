// The targets of issues #6, #20 and #21, judged from a bench run's medians, so every run says which
// hold on its machine. Where #21 tightened one of #6's (the floor ratio of (a), peak RSS), #21's holds.
// The figures decide; nothing here is a test (timing goals live in the benchmark, not in CI).
export type BenchTool = 'action' | 'incumbent' | 'floor' | 'twine' | 'uv' | 'verify';

export interface Medians {
  /** scenario → tool → median wall ms */
  wallMs: Record<string, Partial<Record<BenchTool, number>>>;
  /** the action's median peak RSS in MB, by what was measured: a scenario (`(b)`) or a size (`1 GiB`) */
  rssMB: Record<string, number | undefined>;
}

export interface Verdict {
  target: string;
  met: boolean | undefined;
  measured: string;
}

/** Peak RSS bound of the action in every scenario and at every size (issue #21). */
export const RSS_LIMIT_MB = 80;

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const times = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
type Cmp = (x: number, y: number) => boolean;
const cmp = (x: number | undefined, y: number | undefined, f: Cmp) => (x === undefined || y === undefined ? undefined : f(x, y));
const fastest = (w: Partial<Record<BenchTool, number>>, tools: BenchTool[]) => Math.min(...tools.map((t) => w[t] ?? Infinity));

type Add = (target: string, ok: boolean | undefined, measured: string) => void;

/** `(x) at least n× faster than <peer>`, judged on the peer's time over the action's. */
function atLeastTimes(add: Add, scenario: string, w: Partial<Record<BenchTool, number>>, peer: BenchTool, n: number, name: string) {
  const action = w.action as number;
  const p = w[peer];
  add(
    `(${scenario}) at least ${n}× faster than ${name}`,
    cmp(p, action, (y, x) => y >= n * x),
    p ? `${times(p, action)} (${name} ${s(p)})` : `no ${name} run`,
  );
}

function fasterThanTwineAndUv(add: Add, scenario: string, w: Partial<Record<BenchTool, number>>) {
  const action = w.action as number;
  const both = w.twine !== undefined && w.uv !== undefined ? fastest(w, ['twine', 'uv']) : undefined;
  add(
    `(${scenario}) faster than twine and uv`,
    cmp(action, both, (x, y) => x < y),
    `${s(action)} vs twine ${w.twine ? s(w.twine) : '–'}, uv ${w.uv ? s(w.uv) : '–'}`,
  );
}

function judgeA(add: Add, a: Partial<Record<BenchTool, number>>) {
  const action = a.action as number;
  add(
    '(a) at most 1.15× the floor',
    cmp(action, a.floor, (x, y) => x <= 1.15 * y),
    a.floor ? `${times(action, a.floor)} (${s(action)} vs ${s(a.floor)})` : 'no floor',
  );
  fasterThanTwineAndUv(add, 'a', a);
}

function judgeB(add: Add, b: Partial<Record<BenchTool, number>>) {
  const action = b.action as number;
  add('(b) at most 4 s', action <= 4000, s(action));
  atLeastTimes(add, 'b', b, 'incumbent', 25, "the incumbent's pipeline");
  atLeastTimes(add, 'b', b, 'twine', 5, 'twine');
  add(
    '(b) faster than uv',
    cmp(action, b.uv, (x, u) => x < u),
    b.uv ? `uv ${s(b.uv)}` : 'no uv run',
  );
}

function judgeC(add: Add, c: Partial<Record<BenchTool, number>>) {
  atLeastTimes(add, 'c', c, 'incumbent', 5, "the incumbent's pipeline");
  fasterThanTwineAndUv(add, 'c', c);
}

function judgeE(add: Add, e: Partial<Record<BenchTool, number>>) {
  const peers: BenchTool[] = ['incumbent', 'twine', 'uv'];
  const ran = peers.filter((t) => e[t] !== undefined);
  const best = ran.length === peers.length ? fastest(e, peers) : undefined;
  const measured = `${s(e.action as number)} vs ${peers.map((t) => `${t} ${e[t] !== undefined ? s(e[t] as number) : '–'}`).join(', ')}`;
  add(
    '(e) the fastest of every tool',
    cmp(e.action, best, (x, y) => x < y),
    measured,
  );
}

function judgeRss(add: Add, rssMB: Medians['rssMB']) {
  const rss = Object.entries(rssMB).filter(([, v]) => v !== undefined) as Array<[string, number]>;
  if (rss.length === 0) return;
  add(
    `peak RSS at most ${RSS_LIMIT_MB} MB in every scenario and at every size`,
    rss.every(([, v]) => v <= RSS_LIMIT_MB),
    rss.map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', '),
  );
}

export function judgeTargets(m: Medians): Verdict[] {
  const out: Verdict[] = [];
  const add: Add = (target, ok, measured) => out.push({ target, met: ok, measured });
  const w = (k: string) => m.wallMs[k] ?? {};
  if (w('a').action !== undefined) judgeA(add, w('a'));
  if (w('b').action !== undefined) judgeB(add, w('b'));
  if (w('c').action !== undefined) judgeC(add, w('c'));
  if (w('e').action !== undefined) judgeE(add, w('e'));
  judgeRss(add, m.rssMB);
  const d = w('d').action;
  if (d !== undefined) add('(d) at most 300 ms to the first request', d <= 300, `${d.toFixed(0)} ms`);
  const v = w('v').verify;
  if (v !== undefined) add('(v) verify of a 200-file pylock.toml at 100 ms latency in at most 3 s (#20)', v <= 3000, s(v));
  return out;
}

export function targetsTable(verdicts: Verdict[]): string {
  if (verdicts.length === 0) return '';
  const mark = (v: Verdict) => (v.met === undefined ? '–' : v.met ? '✅ met' : '✗ missed');
  return [
    '**Targets (issues #6, #20 and #21), from these medians**',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...verdicts.map((v) => `| ${v.target} | ${v.measured} | ${mark(v)} |`),
    '',
  ].join('\n');
}
