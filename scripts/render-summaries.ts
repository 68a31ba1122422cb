// A dev tool, not part of npm test: renders the job summary of three real runs of the built action
// against the local world — a release, a partial failure (one file over the project's size limit)
// and a pre-flight refusal — as GitHub renders Markdown (cmark-gfm, the renderer GitHub uses, from
// .venv), and screenshots each with headless Chromium into docs/summary-*.png, so a reviewer can look
// at what a maintainer sees.
//
//   node scripts/render-summaries.ts [--out docs]      (needs dist/ built and Debian's chromium)
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSdist, buildWheel } from '../test/fixtures/dists/build.ts';
import { pypiControl } from '../test/helpers/pypi.ts';
import { runAction } from '../test/helpers/run-action.ts';
import { startWorld, type World } from '../test/helpers/world.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs' } } });
const OUT = resolve(ROOT, values.out as string);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => spawnSync(p, ['--version']).status === 0);

interface Scenario {
  name: string;
  /** Screenshot height in CSS pixels: the page is cut there, so it must hold the whole summary. */
  height: number;
  prepare(world: World, ws: string): Promise<void>;
}

const readme = '# sampleproject\n\nA sample release.\n';
const SCENARIOS: Scenario[] = [
  {
    name: 'success',
    height: 860,
    async prepare(world, ws) {
      await pypiControl(world).trust({ project: 'sampleproject' });
      await buildWheel(join(ws, 'dist'), { name: 'sampleproject', version: '1.0.0' });
      await buildWheel(join(ws, 'dist'), { name: 'sampleproject', version: '1.0.0', tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64' });
      await buildSdist(join(ws, 'dist'), { name: 'sampleproject', version: '1.0.0', metadata: { 'Description-Content-Type': 'text/markdown' }, body: readme });
    },
  },
  {
    name: 'partial',
    height: 1090,
    async prepare(world, ws) {
      const pypi = pypiControl(world);
      await pypi.trust({ project: 'bigproject' });
      // The project's file size limit, lowered to 1 MiB: the sdist (incompressible padding) goes over it.
      await pypi.project('bigproject', 1024 * 1024);
      await buildWheel(join(ws, 'dist'), { name: 'bigproject', version: '2.1.0' });
      await buildWheel(join(ws, 'dist'), { name: 'bigproject', version: '2.1.0', tag: 'cp312-cp312-win_amd64' });
      await buildSdist(join(ws, 'dist'), {
        name: 'bigproject',
        version: '2.1.0',
        metadata: { 'Description-Content-Type': 'text/plain' },
        body: randomBytes(1200 * 1024).toString('base64'),
      });
    },
  },
  {
    name: 'refused',
    height: 540,
    async prepare(world, ws) {
      await pypiControl(world).trust({ project: 'refusedproject' });
      await buildWheel(join(ws, 'dist'), { name: 'refusedproject', version: '0.3.0', metadata: { Summary: 'A summary\n        on two lines' } });
      await buildSdist(join(ws, 'dist'), { name: 'refusedproject', version: '0.3.0' });
    },
  },
];

// GitHub's job summary: a card with the step's Markdown, rendered with its markdown-body styles
// (approximated here: fonts, tables, code, details).
const CSS = `
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; color: #1f2328; }
.card { margin: 16px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
.card > header { padding: 12px 16px; border-bottom: 1px solid #d1d9e0; font-weight: 600; }
.markdown-body { padding: 16px 24px; }
h2 { font-size: 1.5em; font-weight: 600; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0; margin: 8px 0 16px; }
h3 { font-size: 1.25em; font-weight: 600; margin: 24px 0 16px; }
p, ul, table, pre, details { margin: 0 0 16px; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85%/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; background: rgba(129,139,152,.12); padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; }
pre code { background: none; padding: 0; white-space: pre; }
a { color: #0969da; text-decoration: none; }
summary { cursor: pointer; }
`;

function renderHtml(markdown: string, title: string): string {
  const html = execFileSync(
    join(ROOT, '.venv/bin/python'),
    [
      '-c',
      [
        'import sys, cmarkgfm',
        'from cmarkgfm.cmark import Options',
        // GitHub's extensions; UNSAFE keeps <details>, which GitHub allows in a summary.
        "sys.stdout.write(cmarkgfm.markdown_to_html_with_extensions(sys.stdin.read(), options=Options.CMARK_OPT_UNSAFE, extensions=['table', 'autolink', 'strikethrough', 'tagfilter']))",
      ].join('\n'),
    ],
    { input: markdown, encoding: 'utf8' },
  );
  return `<!doctype html><meta charset="utf-8"><style>${CSS}</style><div class="card"><header>${title}</header><div class="markdown-body">${html}</div></div>`;
}

function screenshot(htmlFile: string, png: string, height: number, profile: string): void {
  if (!CHROMIUM) throw new Error('no chromium: apt-get install -y chromium');
  const r = spawnSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--hide-scrollbars',
      `--window-size=1100,${height}`,
      `--screenshot=${png}`,
      `file://${htmlFile}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`chromium failed (${r.status}): ${r.stderr}`);
}

const world = await startWorld();
await mkdir(join(ROOT, '.work'), { recursive: true });
const work = await mkdtemp(join(ROOT, '.work', 'summaries-'));
try {
  await mkdir(OUT, { recursive: true });
  for (const s of SCENARIOS) {
    const ws = join(work, s.name);
    await s.prepare(world, ws);
    const run = await runAction({ cwd: ws, inputs: { 'repository-url': pypiControl(world).uploadUrl }, env: world.env });
    const md = join(work, `${s.name}.md`);
    await writeFile(md, run.summary);
    const html = join(work, `${s.name}.html`);
    await writeFile(html, renderHtml(run.summary, 'Upload release to PyPI summary'));
    const profile = await mkdtemp(join(work, 'chromium-'));
    screenshot(html, join(OUT, `summary-${s.name}.png`), s.height, profile);
    console.log(`${s.name}: exit ${run.code}, ${md} → ${join(values.out as string, `summary-${s.name}.png`)}`);
  }
} finally {
  await world.stop();
  if (!process.env['KEEP_SUMMARIES']) await rm(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
