// The reStructuredText check of a description. Warehouse renders it with readme_renderer, which runs
// docutils with halt_level 2: any docutils warning or error fails the upload. The pre-flight follows
// docutils' body parser (docutils/parsers/rst/states.py) for section titles and transitions only,
// and says nothing where it cannot be sure, so that it never refuses what PyPI renders:
// - at the top level: a title's underline shorter than its text; an overline with no matching
//   underline, a different one, or one shorter than the text;
// - in an indented body (a block quote, a definition, a list item): a title or a transition, which
//   docutils allows only at the top level or in a section. Descriptions that old setuptools put in a
//   PKG-INFO header come this way: their first line at the margin, the rest folded by 8 spaces, so
//   the README's title lands in a definition.
// Literal blocks (after `::`), explicit markup (directives, comments, targets), line blocks and
// tables are not looked into.

interface RstLine {
  /** the line as docutils reads it: tabs expanded to 8 columns, trailing whitespace dropped */
  text: string;
  indent: number;
  blank: boolean;
}

/** docutils' `line` pattern: one punctuation character repeated, alone on the line. */
const ADORNMENT = /^([!-/:-@[-`{-~])\1*$/;
/** What starts a body element other than a paragraph (states.Body.patterns), so not a title's text. */
const MARKUP_START = /^(?:[-+*\u2022\u2023\u2043](?: |$)|\(?(?:\d+|[a-zA-Z#]|[ivxlcdmIVXLCDM]+)[.)](?: |$)|:|>>>(?: |$)|\|(?: |$)|\+-|\.\.(?: |$)|__(?: |$))/;
/** Markup whose indented continuation is not parsed as body here: explicit markup, anonymous targets, line blocks, tables. */
const OPAQUE_START = /^(?:\.\.(?: |$)|__(?: |$)|\|(?: |$)|\+[-=]|=+(?: +=+)+$)/;
/** Explicit markup whose content docutils parses as body: admonitions, containers, footnotes, citations. */
const BODY_EXPLICIT =
  /^\.\. (?:(?:note|warning|tip|important|caution|danger|error|hint|attention|admonition|container|topic|sidebar)::(?: |$)|\[[^\]\s]+\](?: |$))/;
/** Explicit markup docutils leaves out of the document's visible body: comments and hyperlink targets. */
const INVISIBLE = /^\.\.(?: (?!\[|\||[^\s:`]+::(?: |$)).*)?$/;

/** Python's str.splitlines (what docutils splits on), each line as docutils' string2lines leaves it. */
function rstLines(text: string): RstLine[] {
  return text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/).map((raw) => {
    const text = expandTabs(raw).trimEnd();
    const indent = text.length - text.trimStart().length;
    return { text, indent, blank: text === '' };
  });
}

function expandTabs(s: string): string {
  if (!s.includes('\t')) return s;
  let out = '';
  for (const ch of s) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

/** docutils' column_width: East Asian wide and full-width characters count 2, combining marks 0. */
function columnWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    if (/\p{Mn}/u.test(ch)) continue;
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  }
  return width;
}

const isAdornment = (s: string, min: number) => s.length >= min && ADORNMENT.test(s);

/**
 * For each line, whether it sits in an indented block that docutils parses as body (not a literal
 * block, explicit markup, a line block or a table, nor inside one), or at the top level.
 */
function bodyContexts(lines: RstLine[]): Array<'top' | 'nested' | 'opaque'> {
  const stack: Array<{ indent: number; opaque: boolean }> = [{ indent: 0, opaque: false }];
  let previous: RstLine | undefined;
  return lines.map((line) => {
    if (line.blank) return 'opaque';
    while (stack.length > 1 && (stack.at(-1)?.indent ?? 0) > line.indent) stack.pop();
    const top = stack.at(-1) as { indent: number; opaque: boolean };
    if (line.indent > top.indent) {
      const introducer = previous?.text.trimStart() ?? '';
      const opaque =
        top.opaque ||
        (!BODY_EXPLICIT.test(introducer) && (introducer.endsWith('::') || OPAQUE_START.test(introducer))) ||
        (previous?.indent ?? 0) > line.indent;
      stack.push({ indent: line.indent, opaque });
    }
    previous = line;
    const current = stack.at(-1) as { indent: number; opaque: boolean };
    if (current.opaque) return 'opaque';
    return stack.length > 1 ? 'nested' : 'top';
  });
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

/** An underlined title at the top level (states.Text.underline): too short an underline is a warning. */
function underlinedTitle(lines: RstLine[], i: number): string | undefined {
  const title = (lines[i] as RstLine).text;
  const underline = (lines[i + 1] as RstLine).text;
  // docutils takes a short underline of fewer than 4 characters for text (an INFO only).
  if (columnWidth(title) > underline.length && underline.length >= 4) return `line ${i + 2}: Title underline too short.`;
  return undefined;
}

/** Lines that start a block: the first, those after a blank line, and the first of an indented block. */
const startsBlock = (lines: RstLine[], i: number) =>
  i === 0 || (lines[i - 1] as RstLine).blank || (lines[i - 1] as RstLine).indent < (lines[i] as RstLine).indent;

/** The last non-blank line before `i`. */
function lastText(lines: RstLine[], i: number): RstLine | undefined {
  for (let j = i - 1; j >= 0; j--) if (!(lines[j] as RstLine).blank) return lines[j];
  return undefined;
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
  const text = line.text.trimStart();
  if (isAdornment(text, 4)) return { problem: `line ${i + 1}: Unexpected section title or transition.`, lines: 1 };
  const next = lines[i + 1];
  const underline = next && !next.blank && next.indent === line.indent ? next.text.trimStart() : '';
  // docutils takes an underline of fewer than 4 characters, shorter than the text, for text.
  if (underline && !MARKUP_START.test(text) && isAdornment(underline, 1) && (underline.length >= 4 || columnWidth(text) <= underline.length)) {
    return { problem: `line ${i + 2}: Unexpected section title.`, lines: 2 };
  }
  return { lines: 1 };
}

/** A block's first line at the top level: a title with an overline, or with an underline only. */
function topTitle(lines: RstLine[], i: number): Reading {
  const text = (lines[i] as RstLine).text;
  const next = lines[i + 1];
  if (ADORNMENT.test(text)) {
    // Shorter than 4: text. After `::`: a quoted literal block. Then a blank line or the end: a transition.
    if (text.length < 4 || lastText(lines, i)?.text.endsWith('::')) return { lines: 1 };
    if (!next || next.blank) return { lines: 1, element: 'transition' };
    return { problem: overlinedTitle(lines, i), lines: 3, element: 'title' };
  }
  if (next && !next.blank && next.indent === 0 && isAdornment(next.text, 1) && !MARKUP_START.test(text)) {
    return { problem: underlinedTitle(lines, i), lines: 2, element: 'title' };
  }
  return { lines: 1 };
}

/**
 * Where a top-level transition may not stand (docutils' misc.Transitions, warnings): first in the
 * document (comments and targets before it do not count), right after a section's title, right
 * after another transition, or last in the document.
 */
class TransitionPlaces {
  #before: 'nothing' | 'title' | 'transition' | 'other' = 'nothing';

  /** A top-level element, or any other line of the body, was read. */
  read(line: RstLine, context: 'top' | 'nested' | 'opaque', element: Reading['element']): void {
    if (line.blank) return;
    if (element) this.#before = element;
    else if (!(this.#before === 'nothing' && context !== 'nested' && (context === 'opaque' || INVISIBLE.test(line.text)))) this.#before = 'other';
  }

  /** The problem of a transition at `i`, given what came before it and whether anything follows. */
  problem(lines: RstLine[], i: number): string | undefined {
    if (this.#before === 'nothing') return `line ${i + 1}: Transition at the start of the document.`;
    if (this.#before === 'title') return `line ${i + 1}: Transition at the start of the section.`;
    if (this.#before === 'transition') return `line ${i + 1}: At least one body element should separate transitions.`;
    if (lines.slice(i + 1).every((l) => l.blank)) return `line ${i + 1}: Transition at the end of the document.`;
    return undefined;
  }
}

/** docutils' messages for the title and transition problems of a reStructuredText text; empty when it has none this check knows. */
export function rstProblems(description: string): string[] {
  const lines = rstLines(description);
  const contexts = bodyContexts(lines);
  const transitions = new TransitionPlaces();
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const context = contexts[i] as 'top' | 'nested' | 'opaque';
    const reading: Reading = context === 'opaque' || !startsBlock(lines, i) ? { lines: 1 } : context === 'top' ? topTitle(lines, i) : nestedTitle(lines, i);
    const problem = reading.element === 'transition' ? transitions.problem(lines, i) : reading.problem;
    if (problem) out.push(problem);
    transitions.read(lines[i] as RstLine, context, reading.element);
    i += reading.lines;
  }
  return out;
}
