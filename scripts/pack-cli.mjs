// Packs the CLI as the npm package `packages/cli` describes: its manifest and README, and from the
// built dist/ only what the CLI runs — the entry (cli.js), its body (cli-main.js) and the chunks
// those import, directly or through each other, with their license notices. The action's entries are left out.
// The package has no dependencies (everything is bundled), so installing it needs no registry.
//
//   node scripts/pack-cli.mjs [DESTINATION]     (default: the current directory; prints the tarball's path)
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const ENTRIES = ['cli.js', 'cli-main.js'];
// A relative module specifier as esbuild writes it ("./chunks/main-X.js" from an entry, "./chunk-X.js"
// from a chunk, "./cli-main.js"); a string that names no file of dist/ is not followed.
const RELATIVE = /["'`](\.\/[\w./-]+\.js)["'`]/g;

/** The dist files the CLI can load, from its entries through every import. */
export async function cliFiles(dist = DIST) {
  const seen = new Set();
  const queue = [...ENTRIES];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(join(dist, file), 'utf8');
    for (const [, specifier] of text.matchAll(RELATIVE)) {
      const target = posix.join(posix.dirname(file), specifier);
      if (!target.startsWith('..') && existsSync(join(dist, target))) queue.push(target);
    }
  }
  const notices = [...seen].map((f) => `${f}.LEGAL.txt`).filter((f) => existsSync(join(dist, f)));
  return [...seen, ...notices].sort();
}

export async function pack(destination) {
  const manifest = JSON.parse(await readFile(join(ROOT, 'packages/cli/package.json'), 'utf8'));
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  // One version for the action and the CLI: the build writes it into `--version`.
  if (manifest.version !== version) throw new Error(`packages/cli/package.json has version ${manifest.version}, package.json ${version}`);
  const stage = await mkdtemp(join(tmpdir(), 'pack-cli-'));
  try {
    await writeFile(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await cp(join(ROOT, 'packages/cli/README.md'), join(stage, 'README.md'));
    for (const file of await cliFiles()) {
      await mkdir(join(stage, 'dist', file, '..'), { recursive: true });
      await cp(join(DIST, file), join(stage, 'dist', file));
    }
    await mkdir(destination, { recursive: true });
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: stage, encoding: 'utf8' });
    return join(destination, basename(JSON.parse(out)[0].filename));
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  process.stdout.write(`${await pack(resolve(process.argv[2] ?? '.'))}\n`);
}
