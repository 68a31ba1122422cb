// The parameters of a Content-Type value as Python's email package reads them
// (email/_header_value_parser.py: parse_content_type_header, parse_mime_parameters, get_parameter;
// MimeParameters.params and ContentTypeHeader.params), which packaging's Description-Content-Type
// check asks for charset and variant. Its error recovery decides what PyPI sees: a value ends at the
// first character a token cannot hold ("UTF-8 x" is UTF-8), a repeated name keeps its first value,
// a comment or a quote left open runs to the end, and a parameter that does not parse is dropped.
// Encoded words and RFC 2231 continuations are read only as far as plain values go.

import { PY_SPACE_CHAR, pyStrip } from './python-space.ts';
import { PY_LINE_BOUNDARY } from './python-text.ts';

const WSP = ' \t';
const TSPECIALS = '()<>@,:;\\"[]/?=';
const ATTRIBUTE_ENDS = `${TSPECIALS}*'%${WSP}`;
const EXTENDED_ATTRIBUTE_ENDS = `${TSPECIALS}*'${WSP}`;

const isIn = (set: string, ch: string | undefined): boolean => ch !== undefined && set.includes(ch);

/** HeaderParseError: the parameter being read is dropped. */
class ParseFail extends Error {}
/** The IndexError get_parameter raises on a name and "*" (or "*0*") that end the value. */
class IndexErrorCrash extends Error {}

interface Param {
  name: string;
  value: string;
  extended: boolean;
  section: number;
  charset: string;
}

class Cursor {
  i = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  /** The character at the cursor (a method: a getter's value would be narrowed between reads). */
  at(): string | undefined {
    return this.s[this.i];
  }
  /** [CFWS]: white space and (nested, \-escaping) comments; an open comment runs to the end. */
  cfws(): void {
    while (this.at() !== undefined && (isIn(WSP, this.at()) || this.at() === '(')) {
      if (this.at() !== '(') {
        // get_fws: value.lstrip(), so a space or tab takes all Unicode whitespace after it.
        while (this.at() !== undefined && PY_SPACE_CHAR.test(this.at() as string)) this.i++;
        continue;
      }
      let depth = 0;
      while (this.at() !== undefined) {
        const c = this.at();
        this.i += c === '\\' ? 2 : 1;
        if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
    }
  }
  /** A run of characters none of which is in `ends` (one at least, or the parameter is dropped). */
  run(ends: string): string {
    const start = this.i;
    while (this.at() !== undefined && !isIn(ends, this.at())) this.i++;
    if (this.i === start) throw new ParseFail();
    return this.s.slice(start, this.i);
  }
  /** A quoted string's content, backslashes unescaped; an open quote runs to the end. */
  quoted(): string {
    let out = '';
    this.i++;
    while (this.at() !== undefined && this.at() !== '"') {
      if (this.at() === '\\') this.i++;
      out += this.at() ?? '';
      this.i++;
    }
    this.i++;
    return out;
  }
  /** get_invalid_parameter: everything up to the next ";" outside quotes and comments. */
  skipToSemicolon(): void {
    while (this.at() !== undefined && this.at() !== ';') {
      if (this.at() === '"') this.quoted();
      else if (this.at() === '(') this.cfws();
      else this.i++;
    }
  }
}

/** get_value: a quoted string or an extended attribute, with the comments around it. */
function readValue(c: Cursor): string {
  if (c.at() === undefined) throw new ParseFail();
  c.cfws();
  if (c.at() === undefined) throw new ParseFail();
  if (c.at() === '"') {
    const v = c.quoted();
    c.cfws();
    return v;
  }
  const v = c.run(EXTENDED_ATTRIBUTE_ENDS);
  c.cfws();
  return v;
}

/** The charset'language' prefix of an RFC 2231 value, then the value: get_parameter's second half. */
function readEncodedValue(c: Cursor, p: Param, first: string | undefined): Param {
  if (first !== undefined) p.charset = first;
  if (c.at() !== "'") throw new ParseFail();
  c.i++;
  if (c.at() !== undefined && c.at() !== "'") {
    c.run(ATTRIBUTE_ENDS);
    if (c.at() !== "'") throw new ParseFail();
  }
  c.i++;
  p.value = readValue(c);
  return p;
}

/** get_parameter: attribute [section] ["*"] "=" value. */
function readParam(c: Cursor): Param {
  c.cfws();
  if (c.at() === undefined || isIn(ATTRIBUTE_ENDS, c.at())) throw new ParseFail();
  const p: Param = { name: pyStrip(c.run(ATTRIBUTE_ENDS)), value: '', extended: false, section: 0, charset: 'us-ascii' };
  c.cfws();
  if (c.at() === undefined || c.at() === ';') return p;
  if (c.at() === '*') {
    const digits = /^\*([0-9]+)/.exec(c.s.slice(c.i));
    if (digits) {
      p.section = Number(digits[1]);
      c.i += digits[0].length;
    }
    if (c.at() === undefined) throw new ParseFail();
    if (c.at() === '*') {
      p.extended = true;
      c.i++;
      // get_parameter reads value[0] of what is left: nothing is left.
      if (c.at() === undefined) throw new IndexErrorCrash();
    }
  }
  if (c.at() !== '=') throw new ParseFail();
  c.i++;
  c.cfws();
  const token = c.at() === "'" ? undefined : readValue(c);
  if (!p.extended || p.section > 0) {
    if (c.at() !== "'") return { ...p, value: token ?? '' };
    return readEncodedValue(c, p, token);
  }
  if (c.at() === undefined) return { ...p, value: token ?? '' };
  return readEncodedValue(c, p, token);
}

/** parse_mime_parameters over what follows the first ";". */
function readParams(text: string): Param[] {
  const c = new Cursor(text);
  const out: Param[] = [];
  while (c.at() !== undefined) {
    const start = c.i;
    try {
      out.push(readParam(c));
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e;
      c.i = start;
      c.cfws();
      if (c.at() === undefined) return out;
      if (c.at() !== ';') c.skipToSemicolon();
    }
    // Junk after a value (or after a stray ";") runs to the next ";".
    if (c.at() !== undefined && c.at() !== ';') c.skipToSemicolon();
    if (c.at() !== undefined) c.i++;
  }
  return out;
}

/** An RFC 2231 value's %XX escapes, decoded in its charset (UTF-8 or, failing that, one byte a character). */
function percentDecode(value: string, charset: string): string {
  if (!/%[0-9a-fA-F]{2}/.test(value)) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const m = /^%([0-9a-fA-F]{2})/.exec(value.slice(i));
    if (m) {
      bytes.push(Number.parseInt(m[1] as string, 16));
      i += 2;
    } else for (const b of Buffer.from(value[i] as string, 'utf8')) bytes.push(b);
  }
  const buf = Buffer.from(bytes);
  return /^utf-?8$/i.test(charset) ? buf.toString('utf8') : buf.toString('latin1');
}

/** ContentTypeHeader.params of `value`: names lower-cased, each name's first value. */
export function contentTypeParams(value: string): Map<string, string> {
  // The parameters start after the first ";" outside quotes and comments.
  const start = new Cursor(value);
  start.skipToSemicolon();
  const groups = new Map<string, Param[]>();
  for (const p of start.at() === undefined ? [] : readParams(value.slice(start.i + 1))) {
    const group = groups.get(p.name) ?? [];
    group.push(p);
    groups.set(p.name, group);
  }
  const out = new Map<string, string>();
  for (const [name, group] of groups) {
    let parts = [...group].sort((a, b) => a.section - b.section);
    const first = parts[0] as Param;
    if (!first.extended && parts.length > 1 && parts[1]?.section === 0) parts = parts.slice(0, 1);
    let joined = '';
    let i = 0;
    for (const p of parts) {
      if (p.section !== i && !p.extended) continue;
      i++;
      joined += p.extended ? percentDecode(p.value, first.charset) : p.value;
    }
    out.set(name.toLowerCase(), joined);
  }
  return out;
}

/**
 * What storing and reading `value` as a Content-Type raises, beyond a parse defect: EmailMessage
 * refuses a value of more than one line (ValueError: a folded header), and the header parser fails
 * on a parameter name ending the value with "*" (IndexError, in every CPython to 3.13).
 */
export function contentTypeCrash(value: string): string | undefined {
  // More than one line (str.splitlines) in a header value is what EmailMessage refuses.
  const lines = value.split(PY_LINE_BOUNDARY);
  if (lines.length > 2 || (lines.length === 2 && lines[1] !== '')) return 'ValueError';
  try {
    contentTypeParams(value);
  } catch (e) {
    if (e instanceof IndexErrorCrash) return 'IndexError';
    throw e;
  }
  return undefined;
}
