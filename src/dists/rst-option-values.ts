// docutils' directive option conversion functions (parsers/rst/directives/__init__.py, and the
// image, figure and contents directives' own), as docutils 0.23 runs them on a value: what each
// refuses, with its ValueError's text. Which option a directive converts with which function comes
// from docutils itself (scripts/gen-dist-data.py → data/rst-directives.json, as a kind). A width of
// `100 pixels` or `auto`, a scale of `half` and a `:loading:` docutils has no choice for are the
// README mistakes; PyPI refuses each.
import directiveData from './data/rst-directives.json' with { type: 'json' };
import { PY_DIGIT_CHARS } from './python-classes.ts';
import { pyInt } from './python-int.ts';
import { PYTHON_SPACE, pyStrip } from './python-space.ts';
import { pyRepr } from './pyrepr.ts';

/** Where str.split() with no argument splits. */
const PY_SPACES = new RegExp(`[${PYTHON_SPACE}]+`, 'u');
/** directives.CSS3_LENGTH_UNITS. */
const CSS3_LENGTH_UNITS = ['em', 'ex', 'ch', 'rem', 'vw', 'vh', 'vmin', 'vmax', 'cm', 'mm', 'Q', 'in', 'pt', 'pc', 'px'];
/** nodes.parse_measure: a number (Python's int(), else float()) and a unit, spaces between. */
const MEASURE = /^(-?[0-9.]+) *([a-zA-Zµ]*|%?)$/;
/** What Python's float() takes of `[0-9.]+`: one dot at most, and a digit. */
const FLOAT = /^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/;

/** directives.get_measure: a positive number with one of `units`. */
function measureProblem(value: string, units: readonly string[]): string | undefined {
  const m = MEASURE.exec(value);
  if (!m || !FLOAT.test(m[1] as string)) return `"${value}" is no valid measure.`;
  if (Number(m[1]) >= 0 && units.includes(m[2] as string)) return undefined;
  return `not a positive number or measure of one of the following units:\n${units.filter((u) => u !== '').join(', ')}`;
}

/** directives.format_values. */
const formatValues = (values: readonly string[]) =>
  `${values
    .slice(0, -1)
    .map((v) => `"${v}"`)
    .join(', ')}, or "${values.at(-1)}"`;

/** directives.choice: the value in lower case, stripped, one of `values`. */
const choiceProblem = (value: string, values: readonly string[]) =>
  values.includes(pyStrip(value.toLowerCase())) ? undefined : `"${value}" unknown; choose from ${formatValues(values)}`;

/** int(value), then the bound nonnegative_int or positive_int puts on it. */
function intProblem(value: string, least?: number): string | undefined {
  const n = pyInt(value);
  if (n === undefined) return `invalid literal for int() with base 10: ${pyRepr(value)}`;
  if (least === 0 && n < 0) return 'negative value; must be positive or zero';
  if (least === 1 && n < 1) return 'negative or zero value; must be positive';
  return undefined;
}

const MAKE_ID = directiveData.makeId as { digraphs: Record<string, string>; letters: Record<string, string> };
const translate = (text: string, table: Record<string, string>) => [...text].map((c) => (Object.hasOwn(table, c) ? table[c] : c)).join('');

/** nodes.make_id: a name in lower case, some letters spelled in ASCII, the rest decomposed and what is not ASCII dropped, runs of other characters one hyphen, and no digit or hyphen first. */
function makeId(name: string): string {
  const ascii = translate(translate(name.toLowerCase(), MAKE_ID.digraphs), MAKE_ID.letters)
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '');
  return pyStrip(ascii)
    .split(/[^a-z0-9]+/)
    .join('-')
    .replace(/^[-0-9]+|-+$/g, '');
}

/** Whether a name makes no class name (directives.class_option refuses it). */
export const noClassName = (name: string) => makeId(name) === '';

/** directives.class_option: each name, split at white space, must make a class name. */
export function classProblem(value: string): string | undefined {
  const name = pyStrip(value)
    .split(PY_SPACES)
    .find((n) => n !== '' && noClassName(n));
  return name === undefined ? undefined : `cannot make "${name}" into a class name`;
}

/** Python's decimal digits only. */
const DIGITS = new RegExp(`^[${PY_DIGIT_CHARS}]+$`, 'u');

/** directives.single_char_or_unicode: unicode_code, then one character. */
function charProblem(value: string): string | undefined {
  const invalid = (char: string) => `${pyRepr(char)} invalid; must be a single character or a Unicode code`;
  // str.isdigit, then chr(int()): decimal digits of any script.
  if (DIGITS.test(value)) return (pyInt(value) ?? Number.POSITIVE_INFINITY) > 0x10ffff ? 'chr() arg not in range(0x110000)' : undefined;
  const code = /^(?:0x|x|\\x|U\+?|\\u)([0-9a-f]+)$|^&#x([0-9a-f]+);$/i.exec(value);
  if (code) return Number.parseInt((code[1] ?? code[2]) as string, 16) > 0x10ffff ? 'chr() arg not in range(0x110000)' : undefined;
  return [...value].length <= 1 ? undefined : invalid(value);
}

/** value_or(values, other), its kind written `other or values…`: one of `values` as written, else what `other` (int, positive_int_list) says. */
function valueOrProblem(kind: string, value: string): string | undefined {
  const [other, values] = kind.split(' or ') as [string, string];
  if (values.split(' ').includes(value) && value !== 'None') return undefined;
  if (other === 'int') return intProblem(value);
  // positive_int_list: entries split at commas if there is one, else at white space.
  const entries = value.includes(',') ? value.split(',') : pyStrip(value).split(PY_SPACES);
  for (const entry of entries) {
    const problem = intProblem(entry, 1);
    if (problem) return problem;
  }
  return undefined;
}

/** Kinds whose conversion of no value at all raises what docutils does not catch (AttributeError): not judged. */
const NO_VALUE_UNJUDGED = new Set(['any', 'unjudged', 'figwidth', 'char', 'char_or_whitespace', 'int or None']);

/**
 * What docutils' conversion of an option of `kind` says of `value` (null when the option has none),
 * if it refuses it: the text of its ValueError. `align` lists the values an `align` option takes.
 */
export function conversionProblem(kind: string, value: string | null, align: readonly string[] | undefined): string | undefined {
  if (kind === 'flag') return value !== null && value.trim() !== '' ? `no argument is allowed; "${value}" supplied` : undefined;
  if (value === null) return NO_VALUE_UNJUDGED.has(kind) ? undefined : 'argument required but none supplied';
  if (kind === 'int') return intProblem(value);
  if (kind === 'nonnegative_int') return intProblem(value, 0);
  if (kind === 'positive_int') return intProblem(value, 1);
  if (kind === 'align') return align ? choiceProblem(value, align) : undefined;
  if (kind.startsWith('choice ')) return choiceProblem(value, kind.split(' ').slice(1));
  if (kind === 'length') return measureProblem(value, [...CSS3_LENGTH_UNITS, '']);
  if (kind === 'length_or_percentage') return measureProblem(value, [...CSS3_LENGTH_UNITS, '%', '']);
  if (kind === 'figwidth') return value.toLowerCase() === 'image' ? undefined : measureProblem(value, [...CSS3_LENGTH_UNITS, '%', '']);
  // percentage: the value without trailing spaces and percent signs, a nonnegative integer.
  if (kind === 'percentage') return intProblem(value.replace(/[ %]+$/, ''), 0);
  if (kind === 'class') return classProblem(value);
  if (kind === 'char') return charProblem(value);
  if (kind === 'char_or_whitespace') return value === 'tab' || value === 'space' ? undefined : charProblem(value);
  if (kind.includes(' or ')) return valueOrProblem(kind, value);
  return undefined;
}
