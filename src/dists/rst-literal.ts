// What docutils finds after a paragraph that ends with `::` (states.Text.literal_block): the lines
// after it indented past it are its literal block; if there are none, lines at its own indentation
// after a blank line that all start with one 7-bit punctuation character are a quoted literal block
// (states.QuotedLiteralBlock). Anything else is docutils' warning or error, and PyPI refuses the
// description: "Install::" followed by an unindented command is the usual case.
import type { RstLine } from './rst.ts';
import { directiveOf } from './rst-names.ts';
import { LEADING_SPACES, LITERAL_MARKER, QUOTE } from './rst-patterns.ts';

const expected = (line: number) => `line ${line}: Literal block expected; none found.`;

/**
 * The problem docutils reports where the literal block of the paragraph whose last line is `last`
 * should be, if the paragraph asks for one. `indent`: the column the paragraph's text starts at in its
 * block; `lineCount`: the lines docutils reads (a final line break starts none).
 */
export function literalBlockProblem(lines: readonly RstLine[], last: number, indent: number, lineCount: number): string | undefined {
  if (!LITERAL_MARKER.test((lines[last] as RstLine).text)) return undefined;
  let next = last + 1;
  while (next < lines.length && (lines[next] as RstLine).blank) next++;
  const line = lines[next];
  if (line && line.indent > indent) return undefined;
  // The paragraph's block ends here: docutils looks for the block in what is left of it, which is
  // nothing. A directive's content has lost its blank lines at the end (parse_directive_block), so
  // in one that ends here, that nothing starts right under the paragraph.
  if (!line || line.indent < indent) {
    if (endsDirectiveContent(lines, last, indent, line?.indent ?? -1)) return expected(last + 2);
    return expected(line ? next + 1 : lineCount + 1);
  }
  const quote = line.text[indent] as string;
  if (!QUOTE.test(quote)) return expected(next + 1);
  for (let q = next + 1; q < lines.length && !(lines[q] as RstLine).blank; q++) {
    const quoted = lines[q] as RstLine;
    if (quoted.indent > indent) return `line ${q + 1}: Unexpected indentation.`;
    if (quoted.indent < indent) return undefined;
    if (quoted.text[indent] !== quote) return `line ${q + 1}: Inconsistent literal block quoting.`;
  }
  return undefined;
}

/**
 * Whether the blocks holding the paragraph whose last line is `last` (text at column `indent`) end,
 * at a line indented `nextIndent` (-1: the end of the text), with a directive's content. Each
 * enclosing block is known by the nearest line above it that is less indented than its text.
 */
function endsDirectiveContent(lines: readonly RstLine[], last: number, indent: number, nextIndent: number): boolean {
  let column = indent;
  for (let j = last; j >= 0 && column > 0; j--) {
    const above = lines[j] as RstLine;
    if (above.blank || above.indent >= column) continue;
    if (nextIndent > above.indent) return false;
    if (directiveOf(above.text.replace(LEADING_SPACES, ''))) return true;
    column = above.indent;
  }
  return false;
}
