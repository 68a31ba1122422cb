// What docutils reports when it runs a directive it knows (states.Body.run_directive and the
// directives' own run()), for the mistakes a description makes: content under a directive that takes
// none, a directive that needs content or an argument left without, a topic or a sidebar where
// docutils allows none, its arguments and options (src/dists/rst-directive-options.ts), and a meta
// directive's content that is no field list of meta tags (src/dists/rst-meta.ts), and a figure's
// content that starts with no caption (src/dists/rst-figure.ts). Each is an error, so PyPI refuses
// the description.
import type { RstLine } from './rst.ts';
import { canonicalDirective, directiveOf, directiveSpec, takesNoContent, type Directive } from './rst-names.ts';
import { FIELD_MARKER, GRID_TOP, LEADING_SPACES, SIMPLE_TABLE_BORDER } from './rst-patterns.ts';
import { argumentsAndOptionsProblem, type DirectiveParts, directiveParts, indentedBlock } from './rst-directive-options.ts';
import { defaultRoleProblem, definedRoles, roleDirectiveProblem } from './rst-roles.ts';
import { classProblem } from './rst-option-values.ts';
import { csvTableProblem, listTableProblem } from './rst-table-data.ts';
import { figureCaptionProblem } from './rst-figure.ts';
import { metaProblem } from './rst-meta.ts';

/** Directives whose run() asserts content (assert_has_content); `replace` fails outside substitutions first. */
const NEEDS_CONTENT = new Set(
  'attention caution danger error hint important note tip warning admonition topic sidebar code compound container line-block parsed-literal math epigraph highlights pull-quote header footer meta'.split(
    ' ',
  ),
);

/** What docutils reports of the known directive at `i` once it runs it, if anything, in its order (`lineCount`: the text's lines as docutils counts them). */
export function runProblem(lines: RstLine[], i: number, directive: Directive, lineCount: number): string | undefined {
  const block = directiveBlock(lines, i);
  const parsed = argumentsAndOptionsProblem(
    directive,
    block.map((l) => l.text),
  );
  if (parsed) return `line ${i + 1}: Error in "${directive.written}" directive: ${parsed}.`;
  const ran = directive.substitution ? undefined : ranProblem(lines, directive, block);
  if (ran) return `line ${i + 1}: ${ran}`;
  const meta = canonicalDirective(directive.name) === 'meta' && !directive.substitution;
  const read = meta ? metaProblem(lines, i, directive, block, lineCount) : figureCaptionProblem(directive, i + 1, block);
  return (
    contentProblem(block, i, directive) ??
    read ??
    (block.some((l) => !l.blank) ? (placementProblem(lines, i, directive) ?? argumentsOnlyProblem(block, i, directive)) : bareProblem(lines, i, directive))
  );
}

/**
 * What the directives whose run() judges the document, the settings or their own parts report: a role
 * directive's names, a default role docutils does not know, a class name docutils cannot make, a
 * directive that needs content given only options, a table directive's content that is no table, a
 * CSV table read from a file or a URL, which readme_renderer forbids (file_insertion_enabled is
 * false), or with no data at all, and a list table's or a CSV table's data that does not fit its
 * shape or options (src/dists/rst-table-data.ts).
 */
function ranProblem(lines: RstLine[], directive: Directive, block: RstLine[]): string | undefined {
  const name = canonicalDirective(directive.name);
  const texts = block.map((l) => l.text);
  if (name === 'role') return roleRunProblem(lines, directive, texts);
  if (name === 'default-role') return /\s/.test(directive.rest) ? undefined : defaultRoleProblem(directive.rest, definedRoles(lines));
  if (name === 'class' || name === 'container') return classArgumentProblem(directive, texts);
  const parts = directiveParts(directive, texts);
  if (!parts) return undefined;
  const written = directive.written;
  if (NEEDS_CONTENT.has(name) && parts.content.length === 0) return `Content block expected for the "${written}" directive; none found.`;
  if (name === 'table') return tableContentProblem(written, parts.content);
  if (name === 'list-table') return listTableProblem(written, parts);
  if (name !== 'csv-table') return undefined;
  if (parts.options.has('file') || parts.options.has('url')) return `File and URL access deactivated; ignoring "${written}" directive.`;
  if (parts.content.length === 0) return `The "${written}" directive requires content; none supplied.`;
  return csvTableProblem(written, parts);
}

/** Role.run, given the role directive's first content line (the text after `::`, else the next line). */
function roleRunProblem(lines: RstLine[], directive: Directive, texts: string[]): string | undefined {
  const indented = indentedBlock(directive, texts);
  if (!indented) return undefined;
  const more = indented.slice(1).some((l) => l !== '');
  return roleDirectiveProblem(directive.written, indented[0] || undefined, more, definedRoles(lines));
}

/** Class.run and Container.run: their argument (the lines before the first blank one, and before a container's options), as class names. */
function classArgumentProblem(directive: Directive, texts: string[]): string | undefined {
  const indented = indentedBlock(directive, texts);
  if (!indented) return undefined;
  const end = indented.indexOf('');
  const argumentLines = end < 0 ? indented : indented.slice(0, end);
  const takesOptions = Object.keys(directiveSpec(directive.name)?.options ?? {}).length > 0;
  const optionsAt = takesOptions ? argumentLines.findIndex((l) => FIELD_MARKER.test(l)) : -1;
  const argument = (optionsAt < 0 ? argumentLines : argumentLines.slice(0, optionsAt)).join('\n').trimStart();
  if (argument === '' || classProblem(argument) === undefined) return undefined;
  return `Invalid class attribute value for "${directive.written}" directive: "${argument}".`;
}

/** RSTTable.run: content, and a table where it starts (what follows the table is not judged here). */
function tableContentProblem(written: string, content: readonly string[]): string | undefined {
  if (content.length === 0) return `Content block expected for the "${written}" directive; none found.`;
  return GRID_TOP.test(content[0] as string) || SIMPLE_TABLE_BORDER.test(content[0] as string)
    ? undefined
    : `Error parsing content block for the "${written}" directive: exactly one table expected.`;
}

/** The options and content of the known directive at `i` that takes options, as parse_directive_block reads them; undefined when not read with certainty. */
export const directivePartsAt = (lines: RstLine[], i: number, directive: Directive): DirectiveParts | undefined =>
  directiveParts(
    directive,
    directiveBlock(lines, i).map((l) => l.text),
  );

/** The lines after the directive's that docutils reads as its block: blank ones, or indented past it. */
function directiveBlock(lines: RstLine[], i: number): RstLine[] {
  const { indent } = lines[i] as RstLine;
  let end = i + 1;
  while (end < lines.length && ((lines[end] as RstLine).blank || (lines[end] as RstLine).indent > indent)) end++;
  return lines.slice(i + 1, end);
}

/**
 * A directive docutils allows no content given some (states.Body.parse_directive_block): after the
 * first blank line of its block come no arguments or options, only content.
 */
function contentProblem(block: RstLine[], i: number, directive: Directive): string | undefined {
  if (!takesNoContent(directive.name)) return undefined;
  const blanks = block.map((l) => l.blank);
  // With nothing after `::`, docutils drops that empty first line; otherwise it leads the arguments.
  if (directive.rest) blanks.unshift(false);
  const firstBlank = blanks.indexOf(true);
  if (firstBlank < 0 || !blanks.slice(firstBlank + 1).includes(false)) return undefined;
  return `line ${i + 1}: Error in "${directive.written}" directive: no content permitted.`;
}

/**
 * A directive with nothing under it: its text after `::` is all it has. Directives without
 * arguments take that text as content; the others as their arguments, which must be as many as they
 * take, and then have no content.
 */
function bareProblem(lines: RstLine[], i: number, directive: Directive): string | undefined {
  // In a substitution definition docutils judges the directive otherwise; text that starts like a
  // field is an option, not an argument.
  const name = canonicalDirective(directive.name);
  if (!NEEDS_CONTENT.has(name) || directive.substitution || directive.rest.startsWith(':')) return undefined;
  // Arguments as docutils counts them (rst-directives.json); a directive without any takes the text as content.
  const spec = directiveSpec(name);
  const takes = spec && spec.required + spec.optional > 0 ? spec : undefined;
  if (!takes && directive.rest) return undefined;
  const given = !directive.rest ? 0 : takes?.finalWhitespace ? 1 : directive.rest.split(/\s+/).length;
  const error = (detail: string) => `line ${i + 1}: Error in "${directive.written}" directive: ${detail}.`;
  if (takes && given < takes.required) return error(`${takes.required} argument(s) required, ${given} supplied`);
  if (takes && given > takes.required + takes.optional) return error(`maximum ${takes.required + takes.optional} argument(s) allowed, ${given} supplied`);
  return placementProblem(lines, i, directive) ?? `line ${i + 1}: Content block expected for the "${directive.written}" directive; none found.`;
}

/**
 * A directive that takes arguments and needs content, with no blank line in its block before its
 * last text: parse_directive_block reads every line up to the first blank one as arguments (a
 * title goes on over lines), so no content is left. A block with an option line is not judged.
 */
function argumentsOnlyProblem(block: RstLine[], i: number, directive: Directive): string | undefined {
  const name = canonicalDirective(directive.name);
  const spec = directiveSpec(name);
  if (!NEEDS_CONTENT.has(name) || directive.substitution || !spec || spec.required + spec.optional === 0) return undefined;
  // The text after `::` leads the block; an empty one is dropped, and the block's trailing blank lines.
  const texts = [directive.rest, ...block.map((l) => (l.blank ? '' : l.text.trim()))];
  if (texts[0] === '') texts.shift();
  const firstBlank = texts.indexOf('');
  const argumentLines = firstBlank < 0 ? texts : texts.slice(0, firstBlank);
  const content = firstBlank < 0 ? [] : texts.slice(firstBlank + 1).filter((t) => t !== '');
  if (content.length > 0 || argumentLines.some((t) => t.startsWith(':'))) return undefined;
  return `line ${i + 1}: Content block expected for the "${directive.written}" directive; none found.`;
}

/** Directives that parse their content into a bare element (nodes.Element), no body element: a topic or a sidebar may stand there. */
const BARE_ELEMENT_CONTENT = new Set(['class', 'figure', 'table', 'list-table']);

/**
 * A topic or a sidebar inside a body element (directives.body.BasePseudoSection): docutils allows
 * them only at the top level or in a section (at the margin), a topic also right in a sidebar's
 * content; `class`, `figure`, `table` and `list-table` parse their content into a bare element, where
 * both may stand.
 * The element holding an indented directive is known by the nearest line above that is less indented.
 */
function placementProblem(lines: RstLine[], i: number, directive: Directive): string | undefined {
  const line = lines[i] as RstLine;
  if ((directive.name !== 'topic' && directive.name !== 'sidebar') || line.indent === 0) return undefined;
  let j = i - 1;
  while (j >= 0 && ((lines[j] as RstLine).blank || (lines[j] as RstLine).indent >= line.indent)) j--;
  const named = j >= 0 ? directiveOf((lines[j] as RstLine).text.replace(LEADING_SPACES, ''))?.name : undefined;
  const holder = named && canonicalDirective(named);
  if (BARE_ELEMENT_CONTENT.has(holder ?? '') || (holder === 'sidebar' && directive.name === 'topic')) return undefined;
  const within = holder === 'sidebar' ? 'a sidebar element' : 'topics or body elements';
  return `line ${i + 1}: The "${directive.written}" directive may not be used within ${within}.`;
}
