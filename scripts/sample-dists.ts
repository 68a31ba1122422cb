// `node scripts/sample-dists.ts DIR`: writes a sample release (sampleproject 1.0.0, a wheel and an
// sdist) into DIR, for rehearsing a publish without a Python project at hand (README "Rehearse a
// release locally", examples/release.yml). The files are the same bytes on every run.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildSdist, buildWheel } from '../test/fixtures/dists/build.ts';

const [dir, name = 'sampleproject', version = '1.0.0'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node scripts/sample-dists.ts DIR [NAME] [VERSION]\n');
  process.exit(2);
}
const out = resolve(dir);
await mkdir(out, { recursive: true });
const readme = `# ${name}\n\nA sample release, built to rehearse publishing with this action.\n`;
const metadata = { 'Description-Content-Type': 'text/markdown' };
for (const file of [await buildWheel(out, { name, version, metadata, body: readme }), await buildSdist(out, { name, version, metadata, body: readme })])
  console.log(file);
