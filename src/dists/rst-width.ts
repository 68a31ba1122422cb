// docutils' column_width (docutils/utils/__init__.py), which measures a section title against its
// underline and overline, and its table code's view of wide characters: each character counts 2 when
// unicodedata.east_asian_width calls it wide or full-width ('W', 'F'), else 1, and a combining
// character (unicodedata.combining, a non-zero canonical combining class) 1 less. That is not
// JavaScript's \p{Mn}: a variation selector or a Devanagari anusvara is Mn of class 0 and counts 1,
// an emoji is wide. The tables are the unicodedata of the Python that runs docutils
// (scripts/gen-dist-data.py → data/unicode-widths.json).
import widths from './data/unicode-widths.json' with { type: 'json' };

/** Whether a code point falls in one of the sorted [first, last] ranges. */
function inRanges(ranges: readonly (readonly number[])[], cp: number): boolean {
  let [lo, hi] = [0, ranges.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid] as [number, number];
    if (cp < first) hi = mid - 1;
    else if (cp > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** unicodedata.east_asian_width(c) in 'WF'. */
export const isWide = (cp: number): boolean => inRanges(widths.wide, cp);

/** unicodedata.combining(c) != 0. */
export const isCombining = (cp: number): boolean => inRanges(widths.combining, cp);

/** docutils' column_width of a line. */
export function columnWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    width += (isWide(cp) ? 2 : 1) - (isCombining(cp) ? 1 : 0);
  }
  return width;
}
