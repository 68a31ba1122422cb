// The parts of the `idna` package (warehouse's pin) that email-validator calls for a domain:
// uts46_remap(domain, std3_rules=False, transitional=False) and the checks alabel makes of a
// non-ASCII label (check_label: NFC, hyphens, a leading combining mark, the IDNA 2008 class of each
// code point, the Bidi rule), with their error texts, which PyPI quotes. The tables come from the pin
// (scripts/gen-idna-data.py → data/idna.json). The CONTEXTJ contexts (joiners) are left to the
// A-label conversion that follows (Node's UTS #46, which checks joiners).

import idna from './data/idna.json' with { type: 'json' };
import { pyRepr } from './pyrepr.ts';

/** idna.IDNAError (and InvalidCodepoint): the message is idna's. */
export class IDNAError extends Error {}

const STARTS: readonly number[] = idna.uts46.starts;
const STATUSES: string = idna.uts46.statuses;
const REPLACEMENTS: Readonly<Record<string, string>> = idna.uts46.replacements;
/** [first, last] ranges sorted, with their firsts for the binary search. */
interface Ranges {
  ranges: ReadonlyArray<readonly number[]>;
  starts: readonly number[];
}
const byStart = (r: ReadonlyArray<readonly number[]>): Ranges => {
  const ranges = [...r].sort((a, b) => (a[0] as number) - (b[0] as number));
  return { ranges, starts: ranges.map((a) => a[0] as number) };
};
const PVALID = byStart(idna.pvalid);
const CONTEXTJ = byStart(idna.contextj);
const CONTEXTO = byStart(idna.contexto);

const unot = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** bisect.bisect_right(sorted, x) - 1 over range starts: the range holding x. */
function rangeOf(starts: readonly number[], x: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < (starts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** uts46_remap(domain, std3_rules=False, transitional=False), then NFC. */
export function uts46Remap(domain: string): string {
  let out = '';
  let pos = 0;
  for (const char of domain) {
    pos++;
    const cp = char.codePointAt(0) as number;
    const i = cp < 256 ? cp : rangeOf(STARTS, cp);
    const status = STATUSES[i];
    const replacement = REPLACEMENTS[String(i)];
    if (status === 'V' || status === 'D' || (status === '3' && replacement === undefined)) out += char;
    else if (replacement !== undefined && (status === 'M' || status === '3')) out += replacement;
    else if (status !== 'I') throw new IDNAError(`Codepoint ${unot(cp)} not allowed at position ${pos} in ${pyRepr(domain)}`);
  }
  return out.normalize('NFC');
}

function within({ ranges, starts }: Ranges, cp: number): boolean {
  const r = ranges[rangeOf(starts, cp)];
  return r !== undefined && cp <= (r[1] as number);
}

const SCRIPT = {
  Greek: /\p{Script=Greek}/u,
  Hebrew: /\p{Script=Hebrew}/u,
  Japanese: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u,
};

/** valid_contexto (RFC 5892 appendix A): a CONTEXTO code point in its place in the label. */
function validContexto(label: string[], pos: number): boolean {
  const cp = (label[pos] as string).codePointAt(0) as number;
  const code = (c: string | undefined): number => c?.codePointAt(0) ?? -1;
  if (cp === 0xb7) return pos > 0 && pos < label.length - 1 && code(label[pos - 1]) === 0x6c && code(label[pos + 1]) === 0x6c;
  if (cp === 0x375) return pos < label.length - 1 && SCRIPT.Greek.test(label[pos + 1] as string);
  if (cp === 0x5f3 || cp === 0x5f4) return pos > 0 && SCRIPT.Hebrew.test(label[pos - 1] as string);
  if (cp === 0x30fb) return label.some((c) => c !== '\u30fb' && SCRIPT.Japanese.test(c));
  if (cp >= 0x660 && cp <= 0x669) return !label.some((c) => code(c) >= 0x6f0 && code(c) <= 0x6f9);
  if (cp >= 0x6f0 && cp <= 0x6f9) return !label.some((c) => code(c) >= 0x660 && code(c) <= 0x669);
  return false;
}

const BIDI_STARTS: readonly number[] = idna.bidi.starts;
const BIDI_CLASSES: readonly string[] = idna.bidi.classes;
const bidiClass = (c: string): string => BIDI_CLASSES[rangeOf(BIDI_STARTS, c.codePointAt(0) as number)] ?? '';
const RTL_ALLOWED = new Set(['R', 'AL', 'AN', 'EN', 'ES', 'CS', 'ET', 'ON', 'BN', 'NSM']);
const LTR_ALLOWED = new Set(['L', 'EN', 'ES', 'CS', 'ET', 'ON', 'BN', 'NSM']);

/** check_bidi (RFC 5893), for a label holding a right-to-left character. */
function checkBidi(chars: string[], label: string): void {
  let rtlLabel = false;
  chars.forEach((c, i) => {
    const d = bidiClass(c);
    if (d === '') throw new IDNAError(`Unknown directionality in label ${pyRepr(label)} at position ${i + 1}`);
    if (d === 'R' || d === 'AL' || d === 'AN') rtlLabel = true;
  });
  if (!rtlLabel) return;
  const first = bidiClass(chars[0] as string);
  if (first !== 'R' && first !== 'AL' && first !== 'L') throw new IDNAError(`First codepoint in label ${pyRepr(label)} must be directionality L, R or AL`);
  const rtl = first !== 'L';
  let validEnding = false;
  let numberType: string | undefined;
  chars.forEach((c, i) => {
    const d = bidiClass(c);
    if (!(rtl ? RTL_ALLOWED : LTR_ALLOWED).has(d))
      throw new IDNAError(`Invalid direction for codepoint at position ${i + 1} in a ${rtl ? 'right-to-left' : 'left-to-right'} label`);
    const ending = rtl ? ['R', 'AL', 'EN', 'AN'].includes(d) : d === 'L' || d === 'EN';
    if (ending) validEnding = true;
    else if (d !== 'NSM') validEnding = false;
    if (rtl && (d === 'AN' || d === 'EN')) {
      if (numberType === undefined) numberType = d;
      else if (numberType !== d) throw new IDNAError('Can not mix numeral types in a right-to-left label');
    }
  });
  if (!validEnding) throw new IDNAError('Label ends with illegal codepoint directionality');
}

/** check_label's checks (the joiner contexts are left to the A-label conversion), for a non-ASCII label. */
export function checkLabel(label: string): void {
  if (label.normalize('NFC') !== label) throw new IDNAError('Label must be in Normalization Form C');
  if ([...label].slice(2, 4).join('') === '--') throw new IDNAError('Label has disallowed hyphens in 3rd and 4th position');
  if (label.startsWith('-') || label.endsWith('-')) throw new IDNAError('Label must not start or end with a hyphen');
  if (/^\p{M}/u.test(label)) throw new IDNAError('Label begins with an illegal combining character');
  const chars = [...label];
  chars.forEach((char, pos) => {
    const cp = char.codePointAt(0) as number;
    if (within(PVALID, cp) || within(CONTEXTJ, cp)) return;
    if (!within(CONTEXTO, cp)) throw new IDNAError(`Codepoint ${unot(cp)} at position ${pos + 1} of ${pyRepr(label)} not allowed`);
    if (!validContexto(chars, pos)) throw new IDNAError(`Codepoint ${unot(cp)} not allowed at position ${pos + 1} in ${pyRepr(label)}`);
  });
  checkBidi(chars, label);
}

/** encodings/punycode.py T(): the threshold of digit j. */
const threshold = (j: number, bias: number): number => Math.min(26, Math.max(1, 36 * (j + 1) - bias));

function adapt(delta: number, first: boolean, numchars: number): number {
  let d = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
  d += Math.floor(d / numchars);
  let divisions = 0;
  while (d > 455) {
    d = Math.floor(d / 35);
    divisions += 36;
  }
  return divisions + Math.floor((36 * d) / (d + 38));
}

/** Python's bytes.decode("punycode") (strict) of an ASCII string; throws IDNAError("Invalid A-label"). */
function punycodeDecode(text: string): string {
  const dash = text.lastIndexOf('-');
  const base = dash < 0 ? [] : [...text.slice(0, dash)];
  const extended = (dash < 0 ? text : text.slice(dash + 1)).toUpperCase();
  let char = 0x80;
  let pos = -1;
  let bias = 72;
  let extpos = 0;
  while (extpos < extended.length) {
    // decode_generalized_number
    let result = 0;
    let w = 1;
    let j = 0;
    let next = extpos;
    for (;;) {
      const c = extended.charCodeAt(next);
      if (Number.isNaN(c)) throw new IDNAError('Invalid A-label');
      next++;
      const digit = c >= 0x41 && c <= 0x5a ? c - 0x41 : c >= 0x30 && c <= 0x39 ? c - 22 : -1;
      if (digit < 0) throw new IDNAError('Invalid A-label');
      const t = threshold(j, bias);
      result += digit * w;
      if (digit < t) break;
      w *= 36 - t;
      j++;
    }
    pos += result + 1;
    char += Math.floor(pos / (base.length + 1));
    if (char > 0x10ffff) throw new IDNAError('Invalid A-label');
    pos %= base.length + 1;
    base.splice(pos, 0, String.fromCodePoint(char));
    bias = adapt(result, extpos === 0, base.length);
    extpos = next;
  }
  return base.join('');
}

/** idna.ulabel of one label of an ASCII domain: an A-label ("xn--…") decoded and checked. */
export function ulabel(label: string): string {
  const lower = label.toLowerCase();
  if (!lower.startsWith('xn--')) return lower;
  const rest = lower.slice(4);
  if (!rest) throw new IDNAError('Malformed A-label, no Punycode eligible content found');
  if (rest.endsWith('-')) throw new IDNAError('A-label must not end with a hyphen');
  const decoded = punycodeDecode(rest);
  checkLabel(decoded);
  return decoded;
}
