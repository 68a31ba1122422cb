// The `meta` directive as docutils 0.23 runs it (directives.misc.Meta, MetaBody): its content is read
// as a field list and as nothing else. Any other line at the content's margin, or an indented line
// no field takes, ends that reading early, and docutils reports "Invalid meta directive." (an error).
// A field's name is the tag's name, or its first attribute, then `name=value` attributes that
// utils.extract_name_value must read (an error otherwise). Both fail the upload.
import type { RstLine } from './rst.ts';
import type { Directive } from './rst-names.ts';
import { indentedBlock } from './rst-directive-options.ts';
import { FIELD_MARKER } from './rst-patterns.ts';
import { PY_SPACE_CHAR } from './python-space.ts';

/**
 * What docutils reports of the meta directive at `i` whose indented block is `block` (the lines after
 * its own), if anything. `lineCount`: the text's lines as docutils counts them.
 */
export function metaProblem(lines: RstLine[], i: number, directive: Directive, block: readonly RstLine[], lineCount: number): string | undefined {
  const content = indentedBlock(
    directive,
    block.map((l) => l.text),
  );
  if (content === undefined) return undefined;
  const line = i + 1;
  for (let k = 0; k < content.length; ) {
    const text = content[k] as string;
    if (text === '') {
      k++;
      continue;
    }
    // MetaBody takes field markers only: an indented line, text or other markup is invalid_input.
    const marker = text.startsWith(' ') ? null : FIELD_MARKER.exec(text);
    if (!marker) return `line ${line}: Invalid meta directive.`;
    // The field's text: the rest of its line and the lines indented under it, across blank lines.
    let end = k + 1;
    while (end < content.length && (content[end] === '' || (content[end] as string).startsWith(' '))) end++;
    const hasText = text.length > marker[0].length || content.slice(k + 1, end).some((l) => l.trim() !== '');
    // parsemeta reads a field without text as an INFO only, before its attributes.
    const error = hasText ? attributesError(marker[1] as string) : undefined;
    if (error) return startsTopLevelRun(lines, i) ? `line ${Math.min(line + block.length, lineCount)}: Error parsing meta tag attribute ${error}.` : undefined;
    k = end;
  }
  return undefined;
}

/** Explicit markup's first line (states.Body.patterns explicit_markup, anonymous). */
const EXPLICIT = /^(?:\.\.|__)(?: |$)/;

/**
 * Whether the meta directive at `i` stands at the top level (of the document or a section) and
 * starts a run of explicit markup. docutils names an attribute error at the line its outermost state
 * machine has read to, which is then the last of this directive's block (blank lines included, at
 * most the text's last line). Inside another element, or after other explicit markup, that machine
 * stands elsewhere, at a line not followed here: the error is not judged then.
 */
function startsTopLevelRun(lines: RstLine[], i: number): boolean {
  if ((lines[i] as RstLine).indent !== 0) return false;
  for (let j = i - 1; j >= 0; j--) {
    const above = lines[j] as RstLine;
    if (!above.blank && above.indent === 0) return !EXPLICIT.test(above.text);
  }
  return true;
}

/**
 * The first attribute after the first word of a meta field's name that utils.extract_name_value
 * cannot read, with its reason, if any. A name with escapes or other white space than spaces is not
 * judged (docutils unescapes it and splits it on any white space).
 */
function attributesError(name: string): string | undefined {
  if (name.includes('\\') || [...name].some((ch) => ch !== ' ' && PY_SPACE_CHAR.test(ch))) return undefined;
  for (const token of name
    .split(' ')
    .filter((t) => t !== '')
    .slice(1)) {
    const detail = attributeError(token);
    if (detail) return `"${token}": ${detail}`;
  }
  return undefined;
}

/** Why extract_name_value cannot read one attribute (`name=value`, the value maybe quoted) without white space, if it cannot. */
function attributeError(token: string): string | undefined {
  const equals = token.indexOf('=');
  if (equals === -1) return 'missing "="';
  const name = token.slice(0, equals);
  if (equals === 0) return 'missing attribute name before "="';
  const value = token.slice(equals + 1);
  if (value === '') return `missing value after "${name}="`;
  const quote = value[0] as string;
  if (quote !== '"' && quote !== "'") return undefined;
  const endQuote = value.indexOf(quote, 1);
  if (endQuote === -1) return `attribute "${name}" missing end quote (${quote})`;
  // A token holds no white space: anything after the end quote is not white space.
  if (value.length > endQuote + 1) return `attribute "${name}" end quote (${quote}) not followed by whitespace`;
  return undefined;
}
