// Text from files and servers (dist names, an index's messages, a lock's package names) in a job
// summary. GitHub renders the summary as Markdown with HTML, so such text must show as text: a dist
// named like `<img src=…>` or an index answering `[re-run](https://…)` must not become an image or
// a link in the maintainer's summary.

/** Control characters and line breaks as one space: a cell or a line stays one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

const entity = (c: string): string => `&#${c.charCodeAt(0)};`;

/** One line of text where Markdown reads inline markup (a table cell, a sentence): shown as it is. */
export function markdownText(text: string): string {
  return oneLine(text).replace(/[&<>[\]|`*]/g, entity);
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

/** A fenced code block's opening fence: 3 or more backticks or tildes. */
interface Fence {
  char: string;
  length: number;
}

/**
 * A fence only at the line's start: indented, CommonMark may read it inside a list item, which the
 * next unindented line ends, fence and all, and what follows would be read as Markdown.
 */
function opensFence(line: string): Fence | undefined {
  const m = /^(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return undefined;
  const run = m[1] as string;
  // A backtick fence's info string holds no backtick (else the line is text with a code span).
  if (run[0] === '`' && (m[2] as string).includes('`')) return undefined;
  return { char: run[0] as string, length: run.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m !== null && (m[1] as string)[0] === fence.char && (m[1] as string).length >= fence.length;
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/**
 * One line with `escaped` characters written as entities outside code spans. A code span is kept
 * only where CommonMark surely reads one: a backtick run closed by the next run of the same length
 * on the same line, when no run earlier in the paragraph was left open (CommonMark would close that
 * one on a later line, and what this line holds between would be text). A backslash-escaped
 * character is literal: kept. Returns the line and whether a backtick run in it was left open.
 */
function escapeOutsideCode(line: string, spansTrusted: boolean, escaped: RegExp): [string, boolean] {
  let out = '';
  let open = false;
  for (let i = 0; i < line.length; ) {
    const c = line[i] as string;
    if (c === '\\' && ASCII_PUNCTUATION.test(line[i + 1] ?? '')) {
      out += line.slice(i, i + 2);
      i += 2;
    } else if (c === '`') {
      const run = /^`+/.exec(line.slice(i))?.[0] as string;
      const close = spansTrusted ? closingRun(line, i + run.length, run.length) : -1;
      if (close < 0) open = true;
      const end = close < 0 ? i + run.length : close + run.length;
      out += line.slice(i, end);
      i = end;
    } else {
      out += escaped.test(c) ? entity(c) : c;
      i++;
    }
  }
  return [out, open];
}

/** Where the next run of exactly `length` backticks starts at or after `from`, or -1. */
function closingRun(line: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(line); m; m = runs.exec(line)) if (m[0].length === length) return m.index;
  return -1;
}

/**
 * A block of Markdown this project wrote around text from elsewhere (an error with an index's
 * message): its fenced code blocks and code spans are kept, and outside them no HTML tag can open
 * and, with `links` false, no link or image either. Where this reading and CommonMark's could
 * differ, text is escaped: at worst an entity shows as written.
 */
export function withoutHtml(markdown: string, { links = true }: { links?: boolean } = {}): string {
  const escaped = links ? /[<>]/ : /[<>[\]]/;
  const out: string[] = [];
  let fence: Fence | undefined;
  let spansTrusted = true;
  for (const line of markdown.split('\n')) {
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      out.push(line);
      continue;
    }
    fence = opensFence(line);
    // A paragraph ends at a blank line or a fence: a run left open before does not reach past it.
    if (fence || line.trim() === '') spansTrusted = true;
    if (fence) {
      out.push(line);
      continue;
    }
    const [text, open] = escapeOutsideCode(line, spansTrusted, escaped);
    if (open) spansTrusted = false;
    out.push(text);
  }
  return out.join('\n');
}
