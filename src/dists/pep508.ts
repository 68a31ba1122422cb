// PEP 508 dependency specifiers and PEP 440 specifier sets as packaging (at the version warehouse
// pins, 26.2) parses them: src/packaging/_tokenizer.py, _parser.py, requirements.py, specifiers.py.
// The grammar, the token rules and the error texts are packaging's, because PyPI quotes them
// ("'x' is invalid: Expected ..." for Provides-Dist / Obsoletes-Dist) and refuses exactly what they
// refuse. Written from packaging's grammar comments; no code of it is copied.

import { pyRepr } from './pyrepr.ts';
import { PY_WORD_CHARS } from './python-classes.ts';
import { PYTHON_SPACE, pyStrip } from './python-space.ts';

/** packaging.requirements.InvalidRequirement: the message is ParserSyntaxError's three-line text. */
export class InvalidRequirement extends Error {}

// One PEP 440 specifier (packaging Specifier._specifier_regex_str): "===" takes almost anything;
// "=="/"!=" allow ".*" or a local label; "~=" needs two release parts; the others no local label.
const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST = '(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const LOCAL = '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?';
// packaging's \s is Python's: Unicode whitespace with \x1c-\x1f and \x85, without \ufeff.
const S = `[${PYTHON_SPACE}]`;
const SPECIFIER_BODY =
  '(?:' +
  `(?:===${S}*[^${PYTHON_SPACE};)]*)` +
  `|(?:(?:==|!=)${S}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL})?)` +
  `|(?:~=${S}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV})` +
  `|(?:(?:<=|>=|<|>)${S}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*${PRE}${POST}${DEV})` +
  ')';
const SPECIFIER_FULL = new RegExp(`^${S}*${SPECIFIER_BODY}${S}*$`, 'i');
/** A specifier's operator and the white space after it, which str(Specifier) drops. */
const OPERATOR_AND_SPACE = new RegExp(`^(===|~=|==|!=|<=|>=|<|>)${S}*`);

/** SpecifierSet(value): a comma-separated list of specifiers; empty items are skipped. */
export function specifierSetError(value: string): string | undefined {
  for (const item of value.split(',')) {
    const s = pyStrip(item);
    if (s && !SPECIFIER_FULL.test(s)) return `Invalid specifier: ${pyRepr(s)}`;
  }
  return undefined;
}

// ---- Tokenizer: each rule is tried at the current position (Python's pattern.match(source, pos)).
// Python's \b is Unicode-aware (word = letters, digits, "_"); JS's is ASCII-only, so it is spelt out.
const W = `[${PY_WORD_CHARS}_]`;
const B = `(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
const rule = (source: string): RegExp => new RegExp(source.replaceAll('\\b', B), 'uy');
const RULES: Record<string, RegExp> = {
  LEFT_PARENTHESIS: /\(/y,
  RIGHT_PARENTHESIS: /\)/y,
  LEFT_BRACKET: /\[/y,
  RIGHT_BRACKET: /\]/y,
  SEMICOLON: /;/y,
  COMMA: /,/y,
  QUOTED_STRING: /(?:'[^']*')|(?:"[^"]*")/y,
  OP: /(?:===|==|~=|!=|<=|>=|<|>)/y,
  BOOLOP: rule('\\b(?:or|and)\\b'),
  IN: rule('\\bin\\b'),
  NOT: rule('\\bnot\\b'),
  VARIABLE: rule(
    '\\b(?:python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|' +
      'platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|' +
      'extras?|dependency_groups)\\b',
  ),
  SPECIFIER: new RegExp(SPECIFIER_BODY, 'iy'),
  AT: /@/y,
  URL: /[^ \t]+/y,
  IDENTIFIER: rule('\\b[a-zA-Z0-9][a-zA-Z0-9._-]*\\b'),
  VERSION_PREFIX_TRAIL: /\.\*/y,
  VERSION_LOCAL_LABEL_TRAIL: /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y,
  WS: /[ \t]+/y,
  // Python's "$": the end, or just before a final newline.
  END: /(?=\n?$)/y,
};

class Tokenizer {
  position = 0;
  #next: string | undefined;
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }

  check(name: string, peek = false): boolean {
    const re = RULES[name] as RegExp;
    re.lastIndex = this.position;
    const m = re.exec(this.source);
    if (!m) return false;
    if (!peek) this.#next = m[0];
    return true;
  }
  read(): string {
    const text = this.#next ?? '';
    this.position += text.length;
    this.#next = undefined;
    return text;
  }
  consume(name: string): void {
    if (this.check(name)) this.read();
  }
  expect(name: string, expected: string): string {
    if (!this.check(name)) this.fail(`Expected ${expected}`);
    return this.read();
  }
  fail(message: string, spanStart = this.position, spanEnd = this.position): never {
    const marker = ' '.repeat(spanStart) + '~'.repeat(Math.max(0, spanEnd - spanStart)) + '^';
    throw new InvalidRequirement(`${message}\n    ${this.source}\n    ${marker}`);
  }
  /** `with enclosing_tokens(open, close, around)`: the body runs; a missing close is an error. */
  enclosed<T>(open: string, close: string, around: string, body: () => T): T {
    let openAt: number | undefined;
    if (this.check(open)) {
      openAt = this.position;
      this.read();
    }
    const out = body();
    if (openAt === undefined) return out;
    if (!this.check(close)) this.fail(`Expected matching ${close} for ${open}, after ${around}`, openAt);
    this.read();
    return out;
  }
}

export interface ParsedRequirement {
  name: string;
  url: string;
  extras: string[];
  specifier: string;
  /** str(Marker): packaging's normalized spelling (double quotes, single spaces, extras normalized). */
  marker?: string;
}

// A parsed marker: [atom, "and" | "or", atom, ...]; an atom is an item or a parenthesized list.
type MarkerItem = [left: MarkerVar, op: string, right: MarkerVar];
interface MarkerVar {
  variable: boolean;
  value: string;
}
type MarkerList = Array<MarkerList | MarkerItem | string>;

const canonical = (s: string): string => s.toLowerCase().replace(/[-_.]+/g, '-');

function normalizeExtra(atom: MarkerList | MarkerItem | string): MarkerList | MarkerItem | string {
  if (!Array.isArray(atom) || atom.length !== 3 || typeof atom[1] !== 'string' || typeof atom[0] !== 'object' || Array.isArray(atom[0])) return atom;
  const [l, op, r] = atom as MarkerItem;
  if (l.variable && l.value === 'extra') return [l, op, { variable: false, value: canonical(r.value) }];
  if (r.variable && r.value === 'extra') return [{ variable: false, value: canonical(l.value) }, op, r];
  return atom;
}

const isItem = (m: MarkerList | MarkerItem | string): m is MarkerItem =>
  Array.isArray(m) && m.length === 3 && typeof m[1] === 'string' && typeof m[0] === 'object' && !Array.isArray(m[0]);

/** packaging markers._format_marker. */
function formatMarker(m: MarkerList | MarkerItem | string, first = true): string {
  if (typeof m === 'string') return m;
  if (isItem(m)) return m.map((v) => (typeof v === 'string' ? v : v.variable ? v.value : `"${v.value}"`)).join(' ');
  if (m.length === 1 && typeof m[0] !== 'string') return formatMarker(m[0] as MarkerList | MarkerItem);
  const inner = m.map((x) => formatMarker(x, false)).join(' ');
  return first ? inner : `(${inner})`;
}

/** packaging.requirements.Requirement(text); throws InvalidRequirement with packaging's message. */
export function parseRequirement(source: string): ParsedRequirement {
  const t = new Tokenizer(source);
  t.consume('WS');
  const name = t.expect('IDENTIFIER', 'package name at the start of dependency specifier');
  t.consume('WS');
  const extras = parseExtras(t);
  t.consume('WS');
  const details = parseDetails(t);
  t.expect('END', 'end of dependency specifier');
  const { marker, ...rest } = details;
  return { name, extras, ...rest, ...(marker ? { marker: formatMarker(marker.map(normalizeExtra)) } : {}) };
}

/** str(Requirement): how PyPI quotes a Requires-Dist it refuses for its direct URL. */
export function requirementString(r: ParsedRequirement): string {
  let out = r.name;
  if (r.extras.length) out += `[${[...new Set(r.extras)].sort().join(',')}]`;
  if (r.specifier)
    out += r.specifier
      .split(',')
      .map((x) => pyStrip(x))
      .filter(Boolean)
      .map((x) => x.replace(OPERATOR_AND_SPACE, '$1'))
      .sort()
      .join(',');
  if (r.url) out += ` @ ${r.url}${r.marker ? ' ' : ''}`;
  if (r.marker) out += `; ${r.marker}`;
  return out;
}

type Details = { url: string; specifier: string; marker?: MarkerList };

function parseDetails(t: Tokenizer): Details {
  if (t.check('AT')) {
    t.read();
    t.consume('WS');
    const urlStart = t.position;
    const url = t.expect('URL', 'URL after @');
    if (t.check('END', true)) return { url, specifier: '' };
    t.expect('WS', 'whitespace after URL');
    if (t.check('END', true)) return { url, specifier: '' };
    return { url, specifier: '', marker: parseRequirementMarker(t, urlStart, 'semicolon (after URL and whitespace)') };
  }
  const specifierStart = t.position;
  const specifier = t.enclosed('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'version specifier', () => {
    t.consume('WS');
    const s = parseVersionMany(t);
    t.consume('WS');
    return s;
  });
  t.consume('WS');
  if (t.check('END', true)) return { url: '', specifier };
  const marker = parseRequirementMarker(
    t,
    specifierStart,
    specifier ? 'comma (within version specifier), semicolon (after version specifier)' : 'semicolon (after name with no version specifier)',
  );
  return { url: '', specifier, marker };
}

function parseRequirementMarker(t: Tokenizer, spanStart: number, expected: string): MarkerList {
  if (!t.check('SEMICOLON')) t.fail(`Expected ${expected} or end`, spanStart, t.position);
  t.read();
  const marker = parseMarker(t);
  t.consume('WS');
  return marker;
}

function parseExtras(t: Tokenizer): string[] {
  if (!t.check('LEFT_BRACKET', true)) return [];
  return t.enclosed('LEFT_BRACKET', 'RIGHT_BRACKET', 'extras', () => {
    t.consume('WS');
    const extras: string[] = [];
    if (t.check('IDENTIFIER')) {
      extras.push(t.read());
      for (;;) {
        t.consume('WS');
        if (t.check('IDENTIFIER', true)) t.fail('Expected comma between extra names');
        else if (!t.check('COMMA')) break;
        t.read();
        t.consume('WS');
        extras.push(t.expect('IDENTIFIER', 'extra name after comma'));
      }
    }
    t.consume('WS');
    return extras;
  });
}

function parseVersionMany(t: Tokenizer): string {
  let out = '';
  while (t.check('SPECIFIER')) {
    const spanStart = t.position;
    out += t.read();
    if (t.check('VERSION_PREFIX_TRAIL', true)) t.fail('.* suffix can only be used with `==` or `!=` operators', spanStart, t.position + 1);
    if (t.check('VERSION_LOCAL_LABEL_TRAIL', true)) t.fail('Local version label can only be used with `==` or `!=` operators', spanStart, t.position);
    t.consume('WS');
    if (!t.check('COMMA')) break;
    out += t.read();
    t.consume('WS');
  }
  return out;
}

function parseMarker(t: Tokenizer): MarkerList {
  const out: MarkerList = [parseMarkerAtom(t)];
  while (t.check('BOOLOP')) {
    const op = t.read();
    out.push(op, parseMarkerAtom(t));
  }
  return out;
}

function parseMarkerAtom(t: Tokenizer): MarkerList | MarkerItem {
  t.consume('WS');
  let atom: MarkerList | MarkerItem;
  if (t.check('LEFT_PARENTHESIS', true)) {
    atom = t.enclosed('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'marker expression', () => {
      t.consume('WS');
      const m = parseMarker(t);
      t.consume('WS');
      return m;
    });
  } else {
    t.consume('WS');
    const left = parseMarkerVar(t);
    t.consume('WS');
    const op = parseMarkerOp(t);
    t.consume('WS');
    const right = parseMarkerVar(t);
    t.consume('WS');
    atom = [left, op, right];
  }
  t.consume('WS');
  return atom;
}

/** What Python raises beyond InvalidRequirement while reading a requirement: warehouse catches none of it. */
export class PythonCrash extends Error {
  /** The field whose value raised, once a caller knows it. */
  field?: string;
  readonly exception: string;
  readonly text: string;
  constructor(exception: string, text: string) {
    super(`${exception} on ${text}`);
    this.exception = exception;
    this.text = text;
  }
}

/**
 * What ast.literal_eval raises on a quoted string of a marker, which packaging evaluates as Python
 * source: a line break or a NUL inside it (not a break a backslash continues), a backslash that escapes the
 * closing quote, a \x, \u or \U escape without its hex digits (or past U+10FFFF), a \N without its
 * {name} (whether the name exists is not checked).
 */
function literalEvalError(q: string): string | undefined {
  const body = q.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    // A NUL: "source code string cannot contain null bytes" (a ValueError before CPython 3.11.4).
    if (body[i] === '\n' || body[i] === '\r' || body[i] === '\0') return 'SyntaxError';
    if (body[i] !== '\\') continue;
    const next = body[i + 1];
    const rest = body.slice(i + 2);
    const hex = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (next === undefined) return 'SyntaxError';
    if (hex) {
      const digits = new RegExp(`^[0-9a-fA-F]{${hex}}`).exec(rest)?.[0];
      if (digits === undefined || Number.parseInt(digits, 16) > 0x10ffff) return 'SyntaxError';
    }
    if (next === 'N' && !/^\{[A-Za-z0-9 -]+\}/.test(rest)) return 'SyntaxError';
    // A backslash before a line break continues the string (a \r\n counts as one break).
    i += next === '\r' && rest.startsWith('\n') ? 2 : 1;
  }
  return undefined;
}

/** A quoted string's value (Python literal_eval of a plain quoted string; escapes are not applied). */
const unquote = (q: string): string => {
  const crash = literalEvalError(q);
  if (crash) throw new PythonCrash(crash, q);
  return q.slice(1, -1);
};

function parseMarkerVar(t: Tokenizer): MarkerVar {
  if (t.check('VARIABLE')) {
    const v = t.read().replace(/\./g, '_');
    return { variable: true, value: v === 'python_implementation' ? 'platform_python_implementation' : v };
  }
  if (t.check('QUOTED_STRING')) return { variable: false, value: unquote(t.read()) };
  return t.fail('Expected a marker variable or quoted string');
}

function parseMarkerOp(t: Tokenizer): string {
  if (t.check('IN')) {
    t.read();
    return 'in';
  }
  if (t.check('NOT')) {
    t.read();
    t.expect('WS', "whitespace after 'not'");
    t.expect('IN', "'in' after 'not'");
    return 'not in';
  }
  if (t.check('OP')) return t.read();
  return t.fail('Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in');
}
