// An enumerated list's enumerator as docutils reads it (states.Body: the `enumerator` pattern,
// parse_enumerator, make_enumerator): arabic numbers, letters and Roman numerals in either case, or
// "#", each as "1.", "1)" or "(1)". A single letter that is also a Roman numeral is a letter, but for
// "i" and "I" first in a list, and for the sequence the list already has.

/** docutils' enumeration sequences, in the order it tries them (Body.enum.sequences). */
export type Sequence = 'arabic' | 'loweralpha' | 'upperalpha' | 'lowerroman' | 'upperroman';
const SEQUENCES: Array<[Sequence, RegExp]> = [
  ['arabic', /^[0-9]+$/],
  ['loweralpha', /^[a-z]$/],
  ['upperalpha', /^[A-Z]$/],
  ['lowerroman', /^[ivxlcdm]+$/],
  ['upperroman', /^[IVXLCDM]+$/],
];
const SEQUENCE_PATTERN = new Map(SEQUENCES);

const ENUM = '[0-9]+|[a-z]|[A-Z]|[ivxlcdm]+|[IVXLCDM]+|#';
/** Body.patterns['enumerator'], with the spaces after it. */
export const ENUMERATOR = new RegExp(`^(?:\\((${ENUM})\\)|(${ENUM})\\)|(${ENUM})\\.)( +|$)`);

export interface Enumerator {
  /** The sequence the text was read in, or "#". */
  sequence: Sequence | '#';
  /** Its value ("#" is 1); null for a Roman numeral docutils cannot read, which makes no item. */
  ordinal: bigint | null;
  prefix: '(' | '';
  suffix: ')' | '.';
  /** The enumerator with the spaces after it. */
  marker: string;
}

/**
 * parse_enumerator of the enumerator `text` starts with, if any: `expected` is the sequence of the
 * list it may go on (tried first), else "i" and "I" are Roman and other text is read in the first
 * sequence that matches it.
 */
export function readEnumerator(text: string, expected?: Sequence): Enumerator | undefined {
  const m = ENUMERATOR.exec(text);
  if (!m) return undefined;
  const value = (m[1] ?? m[2] ?? m[3]) as string;
  const sequence = value === '#' ? '#' : sequenceOf(value, expected);
  return {
    sequence,
    ordinal: sequence === '#' ? 1n : ordinalOf(value, sequence),
    prefix: m[1] === undefined ? '' : '(',
    suffix: m[3] === undefined ? ')' : '.',
    marker: m[0],
  };
}

/** The sequence of the list whose first item is `e` (Body.enumerator's enumtype): "#" begins an arabic one. */
export const listSequence = (e: Enumerator): Sequence => (e.sequence === '#' ? 'arabic' : e.sequence);

function sequenceOf(value: string, expected: Sequence | undefined): Sequence {
  if (expected && SEQUENCE_PATTERN.get(expected)?.test(value)) return expected;
  if (!expected && value === 'i') return 'lowerroman';
  if (!expected && value === 'I') return 'upperroman';
  return (SEQUENCES.find(([, pattern]) => pattern.test(value)) as [Sequence, RegExp])[0];
}

function ordinalOf(value: string, sequence: Sequence): bigint | null {
  if (sequence === 'arabic') return BigInt(value);
  if (sequence === 'loweralpha') return BigInt(value.charCodeAt(0) - 96);
  if (sequence === 'upperalpha') return BigInt(value.charCodeAt(0) - 64);
  return fromRoman(value.toUpperCase());
}

/** RomanNumeral.from_string: 1 to 4,999 written in the one well-formed way, else null. */
const WELL_FORMED_ROMAN = /^M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/;
const ROMAN_VALUES: Array<[string, number]> = [
  ['M', 1000],
  ['CM', 900],
  ['D', 500],
  ['CD', 400],
  ['C', 100],
  ['XC', 90],
  ['L', 50],
  ['XL', 40],
  ['X', 10],
  ['IX', 9],
  ['V', 5],
  ['IV', 4],
  ['I', 1],
];

function fromRoman(upper: string): bigint | null {
  if (upper === '' || !WELL_FORMED_ROMAN.test(upper)) return null;
  let value = 0;
  let rest = upper;
  for (const [numeral, n] of ROMAN_VALUES) {
    while (rest.startsWith(numeral)) {
      value += n;
      rest = rest.slice(numeral.length);
    }
  }
  return BigInt(value);
}

function toRoman(n: number): string {
  let out = '';
  for (const [numeral, value] of ROMAN_VALUES) {
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  }
  return out;
}

/**
 * make_enumerator: the next item's enumerator after `e`'s and the auto-enumerator, each with the
 * space after it; undefined after an invalid numeral, past "z" or past 4,999 in Roman numerals.
 */
export function nextEnumerators(e: Enumerator): [string, string] | undefined {
  if (e.ordinal === null) return undefined;
  const ordinal = e.ordinal + 1n;
  let text: string;
  if (e.sequence === '#') text = '#';
  else if (e.sequence === 'arabic') text = String(ordinal);
  else if (e.sequence.endsWith('alpha')) {
    if (ordinal > 26n) return undefined;
    text = String.fromCharCode(Number(ordinal) + 96);
  } else {
    if (ordinal > 4999n) return undefined;
    text = toRoman(Number(ordinal));
  }
  text = e.sequence.startsWith('upper') ? text.toUpperCase() : e.sequence.startsWith('lower') ? text.toLowerCase() : text;
  return [`${e.prefix}${text}${e.suffix} `, `${e.prefix}#${e.suffix} `];
}
