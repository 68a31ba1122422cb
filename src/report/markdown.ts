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

/**
 * One line as inline code in a table cell: fenced by more backticks than any run it holds, so none
 * ends it early (code shows its content literally; a `|` is escaped as a table cell needs).
 */
export function markdownCode(text: string): string {
  const line = oneLine(text).replace(/\|/g, '\\|');
  const longest = (line.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * A block of Markdown this project wrote around text from elsewhere (an error with an index's message):
 * its code blocks and code spans are kept, and outside them no HTML tag can open.
 */
export function withoutHtml(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      const fence = /^\s*```/.test(line);
      if (fence) fenced = !fenced;
      if (fenced || fence) return line;
      // Odd pieces between backtick runs are code spans: left as they are.
      return line
        .split(/(`+[^`]*`+)/)
        .map((piece, i) => (i % 2 === 1 ? piece : piece.replace(/[<>]/g, entity)))
        .join('');
    })
    .join('\n');
}
