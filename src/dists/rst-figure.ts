// A figure's caption as docutils 0.23 reads it (directives.images.Figure.run): its content is parsed
// as body, and the first element there that is not a target must be a paragraph (the caption) or
// an empty comment; any other is "Figure caption must be a paragraph or empty comment.", an error
// PyPI refuses. Only the content's first lines that certainly make another element are judged:
// a block quote, a bullet or field list, a doctest or line block, a table, a definition list, a
// footnote, citation, substitution definition or comment with text, a directive that makes a body
// element. Targets, lists of other kinds and directives that make none are left alone.
import { PY_WORD_CHARS } from './python-classes.ts';
import type { RstLine } from './rst.ts';
import { indentedBlock } from './rst-directive-options.ts';
import { canonicalDirective, directiveOf, type Directive } from './rst-names.ts';
import { FIELD_MARKER, SIMPLE_NAME } from './rst-patterns.ts';

/** Directives whose run() makes a body element, or fails with an error of its own. */
const BODY_ELEMENT_DIRECTIVES = new Set(
  'attention caution danger error hint important note tip warning admonition image figure code math rubric epigraph highlights pull-quote compound container topic sidebar line-block parsed-literal table csv-table list-table'.split(
    ' ',
  ),
);

/** Lines that start an element other than a paragraph whatever follows (states.Body.patterns): bullet, field, doctest, line block, grid and simple table. */
const OTHER_ELEMENT = /^(?:[-+*\u2022\u2023\u2043](?: |$)|>>>(?: |$)|\|(?: |$)|\+-[-+]+-\+ *$|=+(?: +=+)+ *$)/;
/** Explicit markup that is a comment with text: none of footnote, citation, target, substitution definition or directive (Body.explicit.constructs). */
const COMMENT_WITH_TEXT = new RegExp(String.raw`^\.\. +(?![\[_|])(?!${SIMPLE_NAME} ?::(?: |$))\S`, 'u');
/** A footnote, a citation or a substitution definition. */
const LABEL_OR_SUBSTITUTION = /^\.\. +(?:\[[^\]\s]+\](?: |$)|\|[^|\s][^|]*\| )/;
/** An enumerator of any sequence (states.Body.patterns enumerator, period and right parenthesis). */
const ENUMERATOR = /^(?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)](?: |$)/;
/** A line docutils begins a paragraph with: a word, no enumerator. */
const WORD_START = new RegExp(`^[${PY_WORD_CHARS}]`, 'u');
const wordText = (text: string) => WORD_START.test(text) && !ENUMERATOR.test(text);

/**
 * What docutils reports of the caption of the figure `directive` on line `line` (1-based) whose
 * indented block is `block`, if its content certainly starts with an element that is no paragraph.
 */
export function figureCaptionProblem(directive: Directive, line: number, block: readonly RstLine[]): string | undefined {
  if (canonicalDirective(directive.name) !== 'figure' || directive.substitution) return undefined;
  const indented = indentedBlock(
    directive,
    block.map((l) => l.text),
  );
  // Its arguments and options end at the first blank line; the content comes after it.
  const argumentsEnd = indented?.indexOf('') ?? -1;
  if (indented === undefined || argumentsEnd < 0) return undefined;
  let first = argumentsEnd + 1;
  while (indented[first] === '') first++;
  const [text, next] = [indented[first], indented[first + 1]];
  if (text === undefined || !startsOtherElement(text, next)) return undefined;
  return `line ${line}: Figure caption must be a paragraph or empty comment.`;
}

/** Whether the content line `text` (at the content's margin or past it), with `next` under it, starts an element that is no paragraph, target or empty comment. */
function startsOtherElement(text: string, next: string | undefined): boolean {
  if (text.startsWith(' ') || OTHER_ELEMENT.test(text) || FIELD_MARKER.test(text)) return true;
  if (COMMENT_WITH_TEXT.test(text) || LABEL_OR_SUBSTITUTION.test(text)) return true;
  const named = directiveOf(text);
  if (named && !named.substitution) return BODY_ELEMENT_DIRECTIVES.has(canonicalDirective(named.name));
  // One line of text that an indented line follows is a definition list's term (Text.indent).
  return wordText(text) && !text.endsWith('::') && next !== undefined && next.startsWith(' ') && next.trim() !== '';
}
