// A directive's options as docutils 0.23 reads them (states.Body.parse_directive_block,
// parse_directive_options, parse_extension_options, then utils.extract_extension_options): the field
// list right after its line, before the first blank line. An option the directive does not have is
// the usual README mistake — Sphinx's code-block options (`:linenos:`, `:caption:`,
// `:emphasize-lines:`) copied into a description — and an error PyPI refuses, as are a repeated option,
// a flag given a value, an option that needs a value given none, a number that is none, and an
// `align` outside its values. Which options each directive has is docutils' own
// (src/dists/data/rst-directives.json). What this reading cannot be sure of is not judged.
import { directiveSpec, type Directive, type DirectiveSpec } from './rst-names.ts';
import { FIELD_MARKER, PLAIN_FIELD_NAME, pyIndent } from './rst-patterns.ts';
import { pyRepr } from './pyrepr.ts';
import { conversionProblem } from './rst-option-values.ts';

/** Stands for an option block that is not all fields. */
const INVALID_BLOCK = '\0invalid';

/** One option as extract_options reads it: its name in lower case and its text (null when it has none). */
interface Option {
  name: string;
  value: string | null;
}

/**
 * The argument lines and the options of `directive`, whose indented block is `block` (the lines after
 * its line that are blank or indented past it, as they are written); a directive without options
 * reads field-like lines as arguments (parse_directive_block). Undefined when the block cannot be
 * read with certainty.
 */
function readBlock(directive: Directive, block: readonly string[], takesOptions: boolean): { args: string[]; options: Option[] } | undefined {
  const indented = indentedBlock(directive, block);
  if (indented === undefined) return undefined;
  // Its arguments and options end at the first blank line.
  const end = indented.indexOf('');
  const argBlock = end < 0 ? indented : indented.slice(0, end);
  const first = takesOptions ? argBlock.findIndex((l) => FIELD_MARKER.test(l)) : -1;
  if (first < 0) return { args: argBlock, options: [] };
  const options = fieldsOf(argBlock.slice(first));
  return options ? { args: argBlock.slice(0, first), options } : undefined;
}

/**
 * The lines of `directive` as docutils hands them to parse_directive_block: the text after `::`, then
 * its indented block (the lines after its own, as written) at its least indentation
 * (get_first_known_indented), one leading blank line dropped. Undefined when a line is indented in
 * part by other white space than spaces, which docutils measures otherwise.
 */
export function indentedBlock(directive: Directive, block: readonly string[]): string[] | undefined {
  const written = block.filter((l) => l !== '');
  const spaces = (l: string) => (/^ */.exec(l)?.[0] ?? '').length;
  if (written.some((l) => pyIndent(l) !== spaces(l))) return undefined;
  const margin = written.length > 0 ? written.reduce((least, l) => Math.min(least, spaces(l)), Number.POSITIVE_INFINITY) : 0;
  const indented = [directive.rest, ...block.map((l) => l.slice(margin))];
  if (indented[0] === '') indented.shift();
  return indented;
}

/** The fields of an option block (states.ExtensionOptions); undefined where one is not read here. */
function fieldsOf(lines: readonly string[]): Option[] | undefined {
  const options: Option[] = [];
  let current: { name: string; text: string[] } | undefined;
  const close = () => {
    if (current) options.push({ name: current.name, value: current.text.some((t) => t.trim() !== '') ? current.text.join('\n') : null });
  };
  for (const line of lines) {
    const marker = FIELD_MARKER.exec(line);
    if (marker) {
      close();
      const name = marker[1] as string;
      if (!PLAIN_FIELD_NAME.test(name)) return undefined;
      current = { name, text: [line.slice(marker[0].length)] };
    } else if (line.startsWith(' ') && current) current.text.push(line.trim());
    // A line back at the margin that is no field ends the nested parse early (invalid_input).
    else return [{ name: INVALID_BLOCK, value: null }];
  }
  close();
  return options.map((o) => ({ name: o.name, value: o.value === null ? null : o.value.replace(/^\s+/, '') }));
}

/** What docutils says of one option's value, if it refuses it. */
function valueProblem(kind: string, option: Option, align: string[] | undefined): string | undefined {
  const { name, value } = option;
  const problem = conversionProblem(kind, value, align);
  return problem && `invalid option value: (option: "${name}"; value: ${value === null ? 'None' : pyRepr(value)}) ${problem}`;
}

/**
 * docutils' error about the arguments and options of the known `directive` with its indented `block`
 * (the lines after its line that are blank or indented past it, as written), if it makes one: the
 * detail of "Error in … directive". Options first, then the arguments they leave
 * (parse_directive_block), then what Image.run checks.
 */
export function argumentsAndOptionsProblem(directive: Directive, block: readonly string[]): string | undefined {
  const known = directiveSpec(directive.name);
  const takesOptions = known !== undefined && Object.keys(known.options).length > 0;
  if (!known || (!takesOptions && known.required + known.optional === 0)) return undefined;
  const read = readBlock(directive, block, takesOptions);
  if (!read) return undefined;
  const problem = optionProblem(known, read.options);
  if (problem) return problem;
  // parse_directive_arguments: the argument lines split at white space; the last may hold spaces.
  const given = read.args.join('\n').split(/\s+/).filter(Boolean).length;
  const most = known.required + known.optional;
  if (given < known.required) return `${known.required} argument(s) required, ${given} supplied`;
  // A directive that takes no arguments reads those lines as its content.
  if (most > 0 && given > most && !known.finalWhitespace) return `maximum ${most} argument(s) allowed, ${given} supplied`;
  return imageAlignProblem(directive, read.options);
}

/** A directive's options as docutils reads them (names in lower case; null for no value) and its content lines. */
export interface DirectiveParts {
  options: Map<string, string | null>;
  /** the content after the options, at the block's margin, without blank lines before or after it */
  content: string[];
}

/** What a known directive that takes options is given, as parse_directive_block reads it; undefined when that cannot be read with certainty. */
export function directiveParts(directive: Directive, block: readonly string[]): DirectiveParts | undefined {
  const known = directiveSpec(directive.name);
  if (!known || Object.keys(known.options).length === 0) return undefined;
  const read = readBlock(directive, block, true);
  const indented = indentedBlock(directive, block);
  if (!read || !indented) return undefined;
  const end = indented.indexOf('');
  const after = end < 0 ? [] : indented.slice(end);
  // A directive without arguments takes the lines before its options as content.
  const content = read.args.length > 0 && known.required + known.optional === 0 ? [...read.args, ...after] : after.slice(1);
  while (content.at(-1) === '') content.pop();
  while (content[0] === '') content.shift();
  return { options: new Map(read.options.map((o) => [o.name.toLowerCase(), o.value])), content };
}

function optionProblem(known: DirectiveSpec, options: readonly Option[]): string | undefined {
  const seen = new Set<string>();
  for (const option of options) {
    if (option.name === INVALID_BLOCK) return 'invalid option block';
    if (option.name.trim().split(/\s+/).length !== 1) return 'invalid option data: extension option field name may not contain multiple words';
    const name = option.name.toLowerCase();
    const kind = known.options[name];
    if (kind === undefined) return `unknown option: "${name}"`;
    if (seen.has(name)) return `invalid option data: duplicate option "${name}"`;
    seen.add(name);
    const problem = valueProblem(kind, { name, value: option.value }, known.align);
    if (problem) return problem;
  }
  return undefined;
}

/** Image.run: a block image aligns left, center or right; one in a substitution definition top, middle or bottom. */
function imageAlignProblem(directive: Directive, options: Option[]): string | undefined {
  if (directive.name !== 'image') return undefined;
  const align = options
    .find((o) => o.name.toLowerCase() === 'align')
    ?.value?.toLowerCase()
    .trim();
  if (align === undefined) return undefined;
  const allowed = directive.substitution ? ['top', 'middle', 'bottom'] : ['left', 'center', 'right'];
  if (allowed.includes(align)) return undefined;
  const where = directive.substitution ? ' within a substitution definition' : '';
  return `"${align}" is not a valid value for the "align" option${where}.  Valid values for "align" are: "${allowed.join('", "')}"`;
}
