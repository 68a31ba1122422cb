// Issue #6's targets (and #20's for `verify`), judged from a bench run's medians, so every run says
// which hold on its machine.
// The figures decide; nothing here is a test (timing goals live in the benchmark, not in CI).
export interface Medians {
  /** scenario → tool → median wall ms / peak RSS MB */
  wallMs: Record<string, Partial<Record<'action' | 'floor' | 'twine' | 'uv' | 'verify', number>>>;
  rssMB: Record<string, number | undefined>;
}

export interface Verdict {
  target: string;
  met: boolean | undefined;
  measured: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function judgeTargets(m: Medians): Verdict[] {
  const out: Verdict[] = [];
  const a = m.wallMs['a'] ?? {};
  const b = m.wallMs['b'] ?? {};
  const d = m.wallMs['d'] ?? {};
  const add = (target: string, ok: boolean | undefined, measured: string) => out.push({ target, met: ok, measured });
  const cmp = (x: number | undefined, y: number | undefined, f: (x: number, y: number) => boolean) => (x === undefined || y === undefined ? undefined : f(x, y));
  if (a.action !== undefined) {
    add('(a) at most 1.3× the floor', cmp(a.action, a.floor, (x, y) => x <= 1.3 * y), a.floor ? `${(a.action / a.floor).toFixed(2)}× (${s(a.action)} vs ${s(a.floor)})` : 'no floor');
    add('(a) faster than twine and uv', cmp(a.action, Math.min(a.twine ?? Infinity, a.uv ?? Infinity), (x, y) => x < y), `${s(a.action)} vs twine ${a.twine ? s(a.twine) : '–'}, uv ${a.uv ? s(a.uv) : '–'}`);
    const rss = Object.entries(m.rssMB).filter(([, v]) => v !== undefined) as Array<[string, number]>;
    add('(a) peak RSS at most 120 MB at every size', rss.length ? rss.every(([, v]) => v <= 120) : undefined, rss.map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', '));
  }
  if (b.action !== undefined) {
    add('(b) at most 4 s', b.action <= 4000, s(b.action));
    add('(b) at least 5× faster than twine', cmp(b.twine, b.action, (t, x) => t >= 5 * x), b.twine ? `${(b.twine / b.action).toFixed(2)}× (twine ${s(b.twine)})` : 'no twine run');
    add('(b) faster than uv', cmp(b.action, b.uv, (x, u) => x < u), b.uv ? `uv ${s(b.uv)}` : 'no uv run');
  }
  if (d.action !== undefined) add('(d) at most 300 ms to the first request', d.action <= 300, `${d.action.toFixed(0)} ms`);
  const v = m.wallMs['v']?.verify;
  if (v !== undefined) add('(v) verify of a 200-file pylock.toml at 100 ms latency in at most 3 s (#20)', v <= 3000, s(v));
  return out;
}

export function targetsTable(verdicts: Verdict[]): string {
  if (verdicts.length === 0) return '';
  const mark = (v: Verdict) => (v.met === undefined ? '–' : v.met ? '✅ met' : '✗ missed');
  return ['**Targets (issues #6 and #20), from these medians**', '', '| target | measured | |', '| --- | --- | --- |', ...verdicts.map((v) => `| ${v.target} | ${v.measured} | ${mark(v)} |`), ''].join('\n');
}
