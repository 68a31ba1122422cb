// Explicit markup docutils 0.23 cannot make (states.Body.explicit_construct): a footnote or citation
// with no content, a hyperlink target whose name never ends in a colon, a substitution definition
// with no content or with text where its directive should be. Each is a warning, and readme_renderer
// fails a text at the first warning (halt_level 2), so PyPI refuses such a description. Only what is
// certain from the markup's own lines is judged: a construct whose name or content goes on past its
// first line is left alone.

import { TARGET } from './rst-references.ts';
import type { ExplicitMarkup } from './rst-references.ts';
import { escapeToNull, type Found, type InlineBlock } from './rst-inline.ts';
import { canonicalDirective } from './rst-names.ts';
import { ADORNMENT, BULLET_MARKER, SIMPLE_NAME } from './rst-patterns.ts';

/**
 * Body.explicit.constructs, in the order docutils tries them (the first pattern that matches decides).
 * A label is a simplename of Python's word characters: one in a letter only Node's newer Unicode knows
 * is no label to docutils, which makes the line a comment.
 */
const FOOTNOTE = new RegExp(String.raw`^\.\. +\[(?:[0-9]+|#|#${SIMPLE_NAME}|\*)\](?: +|$)`, 'u');
const CITATION = new RegExp(String.raw`^\.\. +\[${SIMPLE_NAME}\](?: +|$)`, 'u');
const HYPERLINK_TARGET = /^\.\. +_(?! |$)/;
const SUBSTITUTION_DEF = /^\.\. +\|(?! |$)/;
/** Body.explicit.patterns.substitution: the name, then `|` not after whitespace or an escape, then spaces or the end. */
const SUBSTITUTION = /^(?! )(.+?)(?<![\s\0])\|(?: +|$)/u;
/** SubstitutionDef.patterns.embedded_directive: what a definition's content must start with. */
const EMBEDDED_DIRECTIVE = new RegExp(String.raw`^(${SIMPLE_NAME})::(?: +|$)`, 'u');

/** Whether explicit markup's first line (indentation stripped) is a footnote or a citation. */
export const isFootnoteOrCitation = (first: string): boolean => FOOTNOTE.test(first) || CITATION.test(first);

/** Explicit markup with whether indented lines go on it after a blank line (they are content for all but a hyperlink target). */
export interface ExplicitBlock extends ExplicitMarkup {
  indentedAfterBlank: boolean;
}

/** docutils' warning for one explicit construct, with its line, or undefined when it makes it (or it is not judged). */
export function explicitConstructProblem(markup: ExplicitBlock): string | undefined {
  const first = markup.lines[0] as string;
  const at = (message: string) => `line ${markup.line}: ${message}`;
  const noMoreLines = markup.lines.length === 1 && !markup.indentedAfterBlank;
  for (const [pattern, what] of [
    [FOOTNOTE, 'Footnote'],
    [CITATION, 'Citation'],
  ] as const) {
    const label = pattern.exec(first);
    if (label) return noMoreLines && first.slice(label[0].length).trim() === '' ? at(`${what} content expected.`) : undefined;
  }
  const target = HYPERLINK_TARGET.exec(first);
  if (target) return malformedTarget(markup.lines, target[0].length) ? at('malformed hyperlink target.') : undefined;
  const definition = SUBSTITUTION_DEF.exec(first);
  return definition ? substitutionProblem(first.slice(definition[0].length), markup, at) : undefined;
}

/** states.Body.hyperlink_target: no run of the block's lines from the first, joined as they stand, reads as a target's name and colon. */
function malformedTarget(lines: readonly string[], start: number): boolean {
  let escaped = '';
  for (const [i, line] of lines.entries()) {
    escaped += escapeToNull(i === 0 ? line.slice(start) : line);
    if (TARGET.test(escaped)) return false;
  }
  return true;
}

/**
 * states.Body.substitution_def, from a definition's first line: its name must end, and a directive
 * follow it. Text after the name ends the definition's parse with nothing in it, whatever lines
 * follow; so does content that starts only after a blank line, which is indented and so read as a
 * block quote. A name or content on the next line is not judged.
 */
function substitutionProblem(rest: string, markup: ExplicitBlock, at: (message: string) => string): string | undefined {
  const parts = definitionParts(rest);
  const nextLine = markup.lines.length > 1;
  if (!parts) return nextLine || markup.indentedAfterBlank ? undefined : at('malformed substitution definition.');
  const { name, content, directive } = parts;
  const invalid = at(`Substitution definition "${name}" empty or invalid.`);
  if (content === '') return nextLine ? undefined : markup.indentedAfterBlank ? invalid : at(`Substitution definition "${name}" missing contents.`);
  if (!directive) return invalid;
  const { written, canonical, text } = directive;
  // Unicode.run: the codes end where a comment (` .. `) begins; none at all make the definition empty.
  if (canonical === 'unicode' && text.startsWith('.. ')) return invalid;
  // Replace.run takes one paragraph: not a list, nor lines under the directive's at several
  // indentations (a definition list, a block quote, or text indented within a paragraph), nor more
  // after a blank line.
  const opening = text !== '' ? text : (markup.lines[1]?.trim() ?? '');
  if (canonical === 'replace' && (BULLET_MARKER.test(opening) || (opening !== '' && (!atOneIndentation(markup.lines.slice(1)) || markup.indentedAfterBlank))))
    return at(`Error in "${written}" directive: may contain a single paragraph only.`);
  return undefined;
}

/** A substitution definition's first line, read: its name, what follows the name, and the directive that starts there, if one does. */
interface DefinitionLine {
  name: string;
  content: string;
  /** as written, as docutils knows it (an alias's canonical name), and the text after its `::` */
  directive?: { written: string; canonical: string; text: string };
}

/** A definition's name and what follows it on its line, as docutils cuts it from the unescaped text; `rest` is the line after `.. |`. */
function definitionParts(rest: string): DefinitionLine | undefined {
  const named = SUBSTITUTION.exec(escapeToNull(rest.trimEnd()));
  if (!named) return undefined;
  const content = `${rest.trim()} `.slice(named[0].length, -1).trim();
  const directive = EMBEDDED_DIRECTIVE.exec(content);
  if (!directive) return { name: named[1] as string, content };
  const written = directive[1] as string;
  return {
    name: named[1] as string,
    content,
    directive: { written, canonical: canonicalDirective(written.toLowerCase()), text: content.slice(directive[0].length) },
  };
}

/** The definition explicit markup's first line (indentation stripped) starts, if it starts one. */
function definitionLine(first: string): DefinitionLine | undefined {
  const definition = SUBSTITUTION_DEF.exec(first);
  return definition ? definitionParts(first.slice(definition[0].length)) : undefined;
}

/** Whether the lines all stand at one indentation. */
const atOneIndentation = (lines: readonly string[]) => new Set(lines.map((line) => line.length - line.trimStart().length)).size <= 1;

/**
 * The text of a `replace` definition, as a block of its own, when docutils certainly parses it for
 * inline markup as one paragraph (Replace.run nested-parses its content and takes one paragraph
 * only): the text after `replace::`, if any, then the lines under it at one indentation, the second
 * line of the text no title's underline. `startsParagraph` says whether a line read as body starts a
 * paragraph.
 */
export function replacedText(markup: ExplicitBlock, startsParagraph: (text: string) => boolean): InlineBlock | undefined {
  const directive = definitionLine(markup.lines[0] as string)?.directive;
  const more = markup.lines.slice(1);
  if (directive?.canonical !== 'replace' || markup.indentedAfterBlank || !atOneIndentation(more)) return undefined;
  // The text may start on the directive's line or under it (parse_directive_block drops a blank first line).
  const text = [...(directive.text === '' ? [] : [directive.text]), ...more.map((line) => line.trim())];
  if (text.length === 0 || !startsParagraph(text[0] as string) || (text[1] !== undefined && ADORNMENT.test(text[1]))) return undefined;
  return { text: text.join('\n'), line: markup.line };
}

/** disallowed_inside_substitution_definitions: what a definition's text may not hold, by what docutils found in it. */
function disallowed(found: readonly Found[], i: number): string | undefined {
  const f = found[i] as Found;
  if (f.kind === 'anonymous reference') return 'Anonymous references';
  // An auto-numbered footnote reference with a label (`[#note]_`) is one node, found as its label's reference, then as auto-numbered.
  if (f.kind === 'auto footnote reference' || (f.kind === 'reference' && f.footnote && found[i + 1]?.kind === 'auto footnote reference'))
    return 'References to auto-numbered and auto-symbol footnotes';
  // Targets and footnote or citation references, which get an id of their own.
  if (f.kind === 'target' || f.kind === 'embedded target' || (f.kind === 'reference' && f.footnote)) return 'Targets (names and identifiers)';
  return undefined;
}

/**
 * What docutils refuses in a `replace` definition's text (replacedText), given what it found there:
 * a reference or target it does not allow in a definition (Body.substitution_def, an error), or a
 * paragraph ending with `::`, whose literal block cannot follow (a warning).
 */
export function replacedTextProblem(block: InlineBlock, found: readonly Found[]): string | undefined {
  for (let i = 0; i < found.length; i++) {
    const illegal = disallowed(found, i);
    if (illegal) return `line ${block.line}: ${illegal} are not supported in a substitution definition.`;
  }
  return block.text.endsWith('::') ? `line ${block.line}: Literal block expected; none found.` : undefined;
}

/**
 * Whether the line at `index` (0-based) of `source` may stand in a quoted literal block
 * (states.Text.quoted_literal_block): at the margin, under lines starting with its character, blank
 * lines, then a line ending with `::` (whatever that line seems to be).
 */
function mayBeQuoted(source: readonly string[], index: number): boolean {
  const quote = (source[index] as string)[0];
  let j = index - 1;
  while (j >= 0 && (source[j] as string)[0] === quote) j--;
  if (j >= 0 && (source[j] as string).trim() !== '') return false;
  while (j >= 0 && (source[j] as string).trim() === '') j--;
  return j >= 0 && (source[j] as string).trimEnd().endsWith('::');
}

/**
 * document.note_substitution_def: a second definition of one name (white space normalized, case
 * kept) is an error. Whichever of the two docutils cannot make fails the text already, so two
 * definitions of one name read on their first lines are a refusal either way. A definition that
 * may be a quoted literal block's text is not counted (`source`: the text's lines).
 */
export function duplicateSubstitutionProblems(markups: readonly ExplicitBlock[], source: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const markup of markups) {
    if (mayBeQuoted(source, markup.line - 1)) continue;
    const name = definitionLine(markup.lines[0] as string)?.name;
    // An escaped character stays in docutils' name as a NUL: such a name is not compared here.
    if (!name || name.includes('\0')) continue;
    const normalized = name.split(/\s+/u).filter(Boolean).join(' ');
    if (seen.has(normalized)) out.push(`line ${markup.line}: Duplicate substitution definition name: "${normalized}".`);
    seen.add(normalized);
  }
  return out;
}
