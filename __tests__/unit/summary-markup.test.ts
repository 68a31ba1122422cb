// What a dist's name or an index's answer can make of the job summary, judged by cmark-gfm (GitHub's
// Markdown engine, from the .venv) with raw HTML let through, as the job summary lets it through
// before GitHub sanitises it: no tag, image or link of theirs may come out. A bare URL may still be
// linked by GFM's autolinks: such a link shows its own target, so it is allowed when its text is its href.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { renderSummary, type SummaryInput } from '../../src/report/summary.ts';
import { headline } from '../../src/report/outcome.ts';
import type { FileReport } from '../../src/report/types.ts';

const PYTHON = join(import.meta.dirname, '../../.venv/bin/python');

/** Each Markdown text rendered to HTML by cmark-gfm with GitHub's extensions and raw HTML kept. */
function render(markdowns: string[]): string[] {
  const script = [
    'import json, sys, cmarkgfm',
    'from cmarkgfm.cmark import Options',
    'docs = json.loads(sys.stdin.read())',
    'print(json.dumps([cmarkgfm.github_flavored_markdown_to_html(d, options=Options.CMARK_OPT_UNSAFE) for d in docs]))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(markdowns), encoding: 'utf8' })) as string[];
}

/**
 * The tags of theirs in rendered HTML: any tag but the ones the summary writes, and any link whose
 * text is not its own target (GFM links `www.x` as `http://www.x`, and an address as `mailto:`).
 */
function planted(html: string): string[] {
  const ours = /^<\/?(?:h2|h3|p|ul|li|table|thead|tbody|tr|th|td|code|pre|strong|em|details|summary|br)\b/;
  const found = (html.match(/<[^>]+>/g) ?? []).filter((tag) => !ours.test(tag) && !/^<\/?a\b/i.test(tag));
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]*?)(?:<\/a>|$)/gi)) {
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[1] as string);
    const target = percentDecoded(unescaped(href?.[1] ?? href?.[2] ?? href?.[3] ?? ''));
    const text = unescaped((m[2] as string).replace(/<[^>]+>/g, ''));
    if (OUR_LINKS.has(text) || [text, `http://${text}`, `mailto:${text}`].some((t) => percentDecoded(t) === target)) continue;
    found.push(m[0]);
  }
  return found;
}
const OUR_LINKS = new Set(['file', 'provenance']);

const unescaped = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] as string);
function percentDecoded(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

const FILE: FileReport = { filename: 'a-1.0.tar.gz', path: '/w/a-1.0.tar.gz', size: 10, sha256: 'cd'.repeat(32), status: 'failed', reason: '400 no' };

function summary(over: Partial<SummaryInput>): string {
  const files = over.files ?? [FILE];
  return renderSummary({ headline: headline(files, true, 'https://upload.pypi.org/legacy/'), files, advice: [], onPyPI: true, shown: (p) => p, ...over });
}

const FAILURES: Array<[string, string]> = [
  ['a link and an image', 'Invalid token. [Re-authorize here](https://evil.example/login) ![x](https://evil.example/pixel.png)'],
  ['a tag in code spans of unequal runs', 'Invalid token: ``<a href="https://evil.example/login">re-authorize</a><img src="https://evil.example/t.png">`'],
  ['a tag after an escaped backtick', 'Invalid \\`<a href="https://evil.example/D">Re-run</a>` here'],
  ['a code span CommonMark closes on the next line', 'Invalid token `\nfrom here ` <img src="https://evil.example/a.png"> `'],
  ['an indented fence', 'no corresponding publisher\n    ```\n<a href="https://evil.example/register">Register</a>'],
  ['a fence inside a list item', '- no publisher\n   ```\n<img src="https://evil.example/b.png">\n   ```'],
  ['a reference definition', '[x]: https://evil.example/ref\n\nsee [x]'],
  ['an autolink in angle brackets', 'go to <https://evil.example/auto>'],
  // Found by a second review, against escaping outside what looked like code only:
  ['a table row splitting a code span', 'Invalid token: `x|<img src=https://evil.example/t.png>|[a](https://evil.example/)|`\n-|-|-|-'],
  ['an autolink taking a backtick', 'see https://e.example/`<img src=x>` and www.e.example/` [a](https://evil.example/) ` x `'],
  ['a fence indented by two spaces', '  ```\nx\n```\n<img src=x>\n```'],
  ['a line blank only to JavaScript', 'a `\n\u00a0\n` <img src=x> `'],
  ['lines ended by \\r', '`\r\r<img src=x>\r`\n```\nok\n```\r\n<a href=https://evil.example/login>Re-authorize</a>\n```'],
  ['a line separator in an info string', '```\u2028\nx\n```\n<img src=x>\n```'],
];

test("an index's answer in What went wrong: no tag, image or link of theirs", () => {
  const markdowns = FAILURES.map(([, failure]) => summary({ failure }));
  const htmls = render(markdowns);
  for (const [i, [how]] of FAILURES.entries()) assert.deepEqual(planted(htmls[i] as string), [], `${how}:\n${htmls[i]}`);
  // The same texts, not escaped: the judge finds what they plant (so the test can fail).
  const raw = render(FAILURES.map(([, failure]) => failure));
  assert.ok(raw.filter((html) => planted(html).length > 0).length >= 12, raw.join('\n'));
});

test('our own Markdown around them still renders: code spans, fenced blocks and the advice links', () => {
  const md = summary({
    failure: 'Token request failed:\n\n* `invalid-publisher`: no publisher for <repo>\n\n```yaml\npermissions:\n  id-token: write\n```',
    advice: ['Or [request a file size limit increase](https://docs.pypi.org/project-management/storage-limits) for the project.'],
  });
  const [html] = render([md]) as [string];
  assert.match(html, /<code>invalid-publisher<\/code>: no publisher for &lt;repo&gt;/);
  assert.match(html, /<pre lang="yaml"><code>permissions:\n {2}id-token: write\n<\/code><\/pre>/);
  assert.match(html, /<a href="https:\/\/docs\.pypi\.org\/project-management\/storage-limits">request a file size limit increase<\/a>/);
});

test("dist names in the headline, the table and the digests, and an index's digest: text only", () => {
  const names = ['[Re-run the job](https:evil.example)-1.0.tar.gz', '<img src=https:t%2Eexample>-1.0.tar.gz', 'a``<img src=https:t.example>`-1.0.tar.gz'];
  const files: FileReport[] = names.map((filename) => ({ ...FILE, filename, status: 'skipped', indexSha256: 'ef'.repeat(32) }));
  files.push({ ...FILE, filename: 'b-1.0.tar.gz', status: 'skipped', indexSha256: 'x\n```\n<img src="https://evil.example/c.png">\n```' });
  const [html] = render([summary({ files })]) as [string];
  assert.deepEqual(planted(html), [], html);
  assert.doesNotMatch(html, /evil\.example\/c\.png/, 'what a page calls a digest is shown only when it is one');
});

test('a reason in a cell reads as written: no emphasis, strikethrough or escape of its own', () => {
  const reason = '400 pkg/__init__.py: ~~gone~~ *now* a\\|b';
  const [html] = render([summary({ files: [{ ...FILE, reason }] })]) as [string];
  assert.match(html, /<td>❌ <strong>failed<\/strong>: 400 pkg\/__init__\.py: ~~gone~~ \*now\* a\\\|b<\/td>/, html);
});
