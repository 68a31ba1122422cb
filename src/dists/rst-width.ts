// docutils' column_width (docutils/utils/__init__.py), which measures a section title against its
// underline and overline: each character counts 2 when unicodedata.east_asian_width calls it wide or
// full-width ('W', 'F'), else 1, and a combining character (unicodedata.combining, a non-zero
// canonical combining class) 1 less. That is not JavaScript's \p{Mn}: a variation selector or a
// Devanagari anusvara is Mn of class 0 and counts 1, an emoji is wide. The ranges below are Python's
// Unicode 14.0 tables (3.11) where a character does not count 1, unassigned code points between two
// ranges of the same count merged into them.

/** Characters that count 0: combining, not wide (hexadecimal code points and ranges). */
const ZERO =
  '300-34e,350-36f,483-487,591-5bd,5bf,5c1-5c2,5c4-5c5,5c7,610-61a,64b-65f,670,6d6-6dc,6df-6e4,6e7-6e8,6ea-6ed,71' +
  '1,730-74a,7eb-7f3,7fd,816-819,81b-823,825-827,829-82d,859-85b,898-89f,8ca-8e1,8e3-8ff,93c,94d,951-954,9bc,9cd,' +
  '9fe,a3c,a4d,abc,acd,b3c,b4d,bcd,c3c,c4d-c56,cbc,ccd,d3b-d3c,d4d,dca,e38-e3a,e48-e4b,eb8-eba,ec8-ecb,f18-f19,f3' +
  '5,f37,f39,f71-f72,f74,f7a-f7d,f80,f82-f84,f86-f87,fc6,1037,1039-103a,108d,135d-135f,1714-1715,1734,17d2,17dd,1' +
  '8a9,1939-193b,1a17-1a18,1a60,1a75-1a7f,1ab0-1abd,1abf-1ace,1b34,1b44,1b6b-1b73,1baa-1bab,1be6,1bf2-1bf3,1c37,1' +
  'cd0-1cd2,1cd4-1ce0,1ce2-1ce8,1ced,1cf4,1cf8-1cf9,1dc0-1dff,20d0-20dc,20e1,20e5-20f0,2cef-2cf1,2d7f,2de0-2dff,a' +
  '66f,a674-a67d,a69e-a69f,a6f0-a6f1,a806,a82c,a8c4,a8e0-a8f1,a92b-a92d,a953,a9b3,a9c0,aab0,aab2-aab4,aab7-aab8,a' +
  'abe-aabf,aac1,aaf6,abed,fb1e,fe20-fe2f,101fd,102e0,10376-1037a,10a0d,10a0f,10a38-10a3f,10ae5-10ae6,10d24-10d27' +
  ',10eab-10eac,10f46-10f50,10f82-10f85,11046,11070,1107f,110b9-110ba,11100-11102,11133-11134,11173,111c0,111ca,1' +
  '1235-11236,112e9-112ea,1133b-1133c,1134d,11366-11374,11442,11446,1145e,114c2-114c3,115bf-115c0,1163f,116b6-116' +
  'b7,1172b,11839-1183a,1193d-1193e,11943,119e0,11a34,11a47,11a99,11c3f,11d42,11d44-11d45,11d97,16af0-16af4,16b30' +
  '-16b36,1bc9e,1d165-1d169,1d16d-1d172,1d17b-1d182,1d185-1d18b,1d1aa-1d1ad,1d242-1d244,1e000-1e02a,1e130-1e136,1' +
  'e2ae,1e2ec-1e2ef,1e8d0-1e8d6,1e944-1e94a';
/** Characters that count 2: wide or full-width, not combining. */
const TWO =
  '1100-115f,231a-231b,2329-232a,23e9-23ec,23f0,23f3,25fd-25fe,2614-2615,2648-2653,267f,2693,26a1,26aa-26ab,26bd-' +
  '26be,26c4-26c5,26ce,26d4,26ea,26f2-26f3,26f5,26fa,26fd,2705,270a-270b,2728,274c,274e,2753-2755,2757,2795-2797,' +
  '27b0,27bf,2b1b-2b1c,2b50,2b55,2e80-3029,3030-303e,3041-3096,309b-3247,3250-4dbf,4e00-a4c6,a960-a97c,ac00-d7a3,' +
  'f900-fad9,fe10-fe19,fe30-fe6b,ff01-ff60,ffe0-ffe6,16fe0-16fe4,17000-1b2fb,1f004,1f0cf,1f18e,1f191-1f19a,1f200-' +
  '1f320,1f32d-1f335,1f337-1f37c,1f37e-1f393,1f3a0-1f3ca,1f3cf-1f3d3,1f3e0-1f3f0,1f3f4,1f3f8-1f43e,1f440,1f442-1f' +
  '4fc,1f4ff-1f53d,1f54b-1f54e,1f550-1f567,1f57a,1f595-1f596,1f5a4,1f5fb-1f64f,1f680-1f6c5,1f6cc,1f6d0-1f6d2,1f6d' +
  '5-1f6df,1f6eb-1f6ec,1f6f4-1f6fc,1f7e0-1f7f0,1f90c-1f93a,1f93c-1f945,1f947-1f9ff,1fa70-1faf6,20000-3134a';

const parse = (table: string): Array<[number, number]> =>
  table.split(',').map((r) => {
    const [a, b] = r.split('-') as [string, string | undefined];
    return [Number.parseInt(a, 16), Number.parseInt(b ?? a, 16)];
  });
const RANGES: Array<[number, number, number]> = parse(ZERO)
  .map(([a, b]): [number, number, number] => [a, b, 0])
  .concat(parse(TWO).map(([a, b]): [number, number, number] => [a, b, 2]))
  .sort((x, y) => x[0] - y[0]);

/** What one code point counts in docutils' column width. */
function charWidth(code: number): number {
  if (code < 0x300) return 1;
  let [lo, hi] = [0, RANGES.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b, width] = RANGES[mid] as [number, number, number];
    if (code < a) hi = mid - 1;
    else if (code > b) lo = mid + 1;
    else return width;
  }
  return 1;
}

/** docutils' column_width of a line. */
export function columnWidth(s: string): number {
  let width = 0;
  for (const ch of s) width += charWidth(ch.codePointAt(0) as number);
  return width;
}
