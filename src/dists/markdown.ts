// The Markdown check of a description. Warehouse renders text/markdown with readme_renderer's GFM
// variant (comrak, with footnotes) and refuses the upload when the rendered HTML is empty
// (readme_renderer/markdown.py: `if not rendered: return None`; warehouse/forklift/legacy.py: "The
// description failed to render"). Markdown itself never fails: what renders to nothing is a text
// that is blank (spaces, tabs and line endings, after an optional byte-order mark comrak drops), or
// that holds only link reference definitions and footnote definitions no text refers to. An empty
// README (setuptools and Poetry send "\n" for it) is the usual case.
//
// Definitions are recognised only in their plain one-line forms (or with the destination on the next
// line), so a text is refused only when it surely renders to nothing; a definition spread further
// (a title on its own line, a label over two lines, a footnote that goes on below) makes the text
// count as rendering, and is accepted. Brackets are kept out of destinations and titles: the content
// of a footnote definition is inline text, where `[^x]` would refer to another footnote.

/** `[label]:` at most 3 spaces in: no brackets but escaped ones, something besides spaces and tabs. */
const LABEL = String.raw` {0,3}\[(?=[^\]]*[^ \t\]])((?:[^\\\[\]]|\\[^])+)\]:`;
/** A destination: no spaces, controls, brackets or parentheses (but escaped punctuation), not
 * starting with `<`: comrak takes a `<...>` destination only when a title follows it. */
const DESTINATION = String.raw`(?!<)(?:[^\s\x00-\x1f\x7f()\[\]\\]|\\[!-/:-@\[-\`{-~])+`;
/** A title, with no backslash: comrak reads `"a\\"` followed by another line as a title not yet closed. */
const TITLE = String.raw`(?:"[^"\\\[\]]*"|'[^'\\\[\]]*'|\([^()\\\[\]]*\))`;
const REST = String.raw`(?:[ \t]+${TITLE})?[ \t]*$`;

const WHOLE_DEFINITION = new RegExp(`^${LABEL}[ \\t]*${DESTINATION}${REST}`);
const LABEL_ALONE = new RegExp(`^${LABEL}[ \\t]*$`);
// A line below `[label]:` that starts with anything else may open a block of its own instead: a
// code fence, a table's delimiter row (`[label]:` its header), a list, a heading.
const DESTINATION_LINE = new RegExp(`^[ \\t]*(?=[A-Za-z/])${DESTINATION}${REST}`);
const BLANK = /^[ \t]*$/;

/** CommonMark's longest link label (comrak takes longer ones: a longer label is only not recognised here). */
const LABEL_MAX = 999;

function labelFits(line: string, pattern: RegExp): boolean {
  const m = pattern.exec(line);
  return m !== null && (m[1] as string).length <= LABEL_MAX;
}

/** `[label]:` alone on its line, the destination below. Not a footnote's `[^label]:`: a footnote's
 * content below it must be indented, and an unindented line there is a paragraph of its own. */
const linkLabelAlone = (line: string): boolean => labelFits(line, LABEL_ALONE) && !/^ {0,3}\[\^/.test(line);

/** A footnote's label as comrak may match it: case and spaces aside. */
const footnoteKey = (line: string): string | undefined => /^ {0,3}\[\^([^\]]*)\]:/.exec(line)?.[1]?.toLowerCase().replace(/\s+/g, '');

/** True when GitHub-flavoured Markdown renders the text to nothing, so PyPI refuses it as a text/markdown description. */
export function markdownRendersNothing(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // comrak reads a footnote's second definition as a reference to the first, which then shows.
  const footnotes = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (BLANK.test(line)) continue;
    const footnote = footnoteKey(line);
    if (footnote !== undefined) {
      if (footnotes.has(footnote)) return false;
      footnotes.add(footnote);
    }
    if (labelFits(line, WHOLE_DEFINITION)) continue;
    const next = lines[i + 1];
    if (next !== undefined && linkLabelAlone(line) && !BLANK.test(next) && DESTINATION_LINE.test(next)) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}
