// Python's character classes \w and \d as CPython 3.14's re reads a str pattern, and what its repr()
// escapes, in the Unicode of CPython 3.14 (16), which PyPI runs. Node's \p{L}\p{N}, \p{Nd} and \p{Cn}
// are the same classes in a newer Unicode: they take letters and digits PyPI's Python does not know,
// so a name PyPI refuses would pass, and print what PyPI's messages escape. The ranges come from that
// Python (scripts/gen-dist-data.py → data/python-classes.json).

import pythonClasses from './data/python-classes.json' with { type: 'json' };

type Ranges = Array<[number, number]>;

const hex = (n: number): string => n.toString(16);
const classBody = (ranges: Ranges): string => ranges.map(([a, b]) => (a === b ? `\\u{${hex(a)}}` : `\\u{${hex(a)}}-\\u{${hex(b)}}`)).join('');

/** Python's \w without "_" (its letters and numbers), the inside of a character class of a RegExp with the u flag. */
export const PY_WORD_CHARS = classBody(pythonClasses.word as Ranges);

/** Python's \d (decimal digits of any script, the ones int() reads), the inside of a character class of a RegExp with the u flag. */
export const PY_DIGIT_CHARS = classBody(pythonClasses.digit as Ranges);

/** What repr() escapes (not str.isprintable(): Unicode's "Other" and separators, space excepted), the inside of a character class of a RegExp with the u flag. */
export const PY_UNPRINTABLE_CHARS = classBody(pythonClasses.unprintable as Ranges);
