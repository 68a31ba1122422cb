// Text from files and servers (dist names, an index's messages, a lock's package names) in a job
// summary. GitHub renders the summary as Markdown with HTML, so such text must show as text: a dist
// named like `<img src=…>` or an index answering `[re-run](https://…)` must not become an image or
// a link in the maintainer's summary.

import { inertControls } from './log-line.ts';

/** Control characters and line breaks as one space: a cell or a line stays one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

const entity = (c: string): string => `&#${c.charCodeAt(0)};`;

/** One line of text where Markdown reads inline markup (a table cell, a sentence): shown as it is. */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[&<>[\]|`*_~\\]/g, entity);
}

/** The longest run of backticks in `text`: a code fence must be longer. */
export function longestBacktickRun(text: string): number {
  return (text.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
}

/**
 * One line as inline code in a table cell: fenced by more backticks than any run it holds, so none
 * ends it early (code shows its content literally; a `|` is escaped as a table cell needs).
 */
export function markdownCode(text: string): string {
  const line = oneLine(text).replace(/\|/g, '\\|');
  const fence = '`'.repeat(longestBacktickRun(line) + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * A block of Markdown this project wrote around text from elsewhere (an error with an index's
 * message, a dist's name): `<` and `>` (and with `links` false, `[` and `]`) are entities wherever
 * they stand, so no HTML tag, autolink, link or image can open. Code spans and fenced blocks are not
 * spared: where CommonMark and GitHub's extensions would read one is what such text can fool (a
 * table row splitting a span, an autolink taking a backtick, a fence indented or ended by a `\r`),
 * and in code an entity only shows as written.
 */
export function withoutHtml(markdown: string, { links = true }: { links?: boolean } = {}): string {
  // No terminal control either: GitLab's report.md is read in terminals too.
  return inertControls(markdown).replace(links ? /[<>]/g : /[<>[\]]/g, entity);
}
