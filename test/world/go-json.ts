// Go's encoding/json syntax errors, for the world's stand-ins of Go servers (Fulcio, Rekor): a port of
// the scanner's states (encoding/json/scanner.go), so that a malformed body is refused in the words
// the real server uses. `unmarshal` reads as json.Unmarshal does (the whole text is one value);
// `decoder` as json.Decoder.Decode does (the first value; what follows it is not read).

type Step = (c: string) => Step | string | undefined;
type Frame = 'objectKey' | 'objectValue' | 'array';

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\' };

/**
 * One byte as Go quotes it in an error (quoteChar: strconv.Quote of the byte taken as a rune, U+0000
 * to U+00FF): 'x', '\n', '\x01', '\u0085', 'é', '\''.
 */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const code = c.charCodeAt(0);
  if (GO_ESCAPES[c]) return `'${GO_ESCAPES[c]}'`;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  // strconv.IsPrint: the C1 controls, the no-break space and the soft hyphen are not printable.
  if ((code >= 0x80 && code <= 0xa0) || code === 0xad) return `'\\u${code.toString(16).padStart(4, '0')}'`;
  return `'${c}'`;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const fail = (c: string, context: string) => `invalid character ${quoteChar(c)} ${context}`;

class Scanner {
  readonly stack: Frame[] = [];
  /** the top-level value is complete */
  done = false;
  /** it was completed by a byte that is not part of it (the one after a number) */
  endedBefore = false;

  beginValue: Step = (c) => {
    if (isSpace(c)) return this.beginValue;
    if (c === '{') return (this.stack.push('objectKey'), this.beginStringOrEmpty);
    if (c === '[') return (this.stack.push('array'), this.beginValueOrEmpty);
    if (c === '"') return this.inString;
    if (c === '-') return this.neg;
    if (c === '0') return this.zero;
    if (isDigit(c)) return this.digits;
    if (c === 't') return this.literal('true', 1);
    if (c === 'f') return this.literal('false', 1);
    if (c === 'n') return this.literal('null', 1);
    return fail(c, 'looking for beginning of value');
  };

  beginValueOrEmpty: Step = (c) => (isSpace(c) ? this.beginValueOrEmpty : c === ']' ? this.endValue(c) : this.beginValue(c));

  beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return this.beginStringOrEmpty;
    if (c === '}') return ((this.stack[this.stack.length - 1] = 'objectValue'), this.endValue(c));
    return this.beginString(c);
  };

  beginString: Step = (c) => (isSpace(c) ? this.beginString : c === '"' ? this.inString : fail(c, 'looking for beginning of object key string'));

  /** After a value (or, given `]` or `}`, at the end of an empty container). */
  endValue: Step = (c) => {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return ((this.done = true), this.endTop(c));
    if (isSpace(c)) return this.endValue;
    if (top === 'objectKey') return c === ':' ? ((this.stack[this.stack.length - 1] = 'objectValue'), this.beginValue) : fail(c, 'after object key');
    if (top === 'objectValue') {
      if (c === ',') return ((this.stack[this.stack.length - 1] = 'objectKey'), this.beginString);
      if (c === '}') return (this.stack.pop(), this.afterClose());
      return fail(c, 'after object key:value pair');
    }
    if (c === ',') return this.beginValue;
    if (c === ']') return (this.stack.pop(), this.afterClose());
    return fail(c, 'after array element');
  };

  afterClose(): Step {
    if (this.stack.length === 0) this.done = true;
    return this.stack.length === 0 ? this.endTop : this.endValue;
  }

  endTop: Step = (c) => (isSpace(c) ? this.endTop : fail(c, 'after top-level value'));

  inString: Step = (c) => {
    if (c === '"') return this.stack.length === 0 ? ((this.done = true), this.endTop) : this.endValue;
    if (c === '\\') return this.inStringEscape;
    if (c < ' ') return fail(c, 'in string literal');
    return this.inString;
  };

  inStringEscape: Step = (c) => {
    if ('bfnrt\\/"'.includes(c)) return this.inString;
    if (c === 'u') return this.unicodeEscape(4);
    return fail(c, 'in string escape code');
  };

  unicodeEscape(left: number): Step {
    return (c) => (isHex(c) ? (left === 1 ? this.inString : this.unicodeEscape(left - 1)) : fail(c, 'in \\u hexadecimal character escape'));
  }

  neg: Step = (c) => (c === '0' ? this.zero : isDigit(c) ? this.digits : fail(c, 'in numeric literal'));
  digits: Step = (c) => (isDigit(c) ? this.digits : this.zero(c));
  zero: Step = (c) => (c === '.' ? this.dot : c === 'e' || c === 'E' ? this.exponent : this.numberEnd(c));
  dot: Step = (c) => (isDigit(c) ? this.fraction : fail(c, 'after decimal point in numeric literal'));
  fraction: Step = (c) => (isDigit(c) ? this.fraction : c === 'e' || c === 'E' ? this.exponent : this.numberEnd(c));
  exponent: Step = (c) => (c === '+' || c === '-' ? this.exponentSign : this.exponentSign(c));
  exponentSign: Step = (c) => (isDigit(c) ? this.exponentDigits : fail(c, 'in exponent of numeric literal'));
  exponentDigits: Step = (c) => (isDigit(c) ? this.exponentDigits : this.numberEnd(c));

  /** A number ends at the first byte that is not part of it; a top-level one ends the value there. */
  numberEnd(c: string): Step | string | undefined {
    if (this.stack.length > 0) return this.endValue(c);
    this.done = true;
    this.endedBefore = true;
    return this.endTop(c);
  }

  literal(word: string, at: number): Step {
    return (c) => {
      if (c !== word[at]) return fail(c, `in literal ${word} (expecting ${quoteChar(word[at]!)})`);
      if (at + 1 < word.length) return this.literal(word, at + 1);
      return this.stack.length === 0 ? ((this.done = true), this.endTop) : this.endValue;
    };
  }
}

/**
 * Go's verdict on `input` (UTF-8 when a string): the error message, or the byte offset where the
 * (first) value ends. Go's scanner reads bytes, so this does too, each byte as the rune of its value.
 */
export function goJSON(input: string | Buffer, mode: 'unmarshal' | 'decoder'): { error: string } | { end: number } {
  const text = Buffer.from(input).toString('latin1');
  const scanner = new Scanner();
  let step: Step = scanner.beginValue;
  for (let i = 0; i < text.length; i++) {
    const next = step(text[i]!);
    // A decoder reads one value and stops: what follows it is not its concern.
    if (mode === 'decoder' && scanner.done) return { end: scanner.endedBefore ? i : i + 1 };
    if (typeof next === 'string') return { error: next };
    step = next!;
  }
  if (text.trim() === '') return { error: mode === 'decoder' ? 'EOF' : 'unexpected end of JSON input' };
  // At the end of the text the scanner is fed a space: a number is then complete. json.Unmarshal keeps
  // the error that space makes (inside a literal, say); a decoder says only that the text ended.
  const last = scanner.done ? undefined : step(' ');
  if (scanner.done) return { end: text.length };
  if (mode === 'unmarshal' && typeof last === 'string') return { error: last };
  return { error: mode === 'decoder' ? 'unexpected EOF' : 'unexpected end of JSON input' };
}

/**
 * Whether encoding/json decodes `key` into a struct field tagged `name`: exactly or without regard to
 * case (the Kelvin sign folds to k, the long s to s).
 */
export const goKeyMatches = (key: string, name: string): boolean =>
  key
    .replace(/\u212a/g, 'k')
    .replace(/\u017f/g, 's')
    .toLowerCase() === name.toLowerCase();

/**
 * The key and value decoded into the field tagged `name`: each key that matches is decoded in turn,
 * so the last one wins (Go 1.27's errors name the key as written).
 */
export function goFieldEntry<T>(object: Record<string, T>, name: string): [string, T] | undefined {
  let found: [string, T] | undefined;
  for (const [key, value] of Object.entries(object)) if (goKeyMatches(key, name)) found = [key, value];
  return found;
}

/** The value decoded into the field tagged `name` (the last key that matches). */
export function goField<T>(object: Record<string, T>, name: string): T | undefined {
  return goFieldEntry(object, name)?.[1];
}
