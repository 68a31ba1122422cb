// src/dists/markdown.ts against readme_renderer itself: each text of test/fixtures/markdown-texts.json
// is rendered as the PyPI stand-in renders a text/markdown description (readme_renderer's GFM, which
// warehouse refuses when it renders to nothing), and the pre-flight's verdict must match it. The
// check knows definitions only in their plain forms, so a few texts that render to nothing are
// accepted (KNOWN_MISSES); refusing a text that renders would refuse a release PyPI accepts, and the
// near misses (a footnote defined twice, a table or a fence under a label, an escaped backslash
// ending a title) are there for that.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { markdownRendersNothing } from '../../src/dists/markdown.ts';

const repo = join(import.meta.dirname, '..', '..');
const RENDER = `
import json, sys
sys.path.insert(0, ${JSON.stringify(join(repo, 'test', 'world', 'pypi'))})
import standin  # warehouse's pins first
import readme_renderer.markdown
json.dump([readme_renderer.markdown.render(t) is not None for t in json.load(sys.stdin)], sys.stdout)
`;

const TEXTS = JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'markdown-texts.json'), 'utf8')) as Array<[string, string]>;

/** Render to nothing in forms the check does not follow: a footnote of several words, an `<...>`
 * destination, a title on its own line, a label longer than CommonMark's 999 characters. */
const KNOWN_MISSES = ['footnote with words', 'angle destination', 'angle destination with a title', 'title on the next line', 'label too long'];

describe('the Markdown check against readme_renderer', () => {
  const rendered = JSON.parse(
    execFileSync(join(repo, '.venv', 'bin', 'python'), ['-c', RENDER], { input: JSON.stringify(TEXTS.map(([, t]) => t)), encoding: 'utf8' }),
  ) as boolean[];

  it('never refuses a text readme_renderer renders', () => {
    assert.deepEqual(
      TEXTS.filter(([, text], i) => rendered[i] && markdownRendersNothing(text)).map(([name]) => name),
      [],
    );
  });

  it('refuses every text that renders to nothing, but the known misses', () => {
    assert.deepEqual(
      TEXTS.filter(([, text], i) => !rendered[i] && !markdownRendersNothing(text)).map(([name]) => name),
      KNOWN_MISSES,
    );
    assert.ok(rendered.filter((r) => !r).length >= 15, 'enough texts render to nothing');
  });
});
