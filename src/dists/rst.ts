// The reStructuredText check of a description. Warehouse renders it with readme_renderer, which runs
// docutils with halt_level 2: any docutils warning or error fails the upload. The pre-flight follows
// docutils' body parser (docutils/parsers/rst/states.py) and its transitions transform for what
// real descriptions trip on, and says nothing where it cannot be sure, so that it never refuses what
// PyPI renders (__tests__/dists/rst.test.ts holds it to docutils):
// - section titles: an underline shorter than its text; an overline with no matching underline, a
//   different one, or one shorter than the text; a title or a transition in an indented body (a
//   block quote, a definition, a list item, an admonition), which docutils allows only at the top
//   level. Descriptions old setuptools folded into a PKG-INFO header come this way: their first line
//   at the margin, the rest 8 spaces in, so the README's title lands in a definition; a title style
//   that skips a level (src/dists/rst-sections.ts);
// - transitions first or last in the document, right after a title, or right after another;
// - a block quote, definition list, literal block, bullet, field or numbered list or explicit markup
//   that the next text follows with no blank line between (also a numbered item's lines that a
//   number out of sequence follows, and the definition or block quote an item's first lines make),
//   and a paragraph of two lines or more that an indented line follows directly;
// - a paragraph ending with `::` that no literal block follows (src/dists/rst-literal.ts);
// - a directive docutils does not know (Sphinx's), the `raw` and `include` directives
//   readme_renderer disables (src/dists/rst-names.ts), and content under a directive that takes
//   none (an image badge whose folded description follows it, indented, in an old PKG-INFO), and a
//   topic or a sidebar inside a body element (a list item, a block quote, an admonition), and a
//   directive with nothing under it that needs content or arguments (src/dists/rst-directive.ts), and
//   a meta directive whose content is no field list of meta tags (src/dists/rst-meta.ts);
// - a top-level simple table whose bottom border docutils does not find, or a border of another length;
// - bibliographic fields docutils cannot extract (src/dists/rst-docinfo.ts): an empty `:Version:`
//   or `:Date:` right under the title, an `:Author:` that holds a list;
// - a text that renders to nothing: blank, or only comments, targets, substitution definitions and
//   directives that show nothing there (meta, header, footer …);
// - in paragraphs, section titles, definition list terms and the first paragraphs of list items,
//   fields, options, footnotes, citations, admonitions and the directives whose text after `::` is
//   content (compound, epigraph, header …), and the titles of topics, sidebars, generic
//   admonitions, tables and list tables, the content of parsed literal blocks and each line of a line block (src/dists/rst-inline.ts), also where these stand in a directive whose content
//   docutils parses as body (admonitions, topics, sidebars, containers, block quotes, headers and
//   footers, a figure's caption and legend, a table's or list table's content, a class's): an inline markup
//   start-string with no end-string (`*emphasis`, ``` ``literal ```, `` `phrase ``, `|sub`), a role
//   docutils does not know (`:func:`, `:ref:`), has not implemented (`:index:`), disables (`raw` and
//   the roles derived from it) or refuses the text of (`:pep:` and `:rfc:` without a number:
//   src/dists/rst-roles.ts), a role together with a reference mark or two roles on one interpreted
//   text;
// - across the document (src/dists/rst-references.ts): two explicit targets of one name pointing to
//   different places, a reference to a name no target, title or footnote has, a substitution no
//   definition names, anonymous references and targets that do not pair up, more `[#]_` or `[*]_`
//   references than there are `.. [#]` or `.. [*]` footnotes.
// - in the cells of a grid table, or of a well-formed simple table at the top level, each parsed as a
//   body of its own: what the cell alone decides (inline markup without its end, blocks that end
//   without a blank line, indentation, literal blocks, directives); such a simple table whose
//   columns docutils cannot follow (text in a margin, a span out of line: src/dists/rst-simple-table.ts)
//   or that text follows with no blank line between.
// Literal blocks (after `::`), most explicit markup and doctest blocks are not looked into, nor are
// titles in table cells (their references, roles, substitutions and footnotes go to the document's
// checks), nested simple tables and substitution definitions. Enumerated lists are read in every
// sequence docutils knows (arabic, letters, Roman numerals: src/dists/rst-enumerator.ts), a letter
// that is also a Roman numeral in the sequence of the list it goes on.

import { ENUMERATOR, type Enumerator, listSequence, nextEnumerators, readEnumerator, type Sequence } from './rst-enumerator.ts';
import { type TableCell, readGridTable } from './rst-grid-table.ts';
import { readSimpleTable } from './rst-simple-table.ts';
import { canonicalDirective, contextProblem, type Directive, directiveOf, directiveProblem } from './rst-names.ts';
import { type DefinedRoles, definedRoles, roleProblem } from './rst-roles.ts';
import { directivePartsAt, runProblem } from './rst-directive.ts';
import { docinfoProblems } from './rst-docinfo.ts';
import { literalBlockProblem } from './rst-literal.ts';
import {
  ADORNMENT,
  BULLET_MARKER,
  GRID_TOP,
  SIMPLE_TABLE_BORDER,
  FIELD_MARKER,
  LEADING_SPACES,
  LITERAL_MARKER,
  pyIndent,
  QUOTE,
  SIMPLE_NAME,
} from './rst-patterns.ts';
import { PYTHON_SPACE, pyStrip } from './python-space.ts';
import { type Found, type InlineBlock, parseBlocks, targetReference } from './rst-inline.ts';
import { referenceProblems } from './rst-references.ts';
import {
  duplicateSubstitutionProblems,
  type ExplicitBlock,
  explicitConstructProblem,
  isFootnoteOrCitation,
  replacedText,
  replacedTextProblem,
} from './rst-explicit.ts';
import { type SectionTitle, titleLevelProblem } from './rst-sections.ts';
import { columnWidth } from './rst-width.ts';

export interface RstLine {
  /** the line as docutils reads it: tabs expanded to 8 columns, trailing whitespace dropped */
  text: string;
  indent: number;
  blank: boolean;
}

/** Explicit markup and anonymous targets (states.Body.patterns explicit_markup, anonymous). */
const EXPLICIT = /^(?:\.\.|__)(?: |$)/;
/** Line blocks and grid tables: their lines start so, whatever their indentation (line_block, grid_table_top). */
const LINE_BLOCK_OR_GRID = /^(?:\|(?: |$)|\+-[-+]+-\+$)/;
const DOCTEST = /^>>>(?: |$)/;
/** Blocks that run to the next blank line whatever the indentation of their lines: doctest blocks, line blocks and grid tables. */
/** Hyperlink and anonymous targets (states.Body.explicit: hyperlink_target, anonymous_target). */
const TARGET = /^(?:\.\. +_(?! |$)|__(?: |$))/;
const runsToBlank = (text: string) => DOCTEST.test(text) || LINE_BLOCK_OR_GRID.test(text);
/**
 * Markup whose lines end at the first blank line (a target's until_blank, a doctest or line block, a
 * grid table): what is indented after that line is a block quote of its parent, however deep.
 */
const endsAtBlankLine = (text: string) => TARGET.test(text) || runsToBlank(text);
/** Markup whose indented continuation is not parsed as body here: explicit markup, anonymous targets, line blocks, tables. */
const opaqueStart = (text: string) => EXPLICIT.test(text) || LINE_BLOCK_OR_GRID.test(text) || SIMPLE_TABLE_BORDER.test(text);

/** The admonitions, which take no arguments: their text is content, read as body. */
const ADMONITIONS = 'note|warning|tip|important|caution|danger|error|hint|attention';
/** The directives that take neither arguments nor options and read their content as a block quote's body (BlockQuote). */
const QUOTES = 'epigraph|highlights|pull-quote';
/** The directives whose arguments are a title, read as inline text whatever it looks like. */
const TITLED = 'admonition|topic|sidebar';
/** The header and footer, which take neither arguments nor options: docutils parses their content as the page's decoration's body. */
const DECORATIONS = 'header|footer';
/**
 * Directives with arguments or options (up to the first blank line) that parse their content into a
 * bare element, as body: a figure's caption and legend, a table's table, a list table's list, the
 * elements `class` gives its classes.
 */
const ELEMENT_CONTENT = 'figure|table|list-table|class|rst-class';
/** A directive's line (Body.explicit.constructs: any number of spaces, one before `::`, any case), with the spaces after it. */
const directiveMarker = (names: string) => new RegExp(String.raw`^\.\. +(?:${names}) ?::(?: +|$)`, 'i');

/** The directives whose content docutils parses as body. */
const BODY_DIRECTIVES = `${ADMONITIONS}|${TITLED}|${QUOTES}|${DECORATIONS}|${ELEMENT_CONTENT}|compound|container`;
/** Explicit markup whose content docutils parses as body: those directives, footnotes, citations (names in any case, spaced as Body.explicit.constructs allow). */
const BODY_EXPLICIT = new RegExp(String.raw`^\.\. +(?:(?:${BODY_DIRECTIVES}) ?::(?: +|$)|\[(?:[0-9]+|#|#?${SIMPLE_NAME}|\*)\](?: +|$))`, 'iu');
/**
 * Explicit markup docutils leaves out of the document's visible body: comments and hyperlink targets,
 * not footnotes, substitution definitions or directives (`..  note::` and `.. note ::` are directives
 * too: Body.explicit.constructs take any number of spaces, and one before `::`).
 */
const INVISIBLE = new RegExp(String.raw`^\.\.(?: +(?! )(?!\[|\||${SIMPLE_NAME} ?::(?: |$)).*)?$`, 'u');
/** A substitution definition (its directive on this line or the next): not shown where it stands either. */
const SUBSTITUTION_DEFINITION = /^\.\. +\|[^|]+\|(?: |$)/;
/** A bracket after `..` that makes no footnote or citation label: a comment (Body.explicit.constructs tried them first). */
const bracketComment = (text: string) => /^\.\. +\[/.test(text) && !isFootnoteOrCitation(text);

/** A body line whose `::` may announce a literal block: any but a directive's or a target's, where `::` is markup; an admonition's or a footnote's text counts. */
const endsWithLiteralMarker = (text: string) => {
  const body = BODY_EXPLICIT.exec(text);
  return text.endsWith('::') && (!EXPLICIT.test(text) || (!!body && body[0].length < text.length));
};

/**
 * Whether the line at `i` (its `text`) ends with a `::` that asks for a literal block: markup's own,
 * or a paragraph's line, which is text whatever it starts with.
 */
const asksLiteralBlock = (lines: RstLine[], i: number, text: string) => endsWithLiteralMarker(text) || (text.endsWith('::') && continuesText(lines, i));

/** docutils' option_marker (states.Body.patterns), with the spaces after it. */
const OPTION_ARGUMENT = '(?:[a-zA-Z][a-zA-Z0-9_-]*|<[^<>]+>)';
const OPTION = `(?:[-+][a-zA-Z0-9](?: ?${OPTION_ARGUMENT})?|(?:--|/)[a-zA-Z0-9][a-zA-Z0-9_-]*(?:[ =]${OPTION_ARGUMENT})?)`;
const OPTION_MARKER = new RegExp(`^${OPTION}(?:, ${OPTION})*(?:  +| ?$)`);

/** The constructs docutils continues with a sibling line and warns about when other text follows them directly. */
type ListKind = 'Bullet list' | 'Enumerated list' | 'Field list' | 'Option list' | 'Explicit markup';
const LIST_ITEMS: Array<[ListKind, RegExp]> = [
  ['Bullet list', /^([-+*\u2022\u2023\u2043])(?: |$)/],
  ['Enumerated list', /^\(?(?:\d+|[a-zA-Z#]|[ivxlcdmIVXLCDM]+)[.)](?: |$)/],
  ['Field list', FIELD_MARKER],
  ['Option list', OPTION_MARKER],
  ['Explicit markup', EXPLICIT],
];

/** The list a line is an item of (a bullet's character tells lists apart), if any. */
function listItem(text: string): { kind: ListKind; marker: string } | undefined {
  for (const [kind, pattern] of LIST_ITEMS) {
    const m = pattern.exec(text);
    if (m) return { kind, marker: kind === 'Bullet list' ? (m[1] as string) : '' };
  }
  return undefined;
}

const sameList = (a: ReturnType<typeof listItem>, b: ReturnType<typeof listItem>) => !!a && !!b && a.kind === b.kind && a.marker === b.marker;

/** A line that starts a body element other than a paragraph (states.Body.patterns), so no title's text. */
const startsMarkup = (text: string) => listItem(text) !== undefined || runsToBlank(text) || opaqueStart(text);

/** Python's str.splitlines (what docutils splits on), each line as docutils' string2lines leaves it. */
/** The line breaks of str.splitlines, which docutils splits its input with. */
const LINE_BREAK = /\r\n|[\n\r\x1c\x1d\x1e\x85\u2028\u2029]/;
const LINE_BREAK_AT_END = new RegExp(`(?:${LINE_BREAK.source})$`);
/** Python's whitespace (str.isspace), which str.rstrip drops: not the byte order mark, unlike JavaScript's trim. */
const PY_SPACE_AT_END = new RegExp(`[${PYTHON_SPACE}]+$`, 'u');

/**
 * docutils' string2lines: vertical tabs and form feeds become spaces (convert_whitespace), tabs
 * expand to 8 columns, each line loses Python's whitespace at its end. A line is indented by spaces
 * only: one that starts with another space character (a no-break space) is not.
 */
function rstLines(text: string): RstLine[] {
  return text
    .replace(/[\v\f]/g, ' ')
    .split(LINE_BREAK)
    .map((raw) => {
      const text = expandTabs(raw).replace(PY_SPACE_AT_END, '');
      const indent = text.length - text.replace(LEADING_SPACES, '').length;
      return { text, indent, blank: text === '' };
    });
}

function expandTabs(s: string): string {
  if (!s.includes('\t')) return s;
  let out = '';
  for (const ch of s) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

const isAdornment = (s: string, min: number) => s.length >= min && ADORNMENT.test(s);

/** docutils takes an underline of fewer than 4 characters, shorter than its title, for text (an INFO only). */
const underlineTakenForText = (title: string, underline: string) => columnWidth(title) > underline.length && underline.length < 4;

type Context = 'top' | 'nested' | 'opaque';

/** An indented block: where it starts, whether docutils parses it as body, and the line before it. */
interface Block {
  indent: number;
  opaque: boolean;
  introducer: string;
  /** a blank line between the introducer and the block (a block quote or literal block, not a definition) */
  afterBlank: boolean;
  /** the index of its first line */
  start?: number;
  /**
   * less indented than the line above, which was in a block that stopped here: docutils may read it
   * as more of that block (`continues`) or of the item around it, so what it is, and what ends it, is
   * not known here
   */
  unread?: { continues: Block | undefined };
}

/** Where a line sits, the block it ended by coming back to its parent's margin, if it did, and whether it indents a paragraph. */
interface Place {
  context: Context;
  ended?: Block;
  /** more indented than the paragraph of two lines or more right above it: docutils' "Unexpected indentation." */
  indentsParagraph?: boolean;
  /** less indented than the block quote or definition it is in, right under its lines: they were a block quote within it, ended here */
  quoteEnded?: QuoteEnd;
  /** right under a top-level section title's underline: docutils parses the section's body from here, so an element starts */
  afterTitle?: boolean;
  /** the first line of a doctest block, a line block or a table in body: an element, though its lines are not looked into */
  verbatimBody?: boolean;
  /** where docutils finds a top-level simple table malformed: its top, or a border of another length */
  malformedTable?: boolean;
  /** the first line of a quoted literal block (a paragraph's `::` asked for it): a line block's `|` there is a quote */
  quotedLiteral?: boolean;
}

/**
 * Where the simple table whose top border is at `start` ends (states.Body.isolate_simple_table): at
 * its second border after the top, or at a border a blank line or the block's end follows; a border
 * of another length makes it malformed there, and no end before the block's end at its top. Its
 * block ends at a line less indented than the table.
 */
function simpleTable(lines: RstLine[], start: number): { end: number; malformedAt?: number } {
  const { indent, text } = lines[start] as RstLine;
  let found = 0;
  let last = start;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as RstLine;
    if (line.blank) continue;
    if (line.indent < indent) break;
    last = i;
    if (line.indent !== indent || !SIMPLE_TABLE_BORDER.test(line.text.slice(indent))) continue;
    if (line.text.length !== text.length) return { end: i, malformedAt: i };
    const next = lines[i + 1];
    if (++found === 2 || !next || next.blank || next.indent < indent) return { end: i };
  }
  return { end: last, malformedAt: start };
}

/** A directive whose content docutils parses as body (BODY_DIRECTIVES). */
const BODY_DIRECTIVE = directiveMarker(BODY_DIRECTIVES);

/**
 * Whether docutils reads a body block at the least indentation of its lines (get_indented with no
 * known indent): a block quote, a definition under its term, or a body directive's content
 * (run_directive's get_first_known_indented: past its first line). Not a list item, field, option,
 * footnote or citation, followed here at a known indentation.
 */
const readsLeastIndent = (block: Block) =>
  !block.opaque && (BODY_DIRECTIVE.test(block.introducer) || (listItem(block.introducer) === undefined && !opaqueStart(block.introducer)));

/**
 * The first of the lines right above `i` at its indentation, with no blank line between: where a
 * paragraph they are in begins. A top-level section title's underline ends the run: the section's
 * body starts under it (states.Text.underline, then Body).
 */
function textRunStart(lines: RstLine[], i: number): number {
  let starts = textRunStarts.get(lines);
  if (!starts) {
    // Every line's, in one pass: a line goes on the run of the line above it or starts one.
    starts = new Int32Array(lines.length);
    for (let k = 0; k < lines.length; k++) {
      const [line, above] = [lines[k] as RstLine, lines[k - 1]];
      const goesOn = above && !above.blank && above.indent === line.indent && !(line.indent === 0 && endsTitle(lines, k - 1));
      starts[k] = goesOn ? (starts[k - 1] as number) : k;
    }
    textRunStarts.set(lines, starts);
  }
  return starts[i] as number;
}

/** textRunStart's answers per text. */
const textRunStarts = new WeakMap<RstLine[], Int32Array>();

/** How many lines of a paragraph end at `j` at its margin; 0 when the lines there are no paragraph (markup, a title). */
function paragraphLines(lines: RstLine[], j: number): number {
  const first = textRunStart(lines, j);
  const text = (k: number) => (lines[k] as RstLine).text.replace(LEADING_SPACES, '');
  // Under a bullet's or a number's text, at its column, the paragraph began on the marker's line.
  if (continuesItemText(lines, first)) return ADORNMENT.test(text(first)) ? 0 : j - first + 2;
  // docutils decides at a paragraph's first line, and at its second (an underline makes a title);
  // every line after those is text, whatever it looks like (Text.text reads the block to a blank line).
  // A numbered line the next line does not let be an item is a paragraph's first (is_enumerated_list_item).
  const notItem = numbered(lines, first) !== undefined && !numberedItem(lines, first);
  if ((startsMarkup(text(first)) && !notItem) || (ADORNMENT.test(text(first)) && !shortAdornmentText(lines, first))) return 0;
  if (first < j && ADORNMENT.test(text(first + 1)) && !underlineTakenForText(text(first), text(first + 1))) return 0;
  return j - first + 1;
}

/**
 * Whether the line at `i` goes on a paragraph above it: the lines right above it at its indentation
 * start with plain text that no adornment underlines, or go on a bullet's or a number's text right
 * above them, at its column (get_text_block reads the rest as that text).
 */
function continuesText(lines: RstLine[], i: number): boolean {
  const start = textRunStart(lines, i);
  if (continuesItemText(lines, start)) return true;
  // A numbered line the next line does not let be an item is a paragraph's first (is_enumerated_list_item).
  const first = (lines[start] as RstLine).text.replace(LEADING_SPACES, '');
  // So is an adornment shorter than 4 that overlines no title (states.Line: short_overline, Body.line).
  const shortText = !startsMarkup(first) && shortAdornmentText(lines, start);
  const noItem = numbered(lines, start) !== undefined && !numberedItem(lines, start);
  if (start === i || !(plainText(first) || shortText || noItem)) return false;
  // The second line of a paragraph can be a title's underline only when docutils does not take it for text.
  const second = (lines[start + 1] as RstLine).text.replace(LEADING_SPACES, '');
  return start + 1 === i || !ADORNMENT.test(second) || underlineTakenForText((lines[start] as RstLine).text.replace(LEADING_SPACES, ''), second);
}

/** Whether the line at `i` stands right under a bullet's or a number's first line, at the column of its plain text. */
function continuesItemText(lines: RstLine[], i: number): boolean {
  const above = lines[i - 1];
  const item = above && !above.blank ? listItemMarker(lines, i - 1) : undefined;
  return item?.column === (lines[i] as RstLine).indent && plainText((above as RstLine).text.replace(LEADING_SPACES, '').slice(item.marker.length));
}

/**
 * Whether the line at `i` is more indented than the paragraph of two lines or more right above it:
 * docutils' "Unexpected indentation." Only past that paragraph's own lines: a line back from deeper
 * ones (a definition's) indents no paragraph.
 */
function indentsParagraph(lines: RstLine[], i: number): boolean {
  const above = lines[i - 1];
  return !!above && !above.blank && above.indent < (lines[i] as RstLine).indent && paragraphLines(lines, i - 1) >= 2;
}

/**
 * The line that introduces the indented block starting at `i`, the last line of text at `previousAt`
 * ('' for none). After a blank line, what is indented under a paragraph's line is a block quote (a
 * literal block after `::`), whatever that line looks like: its introducer is none then.
 */
function introducerOf(lines: RstLine[], i: number, previousAt: number): string {
  const previous = lines[previousAt];
  if (!previous) return '';
  const textLine = (lines[i - 1] as RstLine).blank && continuesText(lines, previousAt) && !previous.text.endsWith('::');
  return textLine ? '' : previous.text.replace(LEADING_SPACES, '');
}

/**
 * For each line: whether it sits in an indented block that docutils parses as body (not a literal
 * block, explicit markup, a line block or a table, nor inside one) or at the top level, and which
 * block it ended, when it comes back to the margin of a block parsed as body.
 */
function readBlocks(lines: RstLine[]): Place[] {
  const stack: Block[] = [{ indent: 0, opaque: false, introducer: '', afterBlank: false }];
  let previous: RstLine | undefined;
  let previousAt = -1;
  /** What is read as it stands: to the next blank line (or its block's end, at a lesser indentation), or a simple table to its last line. */
  let verbatim: 'to blank' | number | undefined;
  let [verbatimMargin, literalNext] = [0, false];
  const malformed = new Set<number>();
  const places = lines.map((line, i): Place => {
    if (typeof verbatim === 'number' && i > verbatim) verbatim = undefined;
    if (verbatim === 'to blank' && (line.blank || outdented(line, verbatimMargin))) verbatim = undefined;
    if (line.blank) return { context: 'opaque' };
    if (verbatim !== undefined) {
      previous = line;
      previousAt = i;
      literalNext = false;
      return { context: 'opaque' };
    }
    let ended: Block | undefined;
    let quoteEnded: QuoteEnd | undefined;
    // The lines right under a target, a line block or a table end at the first blank line.
    const innermost = stack.at(-1) as Block;
    const endedAtBlank = i > 0 && (lines[i - 1] as RstLine).blank && stack.length > 1 && !innermost.afterBlank && endsAtBlankLine(innermost.introducer);
    if (endedAtBlank) stack.pop();
    while (stack.length > 1 && (stack.at(-1)?.indent ?? 0) > line.indent) {
      const top = stack.at(-1) as Block;
      // docutils reads an indented block (states.get_indented) to the first line back at its parent's
      // margin: a line less indented than the block's first but still indented only lowers the block's
      // indentation. A literal block or directive stays what it is. In a block quote or a definition the
      // lines above, now indented within it, were a block quote of their own that this line ends; other
      // body blocks (list items, fields: read at a known indentation) are not followed.
      if (line.indent > (stack.at(-2) as Block).indent && (top.opaque || readsLeastIndent(top))) {
        top.indent = line.indent;
        quoteEnded = top.opaque || (lines[i - 1] as RstLine).blank ? undefined : endedWithin(lines, i, top);
        break;
      }
      ended = stack.pop();
    }
    const landing = stack.at(-1) as Block;
    const place: Place = { context: 'top' };
    if (quoteEnded) place.quoteEnded = quoteEnded;
    if (ended && line.indent === landing.indent && !landing.opaque) place.ended = ended;
    if (line.indent > landing.indent) {
      place.indentsParagraph = !landing.opaque && indentsParagraph(lines, i);
      const introducer = introducerOf(lines, i, previousAt);
      // Explicit markup cannot interrupt a paragraph: right under a line of text, `.. note::` is more of that
      // text. A footnote's or an admonition's own text that ends with `::` may ask for a literal block.
      const bodyMarkup = BODY_EXPLICIT.test(introducer) && !continuesText(lines, previousAt) && !endsWithLiteralMarker(introducer);
      const afterBlank = i > 0 && (lines[i - 1] as RstLine).blank;
      // After a blank line, what is indented under a target, a line block or a table, or under an
      // empty comment (`..` with a blank line next, which takes nothing), is a block quote. A line that
      // goes on a paragraph is none of these, whatever it starts with.
      const startsOwnBlock = previousAt < 0 || !continuesText(lines, previousAt);
      const quote = afterBlank && ((endsAtBlankLine(introducer) && startsOwnBlock) || introducer === '..' || endedAtBlank);
      const marked = landing.opaque || (!bodyMarkup && !quote && (introducer.endsWith('::') || opaqueStart(introducer)));
      const unread = !marked && !endedAtBlank && (previous?.indent ?? 0) > line.indent;
      const block: Block = { indent: line.indent, opaque: marked || unread, introducer: quote ? '' : introducer, afterBlank, start: i };
      if (unread) block.unread = { continues: ended };
      pushBlock(stack, block, block.opaque || !afterBlank || previousAt < 0 ? [] : markerLineItems(lines, previousAt));
    }
    previous = line;
    previousAt = i;
    const current = stack.at(-1) as Block;
    place.context = current.opaque ? 'opaque' : stack.length > 1 ? 'nested' : 'top';
    // In body, a doctest block, a line block or a table starts here and runs on regardless of indentation.
    const text = line.text.replace(LEADING_SPACES, '');
    // Right under a section title docutils parses the section's body: an element starts there too.
    const starts = startsBlock(lines, i) || (place.context === 'top' && i > 0 && endsTitle(lines, i - 1));
    if (place.context !== 'opaque' && starts)
      [verbatim, verbatimMargin] = [verbatimFrom(lines, i, literalNext, place.context === 'top' ? malformed : undefined), verbatimMarginAt(lines, i)];
    if (verbatim !== undefined && place.context !== 'opaque') place.verbatimBody = true;
    if (place.verbatimBody && literalNext && (lines[i - 1] as RstLine).blank && QUOTE.test(text)) place.quotedLiteral = true;
    if (verbatim !== undefined) place.context = 'opaque';
    // `::` under a title's text is its underline, no literal block's marker.
    literalNext = place.context !== 'opaque' && asksLiteralBlock(lines, i, text) && !(place.context === 'top' && adornsTitleOrTransition(lines, i));
    return place;
  });
  for (const at of malformed) (places[at] as Place).malformedTable = true;
  return places;
}

/**
 * Makes the lines of a doctest block that starts on a field's, option's, footnote's, citation's or
 * admonition's marker line opaque. docutils reads the item's body as one indented block (its first
 * line at the marker's end, the rest at their least indentation: get_first_known_indented), where the
 * doctest runs to the first blank line whatever the indentation: every line up to there or to the
 * first line back at the marker's margin (where the item's body ends) is the doctest's text.
 */
function markMarkerDoctests(lines: RstLine[], places: Place[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as RstLine;
    if (line.blank || (places[i] as Place).context === 'opaque') continue;
    const item = itemMarker(lines, places, i);
    // A bullet's or a number's lines stand at its text's column (get_known_indented): not followed here.
    if (!item || item.column !== undefined || item.reads === 'title') continue;
    if (!DOCTEST.test(line.text.replace(LEADING_SPACES, '').slice(item.marker.length))) continue;
    i = markOpaqueRun(lines, places, i, (next) => !outdented(next, line.indent + 1));
  }
}

/**
 * Makes the lines right under the item at `i` that `inRun` takes opaque, to the first blank line,
 * and returns the last of them. The line right after them, if not blank, ends that item, not a block
 * those lines would have opened: at the item's margin, what ends is its list (or nothing, when the
 * line is its next item); short of that margin, nothing is claimed.
 */
function markOpaqueRun(lines: RstLine[], places: Place[], i: number, inRun: (line: RstLine) => boolean): number {
  const marker = lines[i] as RstLine;
  let j = i + 1;
  for (; j < lines.length && !(lines[j] as RstLine).blank && inRun(lines[j] as RstLine); j++) places[j] = { context: 'opaque' };
  const after = lines[j];
  const place = places[j];
  if (j > i + 1 && after && place && !after.blank) {
    delete place.quoteEnded;
    delete place.indentsParagraph;
    delete place.ended;
    if (after.indent === marker.indent)
      place.ended = { indent: marker.indent + 1, opaque: false, introducer: marker.text.replace(LEADING_SPACES, ''), afterBlank: false, start: i + 1 };
  }
  return j - 1;
}

/**
 * Makes the lines under a lettered or Roman item whose text is markup (a doctest, a line block, a
 * target, a field, an option …) opaque, up to the first blank line or the first line short of the
 * item's text column. docutils reads such a line as an item when the next one is indented
 * (is_enumerated_list_item), and those lines as the item's body (list_item, get_known_indented),
 * where the markup takes them as this check does not follow: a doctest or a target runs on to the
 * blank line, a field's or an option's lines are its body, and an adornment-like line there is no title.
 */
function markLetteredMarkup(lines: RstLine[], places: Place[]): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as RstLine;
    const next = lines[i + 1];
    if (line.blank || !next || next.blank || (places[i] as Place).context === 'opaque') continue;
    const e = readEnumerator(line.text.replace(LEADING_SPACES, ''));
    if (!e || e.sequence === 'arabic' || e.sequence === '#' || e.ordinal === null || !e.marker.endsWith(' ')) continue;
    const column = line.indent + e.marker.length;
    if (plainText(line.text.replace(LEADING_SPACES, '').slice(e.marker.length)) || next.indent < column || !startsList(lines, i)) continue;
    i = markOpaqueRun(lines, places, i, (under) => under.indent >= column);
  }
}

/** What a line that lowers a body block's margin ends right above it (the lines there now indented within that block). */
type QuoteEnd = 'Block quote' | 'Definition list';

/**
 * What ends right above line `i`, which lowers the margin of `top` (a block quote's, a definition's or
 * a body directive's content, read at its least indentation), with no blank line between: the lines
 * above are now indented within it. A block quote, when they begin its content. A directive whose
 * text after `::` is content begins it with that text: a paragraph of one line, which the indented
 * lines right under it make a definition list's term (Text.indent), or a block quote after a blank
 * line; `i` ends that definition list unless an indented line after it makes it the next term. A
 * directive with arguments begins its content after a blank line. Undefined where it is not known
 * (that text is other markup, or an admonition's option line comes first).
 */
function endedWithin(lines: RstLine[], i: number, top: Block): QuoteEnd | undefined {
  const marker = ADMONITION_MARKER.exec(top.introducer)?.[0] ?? CONTENT_ONLY_MARKER.exec(top.introducer)?.[0];
  const text = marker === undefined ? '' : top.introducer.slice(marker.length);
  if (text === '') return 'Block quote';
  if (!plainText(text) || text.endsWith('::')) return undefined;
  if (top.afterBlank) return 'Block quote';
  const first = top.start === undefined ? undefined : lines[top.start];
  if (!first || (ADMONITION_MARKER.test(top.introducer) && FIELD_MARKER.test(first.text.replace(LEADING_SPACES, '')))) return undefined;
  const next = lines[i + 1];
  return next && !next.blank && next.indent > (lines[i] as RstLine).indent ? undefined : 'Definition list';
}

/**
 * What an item's first lines end without a blank line, by the index of the line that ends it. A
 * bullet's or a number's text of one line that a line past its column follows directly is a
 * definition list's term in the item (Text.indent): the lines past that column are its definition
 * (get_indented), and a line back at the column ends it. A field's, an option's, a footnote's or a
 * citation's text, and an empty bullet's, is read at the least indentation of its lines
 * (get_first_known_indented): the lines more indented than a later one are a block quote within it,
 * or, right under a paragraph of one line on the marker's, that paragraph's definition, which that
 * line ends. A definition list goes on when an indented line follows that line (its next term).
 */
function itemTextEnds(lines: RstLine[], places: Place[]): Map<number, ItemEnd> {
  const out = new Map<number, ItemEnd>();
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as RstLine).blank || (places[i] as Place).context === 'opaque') continue;
    const ended = bulletDefinitionEnd(lines, i) ?? leastIndentEnd(lines, places, i) ?? shortOfItemText(lines, i) ?? markerLineBulletEnd(lines, places, i);
    if (ended) out.set(ended.at, ended.what);
  }
  return out;
}

/**
 * A bullet list begun on a field's, option's, footnote's, citation's or admonition's marker line,
 * that the next line ends: such an item's lines are read at their least indentation
 * (get_first_known_indented), so when no line of it is less indented than the next, that line stands
 * at the body's margin, where the list goes on only with another of its items.
 */
function markerLineBulletEnd(lines: RstLine[], places: Place[], i: number): { at: number; what: ItemEnd } | undefined {
  const line = lines[i] as RstLine;
  const next = lines[i + 1];
  const text = line.text.slice(line.indent);
  if (!next || next.blank || next.indent <= line.indent || pyIndent(next.text) !== next.indent || listItem(text)?.kind === 'Bullet list') return undefined;
  const item = itemMarker(lines, places, i);
  if (!item || item.column !== undefined || item.reads === 'title') return undefined;
  const rest = text.slice(item.marker.length);
  const bullet = BULLET_MARKER.exec(rest)?.[0];
  if (bullet === undefined || rest.length <= bullet.length || sameList(listItem(rest), listItem(next.text.slice(next.indent)))) return undefined;
  for (let j = i + 2; j < lines.length && ((lines[j] as RstLine).blank || (lines[j] as RstLine).indent > line.indent); j++) {
    if (!(lines[j] as RstLine).blank && (lines[j] as RstLine).indent < next.indent) return undefined;
  }
  return { at: i + 1, what: 'Bullet list' };
}

/** What ends at a line right under an item's first lines: a block within the item, or the item's list. */
type ItemEnd = QuoteEnd | 'Bullet list' | 'Enumerated list';

/**
 * The line right under a bullet's or a number's line with text that is indented, but less than that
 * text: list_item reads the item's lines at the text's column (get_known_indented), so the item ends
 * there, and its list with it, with no blank line between. Of lists nested on that line, the
 * innermost whose text the line falls short of ends, unless the line stands at that list's margin
 * as its next item.
 */
function shortOfItemText(lines: RstLine[], i: number): { at: number; what: ItemEnd } | undefined {
  const line = lines[i] as RstLine;
  const next = lines[i + 1];
  if (!next || !BULLET_MARKER.test(line.text.slice(line.indent)) === !ENUMERATOR.test(line.text.slice(line.indent))) return undefined;
  const items = markerLineItems(lines, i).filter((item): item is ItemOnLine & { column: number } => item.column !== undefined);
  const innermost = items.at(-1);
  if (!innermost) return undefined;
  // The item's lines run on while their first columns, to the text's, are blank (get_known_indented).
  let at = i + 1;
  while (at < lines.length && ((lines[at] as RstLine).blank || (lines[at] as RstLine).indent >= innermost.column)) at++;
  const end = lines[at];
  if (!end || (lines[at - 1] as RstLine).blank || pyIndent(end.text) !== end.indent) return undefined;
  for (let k = items.length - 1; k >= 0; k--) {
    const { margin, introducer } = items[k] as ItemOnLine;
    const what = BULLET_MARKER.test(introducer) ? 'Bullet list' : 'Enumerated list';
    if (end.indent > margin) return { at, what };
    // At the outermost list's margin, what follows it is judged as after any list (endedList).
    if (end.indent === margin) return k === 0 || sameList(listItem(introducer), listItem(end.text.slice(margin))) ? undefined : { at, what };
  }
  return undefined;
}

/** The first line from `from` back at `margin` or less (or the end); undefined when a line before it, or it, is indented in part by other white space than spaces. */
function backAt(lines: RstLine[], from: number, margin: number): number | undefined {
  let j = from;
  for (; j < lines.length && ((lines[j] as RstLine).blank || (lines[j] as RstLine).indent > margin); j++) {
    if (!(lines[j] as RstLine).blank && pyIndent((lines[j] as RstLine).text) !== (lines[j] as RstLine).indent) return undefined;
  }
  const back = lines[j];
  return back && pyIndent(back.text) !== back.indent ? undefined : j;
}

/** Whether a definition list whose last definition ends right above `at` goes on there: an indented line after it makes it a term. */
const nextTerm = (lines: RstLine[], at: number) => {
  const after = lines[at + 1];
  return !!after && !after.blank && after.indent > (lines[at] as RstLine).indent;
};

/** A paragraph's first line that docutils reads as a term when an indented line follows it (not a literal block's marker). */
const termText = (text: string) => plainText(text) && !text.endsWith('::');

/** The line back at the column of a bullet's or a number's text that ends the definition its one line has (see itemTextEnds). */
function bulletDefinitionEnd(lines: RstLine[], i: number): { at: number; what: QuoteEnd } | undefined {
  const next = lines[i + 1];
  const item = next && !next.blank ? listItemMarker(lines, i) : undefined;
  if (item?.column === undefined || (next as RstLine).indent <= item.column) return undefined;
  if (!termText((lines[i] as RstLine).text.replace(LEADING_SPACES, '').slice(item.marker.length))) return undefined;
  const at = backAt(lines, i + 1, item.column);
  const back = at === undefined ? undefined : lines[at];
  if (at === undefined || !back || back.indent !== item.column || (lines[at - 1] as RstLine).blank || nextTerm(lines, at)) return undefined;
  return { at, what: 'Definition list' };
}

/** The line that lowers the margin of an item's text read at its least indentation, and what it ends (see itemTextEnds). */
function leastIndentEnd(lines: RstLine[], places: Place[], i: number): { at: number; what: QuoteEnd } | undefined {
  const { indent, text } = lines[i] as RstLine;
  const item = itemMarker(lines, places, i);
  const marked = text.slice(indent);
  if (!item || item.reads !== 'body' || item.column !== undefined || CONTENT_ONLY_MARKER.test(marked)) return undefined;
  const end = backAt(lines, i + 1, indent);
  if (end === undefined) return undefined;
  let first = i + 1;
  while (first < end && (lines[first] as RstLine).blank) first++;
  const written = lines.slice(first, end).filter((l) => !l.blank);
  if (written.length === 0) return undefined;
  const margin = written.reduce((least, l) => Math.min(least, l.indent), Number.POSITIVE_INFINITY);
  let at = first;
  while ((lines[at] as RstLine).blank || (lines[at] as RstLine).indent !== margin) at++;
  if (at === first || (lines[at - 1] as RstLine).blank) return undefined;
  const rest = marked.slice(item.marker.length);
  if (rest === '' || (first > i + 1 && termText(rest))) return { at, what: 'Block quote' };
  return first === i + 1 && termText(rest) && !nextTerm(lines, at) ? { at, what: 'Definition list' } : undefined;
}

/**
 * The margin below which what starts at `i` and is read as it stands ends before a blank line (its
 * block ends there); a directive's arguments, read at their least indentation, end only at one or
 * at a line back at the directive's margin, where its block ends (get_first_known_indented).
 */
const verbatimMarginAt = (lines: RstLine[], i: number) => (underArguments(lines, i) ? (lines[i - 1] as RstLine).indent + 1 : (lines[i] as RstLine).indent);

/** A line of a line block (Body.patterns line_block). */
const LINE_BLOCK_LINE = /^\|(?: |$)/;

/**
 * states.Body.line_block: a line block that starts at `start` in body reads its lines (each with the
 * lines indented under it) to a blank line; a line back at its margin that is no line of it ends
 * it without one, a warning on the line after its first.
 */
function lineBlockEnd(lines: RstLine[], places: Place[], start: number): string | undefined {
  // Only after a blank line is it certainly a line block: the first line of an indented block may go on a paragraph above.
  const afterBlank = start === 0 || (lines[start - 1] as RstLine).blank;
  const margin = afterBlank ? bodyStartMargin(lines, places, start, LINE_BLOCK_LINE) : undefined;
  if (margin === undefined) return undefined;
  for (let j = start + 1; j < lines.length && !(lines[j] as RstLine).blank; j++) {
    const line = lines[j] as RstLine;
    const measured = pyIndent(line.text);
    if (measured > margin) continue;
    if (measured < margin || line.indent !== margin) return undefined;
    if (!LINE_BLOCK_LINE.test(line.text.slice(margin))) return `line ${start + 2}: Line block ends without a blank line.`;
  }
  return undefined;
}

/**
 * The lines of a line block at `start` in body, which docutils parses for inline markup one by one
 * (Body.line_block_line): the text after each `|` with the indented lines that go on it
 * (get_first_known_indented, to the blank line), at their least indentation. None where the block is
 * not certainly one, or a line is indented in part by other white space than spaces.
 */
function lineBlockTexts(lines: RstLine[], places: Place[], start: number): InlineBlock[] {
  const afterBlank = start === 0 || (lines[start - 1] as RstLine).blank;
  const margin = afterBlank && !(places[start] as Place).quotedLiteral ? bodyStartMargin(lines, places, start, LINE_BLOCK_LINE) : undefined;
  if (margin === undefined) return [];
  const texts: Array<{ line: number; first: string; more: RstLine[] }> = [];
  for (let j = start; j < lines.length && !(lines[j] as RstLine).blank; j++) {
    const line = lines[j] as RstLine;
    if (pyIndent(line.text) !== line.indent || line.indent < margin) return [];
    const marker = line.indent === margin ? /^\|(?: +|$)/.exec(line.text.slice(margin)) : null;
    if (line.indent === margin && !marker) break;
    if (marker) texts.push({ line: j + 1, first: line.text.slice(margin + marker[0].length), more: [] });
    else texts.at(-1)?.more.push(line);
  }
  return texts.map(({ line, first, more }) => {
    const least = more.reduce((m, l) => Math.min(m, l.indent), Number.POSITIVE_INFINITY);
    return { text: [first, ...more.map((l) => l.text.slice(least))].join('\n'), line };
  });
}

/** The margin of what `pattern` starts at `start` in body, read as it stands (its line's indentation); undefined when nothing does. */
function bodyStartMargin(lines: RstLine[], places: Place[], start: number, pattern: RegExp): number | undefined {
  const { indent, text } = lines[start] as RstLine;
  return (places[start] as Place).verbatimBody && pattern.test(text.slice(indent)) ? indent : undefined;
}

/** Less indented than `margin` however docutils measures it: by its spaces, and by str.lstrip. */
const outdented = (line: RstLine, margin: number) => line.indent < margin && pyIndent(line.text) < margin;

/**
 * What docutils reports about the grid table whose top border is line `start`, if one starts there in
 * body: its block's margin is that line's indentation. A line indented in part by other white space
 * than spaces is not judged.
 */
function gridTableRead(lines: RstLine[], places: Place[], start: number): TableRead | undefined {
  const margin = bodyStartMargin(lines, places, start, GRID_TOP);
  if (margin === undefined) return undefined;
  const block: string[] = [];
  for (let j = start; j < lines.length && !(lines[j] as RstLine).blank; j++) {
    const { text, indent } = lines[j] as RstLine;
    if (pyIndent(text) < margin) break;
    if (indent < margin) return undefined;
    block.push(text.slice(margin));
  }
  const table = readGridTable(block);
  if (!table) return undefined;
  const cells = cellsRead(table.cells, start);
  return { problems: [...table.problems.map((p) => `line ${start + 1 + p.offset}: ${p.message}`), ...cells.problems], found: cells.found };
}

/**
 * What docutils reports about the simple table whose top border is line `start`, if a well-formed one
 * starts there at the top level (isolate_simple_table found its bottom border): a TableMarkupError,
 * its cells' inline markup, and text right under it.
 */
function simpleTableRead(lines: RstLine[], places: Place[], start: number): TableRead | undefined {
  // At the margin, in body: at the top level (anything nested is indented).
  if (bodyStartMargin(lines, places, start, SIMPLE_TABLE_BORDER) !== 0) return undefined;
  const { end, malformedAt } = simpleTable(lines, start);
  if (malformedAt !== undefined) return undefined;
  // A table that ends at its second border after the top may have text right under it (blank_finish).
  const next = lines[end + 1];
  const unfinished = next && !next.blank ? [`line ${end + 2}: Blank line required after table.`] : [];
  const table = readSimpleTable(lines.slice(start, end + 1).map((l) => l.text));
  if (!table) return { problems: unfinished, found: [] };
  const cells = cellsRead(table.cells, start);
  return { problems: [...table.problems.map((p) => `line ${start + 1 + p.offset}: ${p.message}`), ...cells.problems, ...unfinished], found: cells.found };
}

/**
 * What docutils reports of a cell's text whatever stands around the table: inline markup without its
 * end, blocks that end without a blank line, indentation, literal blocks, tables and directives the
 * cell holds. Not titles and transitions (a cell allows none), nor references, roles, footnotes and
 * substitutions, which are the document's.
 */
const CELL_OWN = new RegExp(
  '^line (\\d+): (Inline [a-z_ ]+ start-string without end-string\\.|.* ends without a blank line; unexpected unindent\\.|' +
    'Unexpected indentation\\.|Literal block expected; none found\\.|Malformed table\\.|Blank line required after table\\.|' +
    'Unknown directive type .*|Error in ".*" directive: .*|Content block expected for the ".*" directive; none found\\.)$',
);

/** What a table's cells hold: the problems docutils reports, and what the document-wide checks need. */
interface TableRead {
  problems: string[];
  found: Found[];
}

/** A line of explicit markup or an anonymous target in a cell: a name or definition the document-wide checks would not know. */
const CELL_MARKUP = /^ *(?:\.\.|__)(?: |$)/m;

/**
 * The problems of a grid or simple table's cells (its top border on line `start`): docutils parses
 * each cell as a body of its own. Only what the cell alone decides is taken (CELL_OWN); the
 * references, roles, substitutions and footnotes the cells hold go to the document's checks, with
 * the lines they stand on, unless a cell defines targets or substitutions of its own (not followed).
 */
function cellsRead(cells: TableCell[], start: number): TableRead {
  const problems: string[] = [];
  const found: Found[] = [];
  const own = cells.some((cell) => CELL_MARKUP.test(cell.lines.join('\n')));
  for (const cell of cells) {
    const read = readRst(cell.lines.join('\n'));
    for (const problem of read.problems) {
      const m = CELL_OWN.exec(problem);
      if (m) problems.push(`line ${start + cell.offset + Number(m[1])}: ${m[2]}`);
    }
    if (!own) for (const f of read.found) found.push({ ...f, line: start + cell.offset + f.line });
  }
  return { problems, found };
}

/**
 * Opens `block` on `stack`. A bullet's or a number's item is read at its text's column
 * (get_known_indented): what stands deeper after a blank line is a block quote inside the item, and
 * the item goes on after it.
 */
function pushBlock(stack: Block[], block: Block, items: ItemOnLine[]): void {
  const under = (stack.at(-1) as Block).indent;
  // An item with nothing after its marker reads the lines indented past its margin, at their least
  // indentation (get_first_known_indented): this block, when it is indented past that margin.
  const placed = items.map(({ column, margin, introducer }) => ({ column: column ?? (block.indent > margin ? block.indent : -1), introducer }));
  const within = placed.filter(({ column }) => column > under && column <= block.indent);
  const last = within.at(-1);
  if (!last) return void stack.push(block);
  for (const { column, introducer } of within) if (column < block.indent) stack.push({ ...block, indent: column, introducer });
  // At the innermost item's column the block is that item's body; further in, a block quote in it.
  if (last.column === block.indent) stack.push({ ...block, introducer: last.introducer });
  else stack.push({ indent: block.indent, opaque: false, introducer: '', afterBlank: true });
}

/** An item that starts on a marker line: where its marker stands, its text's column (none when no text follows the marker), its marker and text. */
interface ItemOnLine {
  margin: number;
  column?: number;
  introducer: string;
}

/**
 * The items that start on the bullet's or number's line at `at`: its own (with text after it), then
 * each bullet or enumerator nested on that line, each a list of its own whose item's lines stand at
 * its text's column (list_item, get_known_indented), so that a less indented line ends the inner
 * items first. The last may have no text after it.
 */
function markerLineItems(lines: RstLine[], at: number): ItemOnLine[] {
  const outer = listItemMarker(lines, at);
  if (outer?.column === undefined) return [];
  const line = lines[at] as RstLine;
  const text = line.text.slice(line.indent);
  const items: ItemOnLine[] = [{ margin: line.indent, column: outer.column, introducer: text }];
  for (let marker = outer.marker; ; ) {
    const rest = text.slice(marker.length);
    const margin = line.indent + marker.length;
    const enumerator = readEnumerator(rest);
    const numbered = enumerator && enumeratedAt(lines[at + 1], margin, enumerator) ? enumerator.marker : undefined;
    const nested = BULLET_MARKER.exec(rest)?.[0] ?? numbered;
    if (nested === undefined) return items;
    marker += nested;
    if (rest.length <= nested.length) return [...items, { margin, introducer: rest }];
    items.push({ margin, column: line.indent + marker.length, introducer: rest });
  }
}

/**
 * What starts at `i`, at the start of a block in body, that is read as it stands: to the next blank
 * line, or a simple table to its last line (whose malformed places go to `malformed`, if given).
 * Right under a generic admonition's, a topic's, a sidebar's or a container's line, the lines up to a
 * blank one are its arguments and options (parse_directive_block), not body.
 */
function verbatimFrom(lines: RstLine[], i: number, literalNext: boolean, malformed: Set<number> | undefined): 'to blank' | number | undefined {
  const text = (lines[i] as RstLine).text.replace(LEADING_SPACES, '');
  const quoted = literalNext && (lines[i - 1] as RstLine).blank && QUOTE.test(text);
  if (runsToBlank(text) || quoted || underArguments(lines, i)) return 'to blank';
  if (!SIMPLE_TABLE_BORDER.test(text)) return undefined;
  const table = simpleTable(lines, i);
  if (table.malformedAt !== undefined) malformed?.add(table.malformedAt);
  return table.end;
}

/** A title with an overline at the top level (states.Line.text): what docutils reports, if anything. */
function overlinedTitle(lines: RstLine[], i: number): string | undefined {
  const overline = (lines[i] as RstLine).text;
  const title = lines[i + 1] as RstLine;
  const under = lines[i + 2];
  if (under === undefined) return `line ${i + 1}: Incomplete section title.`;
  if (!isAdornment(under.text, 1)) return `line ${i + 1}: Missing matching underline for section title overline.`;
  if (under.text !== overline) return `line ${i + 1}: Title overline & underline mismatch.`;
  if (columnWidth(title.text) > overline.length) return `line ${i + 1}: Title overline too short.`;
  return undefined;
}

/**
 * A line that looks like an enumerated list's item with an adornment right under it at its
 * indentation: no item (is_enumerated_list_item: the next line is not blank, indented or the next
 * enumerator), so text, which that adornment may underline ("1. Introduction" over "====").
 */
function underlinedEnumerator(lines: RstLine[], i: number): boolean {
  const [line, next] = [lines[i], lines[i + 1]];
  if (!line || line.blank || !next || next.blank || next.indent !== line.indent) return false;
  return listItem(line.text.replace(LEADING_SPACES, ''))?.kind === 'Enumerated list' && ADORNMENT.test(next.text.replace(LEADING_SPACES, ''));
}

/**
 * Whether the line at `i` is the underline of a top-level title of two lines after a blank line (or
 * first): `::` there is no literal block's marker.
 */
function underlinesTitle(lines: RstLine[], i: number): boolean {
  const [title, underline] = [lines[i - 1], lines[i] as RstLine];
  if (!title || title.blank || title.indent !== 0 || underline.indent !== 0 || !(i === 1 || (lines[i - 2] as RstLine).blank)) return false;
  return (
    (!startsMarkup(title.text) || underlinedEnumerator(lines, i - 1)) &&
    !ADORNMENT.test(title.text) &&
    ADORNMENT.test(underline.text) &&
    !underlineTakenForText(title.text, underline.text)
  );
}

/**
 * Whether the line at `i` is a transition or a title's over- or underline, at the top level: `::`
 * there is no literal block's marker (only a paragraph's last line is).
 */
function adornsTitleOrTransition(lines: RstLine[], i: number): boolean {
  return ADORNMENT.test((lines[i] as RstLine).text) && (startsOverline(lines, i) || endsTitle(lines, i));
}

/** A transition or an overline: an adornment starting a block; one shorter than 4 is text, unless it overlines a title that fits. */
const startsOverline = (lines: RstLine[], j: number) =>
  startsBlock(lines, j) && ADORNMENT.test((lines[j] as RstLine).text) && ((lines[j] as RstLine).text.length >= 4 || shortOverlined(lines, j));

/** Whether the line at `i` is the underline of a top-level title: of two lines, or under an overline like it. */
function endsTitle(lines: RstLine[], i: number): boolean {
  return underlinesTitle(lines, i) || (i >= 2 && (lines[i - 2] as RstLine).text === (lines[i] as RstLine).text && startsOverline(lines, i - 2));
}

/**
 * An adornment shorter than 4 at `i` that overlines no title that fits: states.Line.text reads it
 * again as a paragraph's first line (short_overline).
 */
function shortAdornmentText(lines: RstLine[], i: number): boolean {
  const text = (lines[i] as RstLine).text.replace(LEADING_SPACES, '');
  return ADORNMENT.test(text) && text.length < 4 && !shortOverlined(lines, i);
}

/** An overline of fewer than 4 characters over a title that fits, with the same line under it: a title all the same. */
function shortOverlined(lines: RstLine[], i: number): boolean {
  const overline = (lines[i] as RstLine).text;
  const [title, underline] = [lines[i + 1], lines[i + 2]];
  // An adornment as the middle line is an underline to states.Line, which tries that before text.
  return !!title && !title.blank && !ADORNMENT.test(title.text) && underline?.text === overline && columnWidth(title.text) <= overline.length;
}

/** An underlined title at the top level (states.Text.underline): too short an underline is a warning. */
function underlinedTitle(lines: RstLine[], i: number): string | undefined {
  const title = (lines[i] as RstLine).text;
  const underline = (lines[i + 1] as RstLine).text;
  if (columnWidth(title) > underline.length && !underlineTakenForText(title, underline)) return `line ${i + 2}: Title underline too short.`;
  return undefined;
}

/** Lines that start a block: the first, those after a blank line, and the first of an indented block. */
const startsBlock = (lines: RstLine[], i: number) =>
  i === 0 || (lines[i - 1] as RstLine).blank || (lines[i - 1] as RstLine).indent < (lines[i] as RstLine).indent;

/** The index of the last non-blank line before `i` (-1: none). */
function lastText(lines: RstLine[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (!(lines[j] as RstLine).blank) return j;
  return -1;
}

/** What docutils makes of the line at `i`: its problem, if any, how many lines it took, and what it was. */
interface Reading {
  problem?: string | undefined;
  lines: number;
  element?: 'title' | 'transition';
}

/** A block's first line in an indented body: a title or a transition there is an error. */
function nestedTitle(lines: RstLine[], i: number): Reading {
  const line = lines[i] as RstLine;
  const text = line.text.replace(LEADING_SPACES, '');
  if (isAdornment(text, 4)) return { problem: `line ${i + 1}: Unexpected section title or transition.`, lines: 1 };
  const next = lines[i + 1];
  const underline = next && !next.blank && next.indent === line.indent ? next.text.replace(LEADING_SPACES, '') : '';
  if (underline && (!startsMarkup(text) || underlinedEnumerator(lines, i)) && isAdornment(underline, 1) && !underlineTakenForText(text, underline)) {
    return { problem: `line ${i + 2}: Unexpected section title.`, lines: 2 };
  }
  return { lines: 1 };
}

/** A block's first line at the top level: a title with an overline, or with an underline only. */
function topTitle(lines: RstLine[], i: number): Reading {
  const text = (lines[i] as RstLine).text;
  const next = lines[i + 1];
  // A bullet, `..`, `__` or `|` alone is that markup's (states.Body tries those patterns before `line`).
  if (ADORNMENT.test(text) && !startsMarkup(text)) {
    // After `::`: a quoted literal block. Shorter than 4: text, but the overline of a title that fits
    // under its matching underline (states.Line.text, short_overline). Then a blank line or the end: a transition.
    const at = lastText(lines, i);
    const before = lines[at]?.text ?? '';
    if (before.endsWith('::') && !before.startsWith('..') && !adornsTitleOrTransition(lines, at)) return { lines: 1 };
    // An adornment right under it (states.Line.underline): no title's text. Shorter than 4, the line is
    // read again as text, which that adornment may underline (short_overline, then Text.underline).
    if (next && !next.blank && ADORNMENT.test(next.text)) {
      if (text.length >= 4) return { problem: `line ${i + 1}: Invalid section title or transition marker.`, lines: 2 };
      return underlineTakenForText(text, next.text) ? { lines: 2 } : { problem: underlinedTitle(lines, i), lines: 2, element: 'title' };
    }
    if (text.length < 4) return shortOverlined(lines, i) ? { lines: 3, element: 'title' } : { lines: 1 };
    if (!next || next.blank) return { lines: 1, element: 'transition' };
    return { problem: overlinedTitle(lines, i), lines: 3, element: 'title' };
  }
  if (next && !next.blank && next.indent === 0 && isAdornment(next.text, 1) && (!startsMarkup(text) || underlinedEnumerator(lines, i))) {
    // An underline taken for text makes the two lines a paragraph's.
    if (underlineTakenForText(text, next.text)) return { lines: 2 };
    return { problem: underlinedTitle(lines, i), lines: 2, element: 'title' };
  }
  return { lines: 1 };
}

/** An explicit target's name when it has no escapes: `.. _name:`, or quoted, `` .. _`a name`: ``. */
const TARGET_NAME = /^\.\. +_(?:`([^`\\]+)`|([^`:\\_][^`:\\]*)):(?: |$)/;
/** docutils' fully_normalize_name: whitespace runs made one space, lower case. */
const normalizedName = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Markup that gives a name anywhere in the text, at any depth, before the titles after it: an explicit
 * target (`.. _name:`), a footnote's or citation's label (`.. [name]`), an inline target
 * (`` _`name` ``) and a named reference with an embedded URI or alias (`` `name <uri>`_ ``). Read
 * loosely, escapes and literals included: a name too many only spares a title the transition check.
 */
const NAMING_LINE = /^\.\. +(?:_`?([^`:]+)`?:|\[#?([^\]\s]+)\])(?: |$)/;
const NAMING_INLINE = /_`([^`]+)`|`([^`<]*?)\s*<[^`>]*>`_(?!_)/g;

function namesGiven(text: string): string[] {
  const explicit = NAMING_LINE.exec(text.replace(LEADING_SPACES, ''));
  const names = explicit ? [(explicit[1] ?? explicit[2]) as string] : [];
  for (const m of text.matchAll(NAMING_INLINE)) names.push((m[1] ?? m[2]) as string);
  return names.map(normalizedName);
}

/**
 * The names a title may have: docutils names its section by the title's text without its markup
 * (normalize_name(title.astext())). The markup is taken off loosely (roles, embedded URIs, inline
 * target, emphasis and reference marks, escapes): either name found before makes the title a duplicate.
 */
function titleNames(text: string): string[] {
  const plain = text
    .replace(/`([^`<]*?)\s*<[^`>]*>`__?/g, '$1')
    .replace(/:[\w.+-]+:(?=`)|(?<=`):[\w.+-]+:/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/_`|`__?|``|\*\*|[`*|]/g, '')
    .replace(/(\w)__?(?=\W|$)/g, '$1');
  return [normalizedName(text), normalizedName(plain)];
}

/** A title as read: its place for titleLevelProblem, and the index of its first line and how many lines it takes. */
interface ReadTitle extends SectionTitle {
  at: number;
  lines: number;
  /** read with a problem (an overline without its underline, …): refused for that, and no document title */
  faulty: boolean;
}

/** A title's adornment style: its underline's character, or overline and underline. An overline with no underline (an incomplete title) is refused anyway: its style is the overline's alone. */
function titleStyle(lines: RstLine[], i: number, reading: Reading): string {
  const [over, under] = [lines[i]?.text[0] ?? '', lines[reading.lines === 3 ? i + 2 : i + 1]?.text[0] ?? ''];
  return reading.lines === 3 ? `${over}/${under}` : under;
}

/**
 * The top-level section titles of a text, for their levels (src/dists/rst-sections.ts), judged only
 * when every adornment at the margin is known: a title's, a transition's, or one shorter than 4
 * standing alone (text). Another (a third line of a paragraph, an underline taken for text, a title
 * this check does not read as one) may be a title docutils counts, which would shift the levels.
 */
class SectionTitles {
  #titles: ReadTitle[] = [];
  #read = new Set<number>();

  read(lines: RstLine[], i: number, reading: Reading): void {
    if (!reading.element) return;
    for (let j = i; j < i + reading.lines; j++) this.#read.add(j);
    if (reading.element !== 'title') return;
    this.#titles.push({ line: reading.lines === 3 ? i + 1 : i, style: titleStyle(lines, i, reading), at: i, lines: reading.lines, faulty: !!reading.problem });
  }

  /** The titles read, in order. */
  get titles(): readonly ReadTitle[] {
    return this.#titles;
  }

  /** Whether every adornment at the margin was read as a title's, a transition or text: the titles are then all known. */
  allKnown(lines: RstLine[]): boolean {
    // Right after a blank line or a title, and before a blank line, a short adornment is text (states.Line.blank).
    const alone = (j: number) => (lines[j - 1]?.blank ?? true) || this.#read.has(j - 1);
    const short = (j: number) => alone(j) && (lines[j + 1]?.blank ?? true) && (lines[j] as RstLine).text.length < 4;
    return !lines.some((line, j) => !line.blank && line.indent === 0 && ADORNMENT.test(line.text) && !this.#read.has(j) && !short(j));
  }

  problem(lines: RstLine[]): string | undefined {
    return this.allKnown(lines) ? titleLevelProblem(this.#titles) : undefined;
  }
}

/**
 * Where a top-level transition may not stand (docutils' misc.Transitions, warnings): first in the
 * document (comments and targets before it do not count), right after a section's title, right
 * after another transition, or last in the document.
 */
class TransitionPlaces {
  #before: 'nothing' | 'title' | 'transition' | 'other' = 'nothing';
  /** The names of the titles and explicit targets so far (whitespace-normalized, lower case). */
  #names = new Set<string>();
  /** Only invisible markup so far, and docutils' note of a repeated target among it (a system message). */
  #invisibleOnly = true;
  #noted = false;
  /** A title's inline target repeated a name: docutils' note of it follows the title's section. */
  #notedAfterSection = false;

  /**
   * The top-level element, or any other line of the body, read at `i` (`shown`: an element though its
   * lines are opaque). A title named as an earlier title or target gets docutils' "Duplicate implicit
   * target name" message right after it, inside its section: an element before what follows.
   */
  read(lines: RstLine[], i: number, context: Context, reading: Reading, shown = false): void {
    const line = lines[i] as RstLine;
    if (line.blank) return;
    const named = context === 'top' ? TARGET_NAME.exec(line.text) : null;
    const target = named ? (named[1] ?? named[2]) : undefined;
    // A target named as an earlier name gets docutils' note of it (set_duplicate_name_id: an INFO for
    // the same URI or reference, or an implicit name overridden) in its parent: an element. Another
    // URI is a warning, refused as a duplicate target anyway.
    const renamed = target !== undefined && this.#names.has(normalizedName(target));
    if (target) this.#names.add(normalizedName(target));
    let element = reading.element;
    const text = (lines[element === 'title' && reading.lines === 3 ? i + 1 : i] as RstLine).text;
    // A title's own inline targets take their names before its section does (states.Body.new_subsection),
    // and docutils' note of one named before lands in the title's parent, after the new section: a
    // transition at the end of the document is then moved up before it (misc.Transitions), not last.
    const given = namesGiven(text);
    if (element === 'title' && given.some((name) => this.#names.has(name))) this.#notedAfterSection = true;
    for (const name of given) this.#names.add(name);
    if (element === 'title') {
      const names = titleNames(text);
      if (names.some((name) => this.#names.has(name))) element = undefined;
      for (const name of names) this.#names.add(name);
    }
    // A title whose text is a short adornment re-read as text follows docutils' INFO ("Possible incomplete
    // section title"), which stays before a transition under it when readme_renderer makes the section,
    // first in the document, the document's title: taken for an element then, so that such a transition is
    // not refused (if another section follows, docutils' warning is missed).
    // So does docutils' note of a target repeated before such a first title (set_duplicate_name_id).
    const shortText = reading.lines === 2 && ADORNMENT.test(line.text) && this.#before === 'nothing';
    const afterInfo = element === 'title' && this.#invisibleOnly && (shortText || this.#noted);
    if (renamed && this.#invisibleOnly) this.#noted = true;
    if (shown || reading.element || !(context !== 'nested' && (context === 'opaque' || INVISIBLE.test(line.text)))) this.#invisibleOnly = false;
    if (element) this.#before = afterInfo ? 'other' : element;
    else if (
      shown ||
      renamed ||
      reading.element ||
      !(this.#before === 'nothing' && context !== 'nested' && (context === 'opaque' || INVISIBLE.test(line.text)))
    )
      this.#before = 'other';
  }

  /** The problem of a transition at `i`, given what came before it and whether anything follows. */
  problem(lines: RstLine[], i: number): string | undefined {
    if (this.#before === 'nothing') return `line ${i + 1}: Transition at the start of the document.`;
    if (this.#before === 'title') return `line ${i + 1}: Transition at the start of the section.`;
    if (this.#before === 'transition') return `line ${i + 1}: At least one body element should separate transitions.`;
    if (lines.slice(i + 1).every((l) => l.blank) && !this.#notedAfterSection) return `line ${i + 1}: Transition at the end of the document.`;
    return undefined;
  }
}

/**
 * Marks the line right under each top-level section title docutils reads without a problem (not an
 * underline it takes for text): Body.new_subsection parses the section from there, so explicit markup
 * or a paragraph there starts an element, as after a blank line.
 */
function markTitleEnds(lines: RstLine[], places: Place[]): void {
  for (let i = 0; i < lines.length; i++) {
    if ((places[i] as Place).context !== 'top' || !startsBlock(lines, i)) continue;
    const reading = topTitle(lines, i);
    const next = places[i + reading.lines];
    // topTitle gives no title for an underline docutils takes for text.
    if (reading.element === 'title' && !reading.problem && next) next.afterTitle = true;
    i += reading.lines - 1;
  }
}

/** A block that ended at line `i`, back at its parent's margin with no blank line between: docutils' warning, unless `i` goes on with it. */
function endedBlock(lines: RstLine[], places: Place[], i: number, block: Block): string | undefined {
  if (block.unread) {
    // Explicit markup, a field or an option reads its lines at their least indentation: a less indented
    // line is still theirs, and what ends them is what ends that item. A bullet's or a number's lines stand
    // at its text's column, which a less indented line may fall short of: nothing is claimed then.
    const item = block.unread.continues && listItem(block.unread.continues.introducer);
    const leastIndent = item?.kind === 'Explicit markup' || item?.kind === 'Field list' || item?.kind === 'Option list';
    return leastIndent ? endedBlock(lines, places, i, block.unread.continues as Block) : undefined;
  }
  const line = lines[i] as RstLine;
  const item = listItem(line.text.replace(LEADING_SPACES, ''));
  // A line that goes on a paragraph is its text (Text.text reads the block to a blank line), whatever it looks like.
  const introducerAt = block.start === undefined ? -1 : lastText(lines, block.start);
  const introduced = introducerAt >= 0 && continuesText(lines, introducerAt) ? undefined : listItem(block.introducer);
  // A numbered line docutils takes for no item (is_enumerated_list_item) is a paragraph's first.
  const ownLine = introducerAt >= 0 && (lines[introducerAt] as RstLine).text.replace(LEADING_SPACES, '') === block.introducer;
  const opened = introduced?.kind === 'Enumerated list' && ownLine && !numberedItem(lines, introducerAt) ? undefined : introduced;
  let what: string;
  if (opened) {
    // A numbered line after a numbered item's lines goes on its list only as its next item.
    const numberedAt = opened.kind === 'Enumerated list' && block.start !== undefined ? lastText(lines, block.start) : -1;
    // An option marker with no description is text, which ends the list (option_list_item).
    const next = opened.kind === 'Option list' ? optionItem(lines, i) : sameList(opened, item);
    if (next && (numberedAt < 0 || !inNumberedList(lines, places, numberedAt) || nextNumberedItem(lines, numberedAt, i))) return undefined;
    what = opened.kind;
  } else if (opaqueStart(block.introducer)) {
    return undefined; // a line block or a table: not followed here
  } else if (block.afterBlank || block.introducer === '') {
    what = block.introducer.endsWith('::') ? 'Literal block' : 'Block quote';
  } else {
    // A definition list: the next term may follow its last definition directly.
    const next = lines[i + 1];
    if (!item && next && !next.blank && next.indent > line.indent) return undefined;
    what = 'Definition list';
  }
  return `line ${i + 1}: ${what} ends without a blank line; unexpected unindent.`;
}

/** A bullet or a number with no text: list_item reads the lines under it as a body of their own (get_first_known_indented). */
function emptyItem(lines: RstLine[], j: number): boolean {
  const item = listItemMarker(lines, j);
  if (item !== undefined) return item.column === undefined;
  // A field, footnote, citation or directive whose content is body, with nothing after its marker: its body starts under it.
  const text = (lines[j] as RstLine).text.replace(LEADING_SPACES, '');
  return [FIELD_MARKER, LABEL_MARKER, ADMONITION_MARKER, CONTENT_ONLY_MARKER].some((marker) => marker.exec(text)?.[0].length === text.length);
}

/** startsList's answers per text: every item of a run has its first item's answer, found once. */
const listStarts = new WeakMap<RstLine[], Map<number, boolean>>();

/** Whether the list item at `i` belongs to a list that started a block (not to a paragraph's text). */
function startsList(lines: RstLine[], i: number): boolean {
  const known = listStarts.get(lines) ?? new Map<number, boolean>();
  listStarts.set(lines, known);
  const { indent } = lines[i] as RstLine;
  const item = listItem((lines[i] as RstLine).text.replace(LEADING_SPACES, ''));
  const run = [i];
  let answer: boolean | undefined = known.get(i);
  let blankSince = false;
  for (let j = i - 1; j >= 0 && answer === undefined; j--) {
    const line = lines[j] as RstLine;
    // Right under a less indented line, a "list" goes on its paragraph (a list item's first one).
    if (line.blank) blankSince = true;
    else if (line.indent > indent) continue;
    // Right under a section title's underline, an element starts as after a blank line.
    else if (line.indent < indent || !sameList(item, listItem(line.text.replace(LEADING_SPACES, ''))))
      answer =
        blankSince ||
        (indent === 0 && endsTitle(lines, j)) ||
        (j === i - 1 && line.indent < indent && (definitionTerm(lines, j) || emptyItem(lines, j) || itemTerm(lines, j, indent)));
    // After a blank line an element starts: a new list, or the next item of the list above.
    else if (blankSince) answer = true;
    // A numbered line that is no item (is_enumerated_list_item) is text: the lines right under it go on its paragraph.
    else if (numbered(lines, j) && !numberedItem(lines, j)) answer = false;
    else {
      // An earlier item of the same run: it has the same answer.
      answer = known.get(j);
      run.push(j);
      blankSince = false;
    }
  }
  for (const k of run) known.set(k, answer ?? true);
  return answer ?? true;
}

/**
 * A line docutils reads as a definition list's term when a more indented line follows it: one line
 * of plain text at a block's start. Its definition is parsed as a body of its own, where a list starts.
 */
function definitionTerm(lines: RstLine[], j: number): boolean {
  const text = (lines[j] as RstLine).text.replace(LEADING_SPACES, '');
  return (j === 0 || (lines[j - 1] as RstLine).blank) && plainText(text);
}

/**
 * A bullet's or a number's text that the line right under it, past that text's column, makes a
 * definition list's term inside the item (Text.indent, see bulletDefinitionEnd): the definition
 * (at `indent`) is a body of its own, where a list starts.
 */
function itemTerm(lines: RstLine[], j: number, indent: number): boolean {
  const item = listItemMarker(lines, j);
  return item?.column !== undefined && indent > item.column && termText((lines[j] as RstLine).text.replace(LEADING_SPACES, '').slice(item.marker.length));
}

/**
 * Whether docutils reads an option list item at `i` (option_list_item): an option marker with its
 * description on its line, or indented lines after it; else the line is text.
 */
function optionItem(lines: RstLine[], i: number): boolean {
  const line = lines[i] as RstLine;
  const text = line.text.slice(line.indent);
  const marker = OPTION_MARKER.exec(text)?.[0];
  if (marker === undefined) return false;
  if (marker.length < text.length) return true;
  let j = i + 1;
  while (j < lines.length && (lines[j] as RstLine).blank) j++;
  return j < lines.length && (lines[j] as RstLine).indent > line.indent;
}

/** Whether the lines right above `j` at its indentation, and `j`, are option list items: a marker line that is none starts a paragraph. */
function optionRun(lines: RstLine[], j: number): boolean {
  const { indent } = lines[j] as RstLine;
  for (let k = j; k >= 0 && !(lines[k] as RstLine).blank && (lines[k] as RstLine).indent === indent; k--) if (!optionItem(lines, k)) return false;
  return true;
}

/** A bullet list, field list, option list or explicit markup that other text at its margin follows directly: docutils' warning. */
function endedList(lines: RstLine[], i: number): string | undefined {
  const line = lines[i] as RstLine;
  const before = lines[i - 1];
  if (!before || before.blank || before.indent !== line.indent) return undefined;
  const list = listItem(before.text.replace(LEADING_SPACES, ''));
  if (list?.kind === 'Enumerated list') return endedNumberedList(lines, i);
  if (list?.kind === 'Option list')
    return optionRun(lines, i - 1) && !optionItem(lines, i) && startsList(lines, i - 1)
      ? `line ${i + 1}: Option list ends without a blank line; unexpected unindent.`
      : undefined;
  if (!list) return undefined;
  if (sameList(list, listItem(line.text.replace(LEADING_SPACES, ''))) || !startsList(lines, i - 1)) return undefined;
  return `line ${i + 1}: ${list.kind} ends without a blank line; unexpected unindent.`;
}

/** What docutils reads a numbered line as, and the list it goes on. */
interface Numbered {
  e: Enumerator;
  /** The list's sequence (enumtype): its first item's, "#" being arabic. */
  list: Sequence;
  /** The line of the item before it in its list, when it goes on one; else -1. */
  after: number;
  /** It goes on a paragraph: text, from which no list goes on. */
  text: boolean;
}

/** numbered's answers per text, for every numbered line of a run read once. */
const numberedLines = new WeakMap<RstLine[], Map<number, Numbered>>();

/** The numbered line at `j`'s indentation above it, with only blank or deeper lines between; -1 if there is none. */
function numberedAbove(lines: RstLine[], j: number): number {
  const { indent } = lines[j] as RstLine;
  let p = j - 1;
  while (p >= 0 && ((lines[p] as RstLine).blank || (lines[p] as RstLine).indent > indent)) p--;
  const above = lines[p];
  return above && above.indent === indent && ENUMERATOR.test(above.text.slice(indent)) ? p : -1;
}

/**
 * The enumerator the line at `j` starts with, as docutils reads it there: in the sequence of the list
 * it goes on when it is that list's next item (EnumeratedList.enumerator: the same format, the next
 * ordinal or "#", never a number after "#", and an item by the line after it), else as a list's first
 * (Body.enumerator, parse_enumerator without an expected sequence).
 */
function numberedAt(lines: RstLine[], j: number): Numbered | undefined {
  const line = lines[j];
  if (!line || line.blank || !ENUMERATOR.test(line.text.slice(line.indent))) return undefined;
  const known = numberedLines.get(lines) ?? new Map<number, Numbered>();
  numberedLines.set(lines, known);
  // Each line of the run with the numbered line above it, walked up to one already read.
  const run: Array<[number, number]> = [];
  for (let k = j; k >= 0 && !known.has(k); ) {
    const p = numberedAbove(lines, k);
    run.push([k, p]);
    k = p;
  }
  for (const [k, p] of run.reverse()) known.set(k, readNumbered(lines, k, p, known));
  return known.get(j);
}

/** The numbered line at `k`, `p` the numbered line above it at its indentation (-1 for none), read as `known` holds it. */
function readNumbered(lines: RstLine[], k: number, p: number, known: Map<number, Numbered>): Numbered {
  const text = (lines[k] as RstLine).text.slice((lines[k] as RstLine).indent);
  const above = p < 0 ? undefined : (known.get(p) as Numbered);
  const onMarker = p < 0 ? markerLineNumbered(lines, k) : undefined;
  // Right under a numbered line that is text or no item, a line goes on that paragraph.
  const isText = above
    ? p === k - 1 && (above.text || !enumeratedItem(lines, p, above.e))
    : onMarker
      ? !onMarker.item
      : textRunStart(lines, k) < k && continuesText(lines, k);
  const before = above && !above.text ? above : onMarker?.item ? onMarker : undefined;
  const next = before && readEnumerator(text, before.list);
  if (!isText && before && next && goesOn(lines, before, next, k)) return { e: next, list: before.list, after: p < 0 ? k - 1 : p, text: false };
  const e = readEnumerator(text) as Enumerator;
  return { e, list: listSequence(e), after: -1, text: isText };
}

/**
 * The enumerator on the marker line right above `k` (a field's, a bullet's …) at `k`'s column: the
 * first line of the block `k` is in, read as a list's first, and whether it is an item there (the
 * line at `k` starts with the next enumerator).
 */
function markerLineNumbered(lines: RstLine[], k: number): (Numbered & { item: boolean }) | undefined {
  const line = lines[k] as RstLine;
  const above = lines[k - 1];
  if (!above || above.blank || above.indent >= line.indent || !listItem(above.text.slice(above.indent))) return undefined;
  if (!above.text.slice(0, line.indent).endsWith(' ')) return undefined;
  const e = readEnumerator(above.text.slice(line.indent));
  if (!e) return undefined;
  return { e, list: listSequence(e), after: -1, text: false, item: enumeratedAt(line, line.indent, e) };
}

/** Whether `next`, read at `k`, is the next item of the list whose item `before` is (EnumeratedList.enumerator). */
function goesOn(lines: RstLine[], before: Numbered, next: Enumerator, k: number): boolean {
  const prev = before.e;
  if (prev.ordinal === null || next.prefix !== prev.prefix || next.suffix !== prev.suffix) return false;
  const inSequence = next.sequence === '#' || (next.sequence === before.list && prev.sequence !== '#' && next.ordinal === prev.ordinal + 1n);
  return inSequence && enumeratedItem(lines, k, next);
}

/** The enumerator of the numbered line at `j`, as docutils reads it there. */
const numbered = (lines: RstLine[], j: number): Enumerator | undefined => numberedAt(lines, j)?.e;

/** A first character Python's str.strip takes away: docutils takes the line for an indented one. */
const PY_SPACE_FIRST = new RegExp(`^[${PYTHON_SPACE}]`, 'u');

/**
 * states.Body.is_enumerated_list_item of the line at `j` read as `e`: a valid ordinal, and the next
 * line blank, indented or past the end of the item's block, or starting with the next enumerator in
 * the same format or "#", and a space (make_enumerator).
 */
function enumeratedItem(lines: RstLine[], j: number, e: Enumerator): boolean {
  return enumeratedAt(lines[j + 1], (lines[j] as RstLine).indent, e);
}

/** is_enumerated_list_item of `e` standing at `margin`, `next` the line after it. */
function enumeratedAt(next: RstLine | undefined, margin: number, e: Enumerator): boolean {
  if (e.ordinal === null) return false;
  // A line indented otherwise is no second line of the item's: indented, or outside the block the
  // item stands at the margin of, where docutils' nested parse has reached its end.
  if (!next || next.blank || next.indent !== margin) return true;
  const rest = next.text.slice(margin);
  if (PY_SPACE_FIRST.test(rest)) return true;
  const following = nextEnumerators(e);
  return following !== undefined && (rest.startsWith(following[0]) || rest.startsWith(following[1]));
}

/** Whether docutils takes the numbered line at `j` for a list item (states.Body.is_enumerated_list_item). */
function numberedItem(lines: RstLine[], j: number): boolean {
  const e = numbered(lines, j);
  return e !== undefined && enumeratedItem(lines, j, e);
}

/** Whether the numbered line at `i`, right after the lines of the numbered item at `k` at its indentation, is that list's next item. */
const nextNumberedItem = (lines: RstLine[], k: number, i: number): boolean => numberedAt(lines, i)?.after === k;

/** inNumberedList's answers per text, for every item of a run walked once. */
const numberedLists = new WeakMap<RstLine[], Map<number, boolean>>();

/**
 * Whether the numbered line at `k` is an item of an enumerated list docutils reads: the item its run
 * begins with starts an element in body (Body.enumerator), and each is an item by the line after it;
 * the items between follow the lines of the one before directly. One that does not go on its list
 * properly ends it with a warning, so the text is refused either way.
 */
function inNumberedList(lines: RstLine[], places: Place[], k: number): boolean {
  const known = numberedLists.get(lines) ?? new Map<number, boolean>();
  numberedLists.set(lines, known);
  const { indent } = lines[k] as RstLine;
  const run: number[] = [];
  let answer: boolean | undefined;
  for (let j = k; answer === undefined; ) {
    run.push(j);
    answer = known.get(j);
    if (answer !== undefined) break;
    const before = lines[j - 1];
    if (!numberedItem(lines, j) || (places[j] as Place).context === 'opaque') answer = false;
    else if (!before || before.blank || startsElement(lines, places, j)) answer = true;
    else if (before.indent < indent) answer = false;
    else {
      let p = j - 1;
      while (p >= 0 && ((lines[p] as RstLine).blank || (lines[p] as RstLine).indent > indent)) p--;
      if (p < 0 || (lines[p] as RstLine).indent !== indent) answer = false;
      else j = p;
    }
  }
  for (const j of run) known.set(j, answer);
  return answer;
}

/**
 * An enumerated list (arabic or auto-numbered only) whose next line, right under an item, is no item
 * of it: docutils' warning. The list must follow a blank line (a paragraph's line is no list item).
 */
function endedNumberedList(lines: RstLine[], i: number): string | undefined {
  if (!numberedItem(lines, i - 1) || numberedItem(lines, i)) return undefined;
  let first = i - 1;
  while (first > 0 && numbered(lines, first - 1) && (lines[first - 1] as RstLine).indent === (lines[i] as RstLine).indent) first--;
  // Right under a less indented line, numbered lines go on its paragraph (a list item's first one).
  if (first > 0 && !(lines[first - 1] as RstLine).blank) return undefined;
  // A numbered line that is no item starts a paragraph (or ends the list first): the lines after it
  // to the blank line are that paragraph's, numbered or not.
  for (let k = first; k < i - 1; k++) if (!numberedItem(lines, k)) return undefined;
  return `line ${i + 1}: Enumerated list ends without a blank line; unexpected unindent.`;
}

/** The problem of the directive a line of body text names, if it names one docutils cannot run. */
function directiveProblemAt(lines: RstLine[], places: Place[], i: number, lineCount: number): string | undefined {
  // Explicit markup starts an element, or follows other explicit markup directly; right under a list
  // item's or a field's first line it is more of that paragraph's text.
  const named = directiveAt(lines, places, i);
  return named && (directiveProblem(named, i + 1) ?? runProblem(lines, i, named, lineCount) ?? contextProblem(named, i + 1));
}

/** The roles docutils refuses in what the text blocks hold, by the line docutils names (their block's first). */
function roleProblemsByLine(found: readonly Found[], defined: DefinedRoles): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  for (const f of found) {
    const problem = f.kind === 'role' ? roleProblem(f.name, f.text, f.line, defined) : undefined;
    if (!problem) continue;
    const problems = byLine.get(f.line) ?? [];
    problems.push(problem);
    byLine.set(f.line, problems);
  }
  return byLine;
}

/** A footnote's or a citation's label (states.Body.explicit.constructs), with the spaces after it. */
const LABEL_MARKER = new RegExp(String.raw`^\.\. +\[(?:[0-9]+|#|#?${SIMPLE_NAME}|\*)\](?: +|$)`, 'u');

/**
 * A line docutils may begin a paragraph with: no markup, no adornment, nothing it might take for a
 * field or an option. Interpreted text with a role (`:role:`text``) is no field (field_marker wants
 * a space or the end after its colon) and begins a paragraph.
 */
const plainText = (text: string) => !startsMarkup(text) && !ADORNMENT.test(text) && !FIELD_MARKER.test(text) && !/^\+[a-zA-Z0-9]/.test(text);

/** Body.paragraph's text: its lines joined, a final `::` (a literal block's marker) made `:` or dropped. Undefined for `::` alone. */
function paragraphText(lines: readonly string[]): string | undefined {
  const data = lines.join('\n').trimEnd();
  if (!LITERAL_MARKER.test(data)) return data;
  if (data.length === 2) return undefined;
  return /[ \n]/.test(data[data.length - 3] as string) ? data.slice(0, -3).trimEnd() : data.slice(0, -1);
}

/** Lines from `i` at its indentation up to a blank line or another indentation, all of them plain body text, or undefined. */
function sameIndentRun(lines: RstLine[], places: Place[], i: number, firstMayAdorn = false): number | undefined {
  const { indent } = lines[i] as RstLine;
  let end = i;
  const text = (k: number) => (lines[k] as RstLine).text.replace(LEADING_SPACES, '');
  while (end < lines.length && !(lines[end] as RstLine).blank && (lines[end] as RstLine).indent === indent) {
    // docutils decides at a paragraph's first line and its second (an underline, unless too short to
    // be one); from the third on, a line that looks like an adornment is text (Text.text).
    const adornment = ADORNMENT.test(text(end)) && (end === i ? !firstMayAdorn : end === i + 1 && !underlineTakenForText(text(i), text(end)));
    if ((places[end] as Place).context === 'opaque' || adornment) return undefined;
    end++;
  }
  return end;
}

/** Directives whose lines right under their own, up to a blank line, are their arguments and options (a title, an image's URI, class names), not body. */
const ARGUMENTS_MARKER = directiveMarker(`${TITLED}|${ELEMENT_CONTENT}|container`);

/** Whether the line at `i` stands right under a directive line whose arguments it starts. */
function underArguments(lines: RstLine[], i: number): boolean {
  const above = lines[i - 1];
  return !!above && !above.blank && above.indent < (lines[i] as RstLine).indent && ARGUMENTS_MARKER.test(above.text.replace(LEADING_SPACES, ''));
}

/** Whether `i` starts a body element: after a blank line, or right under a text line it indents (a definition, or a block quote after a paragraph). */
function startsElement(lines: RstLine[], places: Place[], i: number): boolean {
  const before = lines[i - 1];
  if (!before || before.blank || (places[i] as Place).afterTitle) return true;
  if (before.indent >= (lines[i] as RstLine).indent || (places[i - 1] as Place).context === 'opaque') return false;
  // Past the column of a bullet's or a number's text, a line makes that text a term (list_item reads the item at that column).
  const item = listItemMarker(lines, i - 1);
  const under =
    item?.column !== undefined && (lines[i] as RstLine).indent > item.column
      ? before.text.replace(LEADING_SPACES, '').slice(item.marker.length)
      : before.text.replace(LEADING_SPACES, '');
  return plainText(under) && !under.endsWith('::');
}

/**
 * The paragraph (or term) that starts at `i`, if docutils certainly reads one there: a block's first line of plain
 * text in body (after a paragraph's `::`, docutils warns that no literal block follows and reads it as body), or a definition
 * list's term (one line that an indented one follows), not a title; right under a less indented line,
 * that line must be text too (a definition's term, or a paragraph the block quote interrupts).
 */
function paragraphBlock(lines: RstLine[], i: number, span: ParagraphSpan): InlineBlock | undefined {
  if (span.term) return { text: (lines[i] as RstLine).text.replace(LEADING_SPACES, ''), line: i + 1 };
  const text = paragraphText(lines.slice(i, span.end).map((l) => l.text.replace(LEADING_SPACES, '')));
  return text === undefined ? undefined : { text, line: i + 1 };
}

/** The lines of a paragraph (up to `end`), and whether they are a definition list's term instead. */
interface ParagraphSpan {
  end: number;
  term: boolean;
}

/** The lines of the paragraph docutils certainly reads at `i` (see paragraphBlock). */
function paragraphSpan(lines: RstLine[], places: Place[], i: number): ParagraphSpan | undefined {
  const line = lines[i] as RstLine;
  const text = line.text.replace(LEADING_SPACES, '');
  const shortAdornment = !startsMarkup(text) && shortAdornmentText(lines, i);
  // A numbered line the next line does not let be an item is a paragraph's first (is_enumerated_list_item).
  const notItem = numbered(lines, i) !== undefined && !numberedItem(lines, i);
  if (line.blank || (places[i] as Place).context === 'opaque' || !(plainText(text) || shortAdornment || notItem) || !startsElement(lines, places, i))
    return undefined;
  const end = sameIndentRun(lines, places, i, shortAdornment);
  if (end === undefined) return undefined;
  const after = lines[end];
  // One line that an indented one follows is a definition list's term, read whole (Body.term).
  return { end, term: !!after && !after.blank && after.indent > line.indent && end - i === 1 };
}

/**
 * A section title at the top level that starts at `i`, if docutils certainly reads one there: plain text
 * underlined (and overlined) at least as long as itself (Body.new_subsection parses its text).
 */
function titleAt(lines: RstLine[], places: Place[], i: number): InlineBlock | undefined {
  const line = lines[i] as RstLine;
  if (line.blank || line.indent > 0 || (places[i] as Place).context !== 'top' || !startsBlock(lines, i)) return undefined;
  if ((lines[lastText(lines, i)]?.text ?? '').endsWith('::')) return undefined;
  const overlined = ADORNMENT.test(line.text) && line.text.length >= 4;
  const title = overlined ? lines[i + 1] : line;
  const under = lines[overlined ? i + 2 : i + 1];
  if (!title || title.blank || !under || under.indent > 0 || !ADORNMENT.test(under.text) || (overlined && under.text !== line.text)) return undefined;
  const text = pyStrip(title.text);
  // An adornment shorter than 4 with another under it is read again as text that one underlines
  // (states.Line.underline, short_overline, then Text.underline): its characters are the title's.
  const shortTitle = title === line && ADORNMENT.test(text) && !startsMarkup(text);
  if (!(plainText(text) || shortTitle || underlinedEnumerator(lines, overlined ? i + 1 : i)) || columnWidth(text) > under.text.length) return undefined;
  return { text, line: overlined ? i + 2 : i + 1 };
}

/**
 * Directives whose text after `::` and the lines right under it are content, read as body, up to an
 * option line (admonitions and compound take no arguments, but options).
 */
const ADMONITION_MARKER = directiveMarker(`${ADMONITIONS}|compound`);
/**
 * Directives that take neither arguments nor options: their text after `::` and all the lines under it
 * are content (parse_directive_block), read as a footnote's text is (get_first_known_indented).
 */
const CONTENT_ONLY_MARKER = directiveMarker(`${QUOTES}|${DECORATIONS}`);
/**
 * Directives whose text after `::` and the lines right under it are a title, read as inline text
 * whatever it looks like: a table's or a list table's too (Table.make_title), which docutils reads
 * once it has content (without, it refuses the table).
 */
const TITLED_MARKER = directiveMarker(`${TITLED}|table|list-table`);

/**
 * How docutils reads what follows an item's marker: as body (a list item, field, footnote or citation),
 * as a directive's content or title, both of which end at the first option line (a field marker).
 */
type ItemText = 'body' | 'content' | 'title';

/** An item's marker, with the spaces after it, and how docutils reads the text after it. */
interface Item {
  marker: string;
  reads: ItemText;
  /**
   * a bullet's or a number's with text after it: the lines that go on its paragraph stand at the
   * column of that text (list_item reads them with get_known_indented); any other item's lines go on
   * at their own least indentation (get_first_known_indented)
   */
  column?: number;
}

/**
 * Whether explicit markup at `i` starts an element: after a blank line, following other explicit markup,
 * or right under a text line it indents (a definition). Right under a list item's first line, it is
 * that paragraph's text.
 */
const explicitStart = (lines: RstLine[], places: Place[], i: number) => startsElement(lines, places, i) || startsList(lines, i);

/** The directive, footnote or citation marker at `i`, if docutils certainly reads its text as an item's. */
function explicitItem(lines: RstLine[], places: Place[], i: number): Item | undefined {
  const text = (lines[i] as RstLine).text.replace(LEADING_SPACES, '');
  const label = LABEL_MARKER.exec(text)?.[0] ?? CONTENT_ONLY_MARKER.exec(text)?.[0];
  if (label) return explicitStart(lines, places, i) ? { marker: label, reads: 'body' } : undefined;
  const admonition = ADMONITION_MARKER.exec(text)?.[0];
  if (admonition) return explicitStart(lines, places, i) ? { marker: admonition, reads: 'content' } : undefined;
  const titled = TITLED_MARKER.exec(text)?.[0];
  return titled && explicitStart(lines, places, i) ? { marker: titled, reads: 'title' } : undefined;
}

/** The bullet or the arabic or auto number at `i` of an item of a list that started a block, if it is one. */
function listItemMarker(lines: RstLine[], i: number): Item | undefined {
  const line = lines[i] as RstLine;
  const text = line.text.replace(LEADING_SPACES, '');
  const bullet = BULLET_MARKER.exec(text)?.[0];
  const number = bullet ? undefined : numbered(lines, i);
  const marker = bullet ?? (number && numberedItem(lines, i) ? number.marker : undefined);
  if (marker === undefined || !startsList(lines, i)) return undefined;
  return text.length > marker.length ? { marker, reads: 'body', column: line.indent + marker.length } : { marker, reads: 'body' };
}

/**
 * The marker at `i` of an item whose first paragraph (or title) starts on its line or right under
 * it, if docutils certainly reads one there: a bullet or an arabic or auto number starting a list or
 * going on one, a field of a field list, a footnote or citation, an admonition, topic or sidebar.
 */
function itemMarker(lines: RstLine[], places: Place[], i: number): Item | undefined {
  const line = lines[i] as RstLine;
  const text = line.text.replace(LEADING_SPACES, '');
  if (BULLET_MARKER.test(text) || ENUMERATOR.test(text)) return listItemMarker(lines, i);
  // Fields as the narrower list pattern here reads them, so that a run of them is known to start a block.
  const field = FIELD_MARKER.exec(text)?.[0];
  if (field) return listItem(text)?.kind === 'Field list' && startsList(lines, i) ? { marker: field, reads: 'body' } : undefined;
  // An option's description: with nothing after the marker and nothing indented under it, the line is text (option_list_item).
  const option = OPTION_MARKER.exec(text)?.[0];
  if (option) return startsElement(lines, places, i) || startsList(lines, i) ? { marker: option, reads: 'body' } : undefined;
  return explicitItem(lines, places, i);
}

/**
 * The lines that go on the item at `i` at one indentation (get_first_known_indented), from `i + 1` to
 * the returned end; a directive's arguments end at its first option line (parse_directive_options).
 */
function itemRun(lines: RstLine[], places: Place[], i: number, { reads, column }: Item): number | undefined {
  const line = lines[i] as RstLine;
  if (reads === 'title') return argumentsEnd(lines, i);
  const next = lines[i + 1];
  const goesOn = next && !next.blank && (column === undefined ? next.indent > line.indent : next.indent === column);
  const end = goesOn ? sameIndentRun(lines, places, i + 1) : i + 1;
  if (end === undefined) return undefined;
  // A line less indented than the first that goes on the item changes what docutils strips from them all.
  for (let j = end; j < lines.length && !(lines[j] as RstLine).blank && (lines[j] as RstLine).indent > line.indent; j++) {
    if ((lines[j] as RstLine).indent < (lines[i + 1] as RstLine).indent) return undefined;
  }
  if (reads === 'body') return end;
  const options = lines.slice(i + 1, end).findIndex((l) => FIELD_MARKER.test(l.text.replace(LEADING_SPACES, '')));
  return options < 0 ? end : i + 1 + options;
}

/**
 * Where a directive's arguments at `i` end (parse_directive_block): at the first blank line, option
 * line or line back at the directive's margin; their indentation is only whitespace in the title.
 */
function argumentsEnd(lines: RstLine[], i: number): number {
  const { indent } = lines[i] as RstLine;
  let end = i + 1;
  while (
    end < lines.length &&
    !(lines[end] as RstLine).blank &&
    (lines[end] as RstLine).indent > indent &&
    !FIELD_MARKER.test((lines[end] as RstLine).text.replace(LEADING_SPACES, ''))
  )
    end++;
  return end;
}

/** A bullet list that starts a bullet's or a number's text (`- - item`): its item, whose lines go on at its own text's column. */
function nestedBullets(line: RstLine, item: Item | undefined): Item | undefined {
  if (item?.column === undefined) return item;
  let nested = item;
  for (let m = BULLET_MARKER.exec(line.text.replace(LEADING_SPACES, '').slice(nested.marker.length)); m; ) {
    const marker = nested.marker + m[0];
    if (line.text.replace(LEADING_SPACES, '').length <= marker.length) break;
    nested = { marker, reads: 'body', column: line.indent + marker.length };
    m = BULLET_MARKER.exec(line.text.replace(LEADING_SPACES, '').slice(marker.length));
  }
  return nested;
}

/**
 * The first paragraph of a list item, field, footnote, citation or admonition at `i`, or the title of a
 * topic, sidebar or generic admonition, if docutils certainly reads one: the text after its marker and
 * the lines that go on at one indentation after it. With nothing after the marker, the paragraph is the
 * lines right under it and starts there; a title is the directive's, on its line.
 */
function itemBlock(i: number, { item, texts, onMarkerLine }: ItemRead): InlineBlock | undefined {
  // A title is the arguments' text (parse_directive_arguments); a paragraph drops a final `::`.
  const text = item.reads === 'title' ? texts.join('\n') : paragraphText(texts);
  const at = !onMarkerLine && item.reads !== 'title' ? i + 2 : i + 1;
  return text === undefined ? undefined : { text, line: at };
}

/** An item's marker, its text's lines (up to `end`), and whether they start on the marker's line. */
interface ItemRead {
  item: Item;
  texts: string[];
  end: number;
  onMarkerLine: boolean;
}

/** The item at `i` whose text docutils certainly reads (see itemBlock). */
function itemText(lines: RstLine[], places: Place[], i: number): ItemRead | undefined {
  const line = lines[i] as RstLine;
  if (line.blank || (places[i] as Place).context === 'opaque') return undefined;
  const item = nestedBullets(line, itemMarker(lines, places, i));
  if (item === undefined) return undefined;
  const first = line.text.replace(LEADING_SPACES, '').slice(item.marker.length);
  const end = itemRun(lines, places, i, item);
  if (end === undefined) return undefined;
  const under = lines.slice(i + 1, end).map((l) => l.text.replace(LEADING_SPACES, ''));
  const texts = first === '' ? under : [first, ...under];
  if (texts.length === 0 || FIELD_MARKER.test(texts[0] as string) || (item.reads !== 'title' && !plainText(texts[0] as string))) return undefined;
  return { item, texts, end, onMarkerLine: first !== '' };
}

/** Explicit markup docutils certainly reads (in body, starting an element or following other explicit markup), with the lines that go on it up to a blank line. */
function explicitMarkup(lines: RstLine[], places: Place[]): ExplicitBlock[] {
  const out: ExplicitBlock[] = [];
  for (const [i, line] of lines.entries()) {
    const text = line.text.replace(LEADING_SPACES, '');
    if ((places[i] as Place).context === 'opaque' || !EXPLICIT.test(text) || !explicitStart(lines, places, i)) continue;
    const markup = { line: i + 1, lines: [text], indentedAfterBlank: false };
    let j = i + 1;
    for (; j < lines.length && !(lines[j] as RstLine).blank && (lines[j] as RstLine).indent > line.indent; j++) markup.lines.push((lines[j] as RstLine).text);
    while (lines[j]?.blank) j++;
    markup.indentedAfterBlank = j > i + markup.lines.length && j < lines.length && (lines[j] as RstLine).indent > line.indent;
    out.push(markup);
  }
  return out;
}

/** A target with nothing after its name (`.. _name:`, `.. __:`), when no indented line gives it a URI. */
const INTERNAL_TARGET = /^\.\. _.*:$/;

/**
 * How explicit markup docutils leaves out of the body takes the indented lines below it (states.py):
 * a hyperlink target to the first blank line (until_blank), a comment or a substitution definition
 * across blank lines, an empty comment (`..` with a blank line next) none at all, so an indented
 * block after it is a block quote.
 */
function indentedTaken(lines: RstLine[], i: number): 'to blank' | 'across blanks' | 'none' {
  const text = (lines[i] as RstLine).text;
  if (text === '..') return (lines[i + 1]?.blank ?? true) ? 'none' : 'across blanks';
  return TARGET.test(text) ? 'to blank' : 'across blanks';
}

/**
 * The text blocks docutils certainly parses for inline markup (paragraphs, list items' first
 * paragraphs, directives' titles, section titles), what it reports where the literal block of one
 * ending with `::` should be, by the index of its last line, and the lines that go on a paragraph an
 * item's marker line begins. Literal blocks are followed after
 * paragraphs that start a line and after a bullet's or a number's text, whose lines stand at its
 * column (get_known_indented); docutils strips other items' later lines by their own indentation.
 */
function readTextBlocks(
  lines: RstLine[],
  places: Place[],
  lineCount: number,
): { blocks: InlineBlock[]; literals: Map<number, string>; continued: Set<number> } {
  const blocks: InlineBlock[] = [];
  const literals = new Map<number, string>();
  const continued = new Set<number>();
  const literal = (end: number, indent: number) => {
    const problem = literalBlockProblem(lines, end - 1, indent, lineCount);
    if (problem) literals.set(end - 1, problem);
  };
  for (let i = 0; i < lines.length; i++) {
    const span = paragraphSpan(lines, places, i);
    const read = span ? undefined : itemText(lines, places, i);
    const block = (span && paragraphBlock(lines, i, span)) ?? (read && itemBlock(i, read)) ?? titleAt(lines, places, i) ?? parsedLiteralAt(lines, places, i);
    if (block) blocks.push(block);
    for (const text of lineBlockTexts(lines, places, i)) blocks.push(text);
    const { column, reads } = read?.item ?? {};
    if (span && !span.term) literal(span.end, (lines[i] as RstLine).indent);
    else if (read?.onMarkerLine && reads === 'body' && column !== undefined) literal(read.end, column);
    for (const j of markerTextGoesOn(lines, places, i)) continued.add(j);
  }
  return { blocks, literals, continued };
}

/** A parsed literal block's content, which docutils parses for inline markup as one text (ParsedLiteral.run). */
function parsedLiteralAt(lines: RstLine[], places: Place[], i: number): InlineBlock | undefined {
  const directive = directiveAt(lines, places, i);
  if (!directive || directive.substitution || canonicalDirective(directive.name) !== 'parsed-literal') return undefined;
  const content = directivePartsAt(lines, i, directive)?.content;
  return content && content.length > 0 ? { text: content.join('\n'), line: i + 1 } : undefined;
}

/** The directive that certainly starts at `i` in body: explicit markup that starts an element. */
function directiveAt(lines: RstLine[], places: Place[], i: number): Directive | undefined {
  const text = (lines[i] as RstLine).text.replace(LEADING_SPACES, '');
  if ((places[i] as Place).context === 'opaque' || !text.startsWith('..')) return undefined;
  return explicitStart(lines, places, i) ? directiveOf(text) : undefined;
}

/** The references images and figures make with their `:target:` option (Image.run notes the name it refers to), also in substitution definitions. */
function imageTargets(lines: RstLine[], places: Place[]): Found[] {
  const found: Found[] = [];
  for (let i = 0; i < lines.length; i++) {
    const directive = directiveAt(lines, places, i);
    if (!directive || !['image', 'figure'].includes(canonicalDirective(directive.name))) continue;
    const target = directivePartsAt(lines, i, directive)?.options.get('target');
    const name = target ? targetReference(target) : undefined;
    if (name !== undefined) found.push({ kind: 'reference', name, line: i + 1 });
  }
  return found;
}

/**
 * The lines that go on a paragraph begun on an item's marker line at `i`: that paragraph's, though
 * indented past the marker, so no title starts there. A second line that is an adornment makes a
 * title of the first instead. A field's, option's or explicit item's lines stand at their least
 * indentation: a less indented line further down would make these a block of their own.
 */
function markerTextGoesOn(lines: RstLine[], places: Place[], i: number): number[] {
  const line = lines[i] as RstLine;
  const next = lines[i + 1];
  if (line.blank || !next || next.blank || (places[i] as Place).context === 'opaque') return [];
  const item = nestedBullets(line, itemMarker(lines, places, i));
  const first = line.text.replace(LEADING_SPACES, '').slice(item?.marker.length ?? 0);
  const second = next.text.replace(LEADING_SPACES, '');
  if (!item || item.reads === 'title' || first === '' || !plainText(first) || (ADORNMENT.test(second) && !underlineTakenForText(first, second))) return [];
  if (item.column === undefined ? next.indent <= line.indent : next.indent !== item.column) return [];
  const goesOn: number[] = [];
  let j = i + 1;
  for (; j < lines.length && !(lines[j] as RstLine).blank && (lines[j] as RstLine).indent === next.indent; j++) goesOn.push(j);
  if (item.column !== undefined) return goesOn;
  for (; j < lines.length && ((lines[j] as RstLine).blank || (lines[j] as RstLine).indent > line.indent); j++) {
    if (!(lines[j] as RstLine).blank && (lines[j] as RstLine).indent < next.indent) return [];
  }
  return goesOn;
}

/**
 * Directives that put nothing in the rendered fragment of a text without section titles: `meta` (the
 * page's head), `header` and `footer` (its decoration), `title`, `role` and `default-role`, `sectnum`,
 * and `contents` (a table of no sections is dropped).
 */
const SHOWS_NOTHING = directiveMarker('meta|header|footer|title|role|default-role|sectnum|section-numbering|contents');
/** Of those, the ones whose nodes are PreBibliographic when DocInfo runs: not `contents`, a topic until its transform drops it. */
const PRE_BIBLIOGRAPHIC = directiveMarker('meta|header|footer|title|role|default-role|sectnum|section-numbering');

/**
 * Whether docutils renders nothing of the text, as readme_renderer 45.0 (warehouse's pin) renders it:
 * with docutils' doctitle_xform, a title that is the document's only section, with only invisible
 * markup before it, is the document's title and not part of the rendered fragment, and so is a
 * subtitle (a lone section of the next level right under it, invisible markup between them). What is
 * left must be blank, or hold only comments, targets, substitution definitions and directives that
 * show nothing (SHOWS_NOTHING) at the top level (with the indented lines they take). readme_renderer
 * fails such a text ("No content rendered from RST source."). A target with nothing after its name
 * shows (an empty <span>) unless an element follows to take its name: the text is then not judged.
 */
function rendersNothing(lines: RstLine[], titles: readonly ReadTitle[]): boolean {
  if (firstShown(lines, 0, SHOWS_NOTHING) === lines.length) return true;
  const { title, subtitle } = leadingTitles(lines, titles);
  const end = subtitle ?? title;
  return end !== undefined && firstShown(lines, end.at + end.lines, SHOWS_NOTHING) === lines.length;
}

/**
 * The title that stands first in the text, with only invisible markup before it (nodes.Invisible is
 * PreBibliographic; `hidden`: directives taken for such markup), and the title of another style
 * first after it: what DocTitle makes the document's title and subtitle when each is its level's
 * only one.
 */
function leadingTitles(lines: RstLine[], titles: readonly ReadTitle[], hidden?: RegExp): { title?: ReadTitle; subtitle?: ReadTitle } {
  // A title with inline markup in backquotes may name a target (an embedded URI, an inline target):
  // one of a name already taken adds a message after the section, which then is no document title.
  const plain = (t: ReadTitle) => !lines.slice(t.at, t.at + t.lines).some((l) => /\x60/.test(l.text) && !ADORNMENT.test(l.text));
  const titleAt = (i: number, style?: string) => titles.find((t) => t.at === i && t.style !== style && !t.faulty && plain(t));
  const title = titleAt(firstShown(lines, 0, hidden));
  const subtitle = title && titleAt(firstShown(lines, title.at + title.lines, hidden), title.style);
  return { ...(title ? { title } : {}), ...(subtitle ? { subtitle } : {}) };
}

/**
 * Where docutils looks for the document's bibliographic fields (DocInfo): its first element but
 * invisible markup, once DocTitle made the only top-level section's title the document's (and its
 * only subsection's the subtitle). The line, when a field list stands there; undefined otherwise, or
 * when not every title is known.
 */
function docinfoStart(lines: RstLine[], sections: SectionTitles): number | undefined {
  if (!sections.allKnown(lines)) return undefined;
  const { title, subtitle } = leadingTitles(lines, sections.titles, PRE_BIBLIOGRAPHIC);
  const alone = (t: ReadTitle) => sections.titles.filter((u) => u.style === t.style).length === 1;
  if (title && !alone(title)) return undefined;
  const after = title && (subtitle && alone(subtitle) ? subtitle : title);
  const first = firstShown(lines, after ? after.at + after.lines : 0, PRE_BIBLIOGRAPHIC);
  const line = lines[first];
  return line && line.indent === 0 && FIELD_MARKER.test(line.text) ? first : undefined;
}

/** The first line from `start` on that shows something (see rendersNothing), or the number of lines; `hidden`: directives that show nothing there either. */
function firstShown(lines: RstLine[], start: number, hidden?: RegExp): number {
  let taken: 'to blank' | 'across blanks' | 'none' = 'none';
  let blankSince = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] as RstLine;
    if (line.blank) {
      blankSince = true;
      continue;
    }
    if (line.indent > 0) {
      if (taken === 'across blanks' || (taken === 'to blank' && !blankSince)) continue;
      return i;
    }
    blankSince = false;
    const invisible = INVISIBLE.test(line.text) || bracketComment(line.text) || SUBSTITUTION_DEFINITION.test(line.text);
    if (!invisible && !hidden?.test(line.text)) return i;
    const next = lines[i + 1];
    if (INTERNAL_TARGET.test(line.text) && !(next && !next.blank && next.indent > 0)) return i;
    taken = indentedTaken(lines, i);
  }
  return lines.length;
}

/**
 * Whether the line at `i` stands right under an item's marker line, past it, whose text there is
 * markup other than a paragraph (a doctest or a line block, which take it, a list …): docutils reads
 * it as more of that element or inside it, not as a block's start where a title could stand.
 */
function continuesMarkerMarkup(lines: RstLine[], places: Place[], i: number): boolean {
  const above = lines[i - 1];
  if (!above || above.blank || above.indent >= (lines[i] as RstLine).indent) return false;
  const item = itemMarker(lines, places, i - 1);
  const text = above.text.replace(LEADING_SPACES, '').slice(item?.marker.length ?? 0);
  return item !== undefined && item.reads !== 'title' && text !== '' && !plainText(text);
}

/**
 * What docutils makes of the line at `i` when it may start an element (after a blank line, at a
 * block's start, right under a section title): a title or a transition, or one line of something else.
 */
function readingAt(lines: RstLine[], places: Place[], i: number, continued: ReadonlySet<number>): Reading {
  const place = places[i] as Place;
  if (place.context === 'opaque' || continued.has(i) || !(startsBlock(lines, i) || place.afterTitle) || continuesMarkerMarkup(lines, places, i))
    return { lines: 1 };
  return place.context === 'top' ? topTitle(lines, i) : nestedTitle(lines, i);
}

/**
 * docutils' problems with the explicit markup it reads: constructs it cannot make, what `replace`
 * definitions' texts hold (`replacedFound`, by their lines), substitution names defined twice.
 */
function explicitProblems(explicit: ExplicitBlock[], replaced: InlineBlock[], replacedFound: Found[], source: string[]): string[] {
  const out = explicit.flatMap((markup) => explicitConstructProblem(markup) ?? []);
  for (const block of replaced) {
    const problem = replacedTextProblem(
      block,
      replacedFound.filter((f) => f.line === block.line),
    );
    if (problem) out.push(problem);
  }
  for (const problem of duplicateSubstitutionProblems(explicit, source)) out.push(problem);
  return out;
}

/**
 * docutils' messages for the problems of a reStructuredText text this check knows: titles and
 * transitions, blocks and lists that end without a blank line, unknown directives and roles, inline
 * markup, references, targets and substitutions. Empty when it finds none.
 */
export function rstProblems(description: string): string[] {
  return readRst(description).problems;
}

/** rstProblems' reading of a text: the problems, and what the document-wide checks took from it (a table cell's, for the document around the table). */
function readRst(description: string): TableRead {
  const lines = rstLines(description);
  const places = readBlocks(lines);
  markMarkerDoctests(lines, places);
  markLetteredMarkup(lines, places);
  markTitleEnds(lines, places);
  // docutils' lines: a final line break starts none (str.splitlines).
  const lineCount = lines.length - (LINE_BREAK_AT_END.test(description) ? 1 : 0);
  const { blocks, literals, continued } = readTextBlocks(lines, places, lineCount);
  const explicit = explicitMarkup(lines, places);
  // The text of each `replace` definition is parsed as a paragraph's: what it holds counts as the document's.
  const replaced = explicit.flatMap((markup) => replacedText(markup, plainText) ?? []);
  const replacedFound = parseBlocks(replaced);
  const found = [...parseBlocks(blocks), ...imageTargets(lines, places), ...replacedFound].sort((a, b) => a.line - b.line);
  const roles = roleProblemsByLine(found, definedRoles(lines));
  const cellFound: Found[] = [];
  const transitions = new TransitionPlaces();
  const sections = new SectionTitles();
  const itemEnds = itemTextEnds(lines, places);
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const { context, ended, indentsParagraph, quoteEnded } = places[i] as Place;
    const reading = readingAt(lines, places, i, continued);
    const unindent = quoteEnded
      ? `line ${i + 1}: ${quoteEnded} ends without a blank line; unexpected unindent.`
      : ended && !(lines[i - 1] as RstLine).blank
        ? endedBlock(lines, places, i, ended)
        : context === 'opaque'
          ? undefined
          : endedList(lines, i);
    const title = reading.element === 'transition' ? transitions.problem(lines, i) : reading.problem;
    const indented = indentsParagraph ? `line ${i + 1}: Unexpected indentation.` : undefined;
    const table = (places[i] as Place).malformedTable ? `line ${i + 1}: Malformed table.` : undefined;
    const itemEnd = itemEnds.get(i);
    const itemEnded = itemEnd && `line ${i + 1}: ${itemEnd} ends without a blank line; unexpected unindent.`;
    const tables = [gridTableRead(lines, places, i), simpleTableRead(lines, places, i)].filter((t) => t !== undefined);
    for (const f of tables.flatMap((t) => t.found)) cellFound.push(f);
    const cellRoles = tables.flatMap((t) => [...roleProblemsByLine(t.found, definedRoles(lines)).values()].flat());
    for (const problem of [itemEnded, unindent, indented, title, table, ...tables.flatMap((t) => t.problems), ...cellRoles, lineBlockEnd(lines, places, i)])
      if (problem) out.push(problem);
    for (let j = i; j < Math.min(i + reading.lines, lines.length); j++) {
      const directive = context === 'opaque' ? undefined : directiveProblemAt(lines, places, j, lineCount);
      // Parse-time problems in document order, as docutils reports them: the directive, then the roles of the block starting here, then a literal block missing after it.
      for (const p of [directive, ...(roles.get(j + 1) ?? []), literals.get(j)]) if (p) out.push(p);
    }
    transitions.read(lines, i, context, reading, (places[i] as Place).verbatimBody);
    sections.read(lines, i, reading);
    i += reading.lines;
  }
  const levels = sections.problem(lines);
  if (levels) out.push(levels);
  const source = lines.map((l) => l.text);
  for (const problem of explicitProblems(explicit, replaced, replacedFound, source)) out.push(problem);
  // The cells' references in document order among the rest (sort is stable).
  const all = [...found, ...cellFound].sort((a, b) => a.line - b.line);
  const titles = sections.titles.map((t) => (lines[t.line] as RstLine).text.trim());
  for (const problem of referenceProblems(source, all, explicit, titles)) out.push(problem);
  const docinfo = docinfoStart(lines, sections);
  if (docinfo !== undefined) for (const problem of docinfoProblems(lines, docinfo)) out.push(problem);
  if (rendersNothing(lines, sections.titles)) out.push('No content rendered from RST source.');
  return { problems: out, found: all };
}
