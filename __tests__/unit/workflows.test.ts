// The repository's own workflows are valid: actionlint (built from the Go module proxy by
// scripts/setup-actionlint.sh) accepts every file in .github/workflows, checking expressions, job
// graph, runner labels and the inputs given to `uses: ./` against action.yml. And they run what the
// project promises: tests on Linux, macOS and Windows, a dist check, a self-test of the action.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { scratchDir } from '../../test/helpers/scratch.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ACTIONLINT = join(ROOT, '.tools/bin/actionlint');
const WORKFLOWS = join(ROOT, '.github/workflows');

function actionlint(files: string[], cwd = ROOT) {
  const r = spawnSync(ACTIONLINT, ['-no-color', ...files], { cwd, encoding: 'utf8' });
  assert.equal(r.error, undefined, `actionlint did not run (bash scripts/setup-actionlint.sh builds it): ${r.error?.message}`);
  return r;
}

describe('the repository workflows', () => {
  it('actionlint accepts every workflow', () => {
    const files = readdirSync(WORKFLOWS)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(WORKFLOWS, f));
    assert.ok(files.length > 0);
    const r = actionlint(files);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('actionlint refuses a broken workflow (the check can fail)', async () => {
    const dir = await scratchDir('actionlint-');
    const broken = join(dir, 'broken.yml');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template
    writeFileSync(
      broken,
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n        uses: actions/checkout@v4\n',
    );
    const r = actionlint([broken], dir);
    assert.notEqual(r.status, 0);
  });

  it('CI tests on ubuntu, macOS and Windows, checks dist/ and runs the action from the repository', () => {
    const ci = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
    assert.match(ci, /os: \[ubuntu-latest, macos-latest, windows-latest\]/);
    assert.match(ci, /^ {2}check-dist:/m);
    assert.match(ci, /^ {2}self-test:/m);
    assert.match(ci, /^ {8}uses: \.\/$/m);
    assert.match(ci, /run: npm test$/m);
    assert.match(ci, /run: npm run lint$/m);
  });

  it('dependabot proposes npm and GitHub Actions updates', () => {
    const dependabot = readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8');
    assert.match(dependabot, /^version: 2$/m);
    assert.match(dependabot, /package-ecosystem: npm/);
    assert.match(dependabot, /package-ecosystem: github-actions/);
  });
});
