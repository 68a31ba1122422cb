// Go's strconv.Quote, for the world's messages that quote what a client sent as Go's servers do:
// printable runes (letters, marks, numbers, punctuation, symbols, ASCII space) as they are, the rest
// and every byte that is not UTF-8 escaped as Go escapes them.

/** The rune at `i` of a byte string as utf8.DecodeRune reads it: the text and its length, or undefined for an invalid byte. */
function rune(bytes: string, i: number): [string, number] | undefined {
  const lead = bytes.charCodeAt(i);
  const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return undefined;
  try {
    return [new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(bytes.slice(i, i + length), 'latin1')), length];
  } catch {
    return undefined;
  }
}

const QUOTED: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** strconv.Quote of a byte string (one character per byte, as latin1 holds it). */
export function goQuote(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const read = rune(bytes, i);
    if (!read) {
      out += `\\x${bytes.charCodeAt(i).toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    const [ch, length] = read;
    const cp = ch.codePointAt(0)!;
    if (QUOTED[ch]) out += QUOTED[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    i += length;
  }
  return `"${out}"`;
}

/** strconv.Quote of a string, as its UTF-8 bytes. */
export const goQuoteText = (text: string): string => goQuote(Buffer.from(text, 'utf8').toString('latin1'));
