// The inline markup of one reStructuredText text block (a paragraph, a list item's first paragraph)
// as docutils 0.23 reads it (parsers/rst/states.py, class Inliner): a start-string docutils finds no
// end-string for is a warning, the references, substitution references and inline targets it
// finds are what src/dists/rst-references.ts checks against the document's targets and definitions,
// and the roles it finds are what src/dists/rst-names.ts checks against the roles docutils knows.
// docutils searches one regular expression from where the last construct ended, treating that place
// as the start of the text; this follows it character by character, on code points as Python
// indexes them, with each end-string's places found once per block so that a block of many
// start-strings without end-strings is read in linear time (docutils' own search is quadratic).

import { PY_WORD_CHARS } from './python-classes.ts';
import { PY_SPACE_CHAR, PYTHON_SPACE } from './python-space.ts';
import { SIMPLE_NAME } from './rst-patterns.ts';

const BEFORE_START_CHARS = [
  String.raw`\u{22}\u{27}-\u{28}\u{2d}\u{2f}\u{3a}\u{3c}\u{5b}\u{7b}\u{a1}\u{ab}\u{b7}\u{bb}\u{bf}\u{37e}\u{387}\u{55a}-\u{55f}\u{589}-\u{58a}`,
  String.raw`\u{5be}\u{5c0}\u{5c3}\u{5c6}\u{5f3}-\u{5f4}\u{609}-\u{60a}\u{60c}-\u{60d}\u{61b}\u{61e}-\u{61f}\u{66a}-\u{66d}\u{6d4}`,
  String.raw`\u{700}-\u{70d}\u{7f7}-\u{7f9}\u{830}-\u{83e}\u{964}-\u{965}\u{970}\u{df4}\u{e4f}\u{e5a}-\u{e5b}\u{f04}-\u{f12}\u{f3a}\u{f3c}`,
  String.raw`\u{f85}\u{fd0}-\u{fd4}\u{104a}-\u{104f}\u{10fb}\u{1361}-\u{1368}\u{1400}\u{166d}-\u{166e}\u{169b}\u{16eb}-\u{16ed}`,
  String.raw`\u{1735}-\u{1736}\u{17d4}-\u{17d6}\u{17d8}-\u{17da}\u{1800}-\u{180a}\u{1944}-\u{1945}\u{19de}-\u{19df}\u{1a1e}-\u{1a1f}`,
  String.raw`\u{1aa0}-\u{1aa6}\u{1aa8}-\u{1aad}\u{1b5a}-\u{1b60}\u{1c3b}-\u{1c3f}\u{1c7e}-\u{1c7f}\u{1cd3}\u{2010}-\u{2027}\u{2030}-\u{203e}`,
  String.raw`\u{2041}-\u{2043}\u{2045}\u{2047}-\u{2051}\u{2053}\u{2055}-\u{205e}\u{207d}\u{208d}\u{2329}\u{2768}\u{276a}\u{276c}\u{276e}`,
  String.raw`\u{2770}\u{2772}\u{2774}\u{27c5}\u{27e6}\u{27e8}\u{27ea}\u{27ec}\u{27ee}\u{2983}\u{2985}\u{2987}\u{2989}\u{298b}\u{298d}\u{298f}`,
  String.raw`\u{2991}\u{2993}\u{2995}\u{2997}\u{29d8}\u{29da}\u{29fc}\u{2cf9}-\u{2cfc}\u{2cfe}-\u{2cff}\u{2e00}-\u{2e22}\u{2e24}\u{2e26}`,
  String.raw`\u{2e28}\u{2e2a}-\u{2e2e}\u{2e30}-\u{2e31}\u{3001}-\u{3003}\u{3008}\u{300a}\u{300c}\u{300e}\u{3010}\u{3014}\u{3016}\u{3018}`,
  String.raw`\u{301a}\u{301c}-\u{301d}\u{3030}\u{303d}\u{30a0}\u{30fb}\u{a4fe}-\u{a4ff}\u{a60d}-\u{a60f}\u{a673}\u{a67e}\u{a6f2}-\u{a6f7}`,
  String.raw`\u{a874}-\u{a877}\u{a8ce}-\u{a8cf}\u{a8f8}-\u{a8fa}\u{a92e}-\u{a92f}\u{a95f}\u{a9c1}-\u{a9cd}\u{a9de}-\u{a9df}\u{aa5c}-\u{aa5f}`,
  String.raw`\u{aade}-\u{aadf}\u{abeb}\u{fd3e}\u{fe10}-\u{fe17}\u{fe19}\u{fe30}-\u{fe32}\u{fe35}\u{fe37}\u{fe39}\u{fe3b}\u{fe3d}\u{fe3f}`,
  String.raw`\u{fe41}\u{fe43}\u{fe45}-\u{fe47}\u{fe49}-\u{fe4c}\u{fe50}-\u{fe52}\u{fe54}-\u{fe59}\u{fe5b}\u{fe5d}\u{fe5f}-\u{fe61}\u{fe63}`,
  String.raw`\u{fe68}\u{fe6a}-\u{fe6b}\u{ff01}-\u{ff03}\u{ff05}-\u{ff08}\u{ff0a}\u{ff0c}-\u{ff0f}\u{ff1a}-\u{ff1b}\u{ff1f}-\u{ff20}`,
  String.raw`\u{ff3b}-\u{ff3c}\u{ff5b}\u{ff5f}\u{ff61}-\u{ff62}\u{ff64}-\u{ff65}\u{10100}-\u{10101}\u{1039f}\u{103d0}\u{10857}\u{1091f}`,
  String.raw`\u{1093f}\u{10a50}-\u{10a58}\u{10a7f}\u{10b39}-\u{10b3f}\u{110bb}-\u{110bc}\u{110be}-\u{110c1}\u{12470}-\u{12473}`,
].join('');
const AFTER_END_CHARS = [
  String.raw`\u{0}\u{21}-\u{22}\u{27}\u{29}\u{2c}-\u{2f}\u{3a}-\u{3b}\u{3e}-\u{3f}\u{5c}-\u{5d}\u{7d}\u{a1}\u{ab}\u{b7}\u{bb}\u{bf}\u{37e}`,
  String.raw`\u{387}\u{55a}-\u{55f}\u{589}-\u{58a}\u{5be}\u{5c0}\u{5c3}\u{5c6}\u{5f3}-\u{5f4}\u{609}-\u{60a}\u{60c}-\u{60d}\u{61b}`,
  String.raw`\u{61e}-\u{61f}\u{66a}-\u{66d}\u{6d4}\u{700}-\u{70d}\u{7f7}-\u{7f9}\u{830}-\u{83e}\u{964}-\u{965}\u{970}\u{df4}\u{e4f}`,
  String.raw`\u{e5a}-\u{e5b}\u{f04}-\u{f12}\u{f3b}\u{f3d}\u{f85}\u{fd0}-\u{fd4}\u{104a}-\u{104f}\u{10fb}\u{1361}-\u{1368}\u{1400}`,
  String.raw`\u{166d}-\u{166e}\u{169c}\u{16eb}-\u{16ed}\u{1735}-\u{1736}\u{17d4}-\u{17d6}\u{17d8}-\u{17da}\u{1800}-\u{180a}\u{1944}-\u{1945}`,
  String.raw`\u{19de}-\u{19df}\u{1a1e}-\u{1a1f}\u{1aa0}-\u{1aa6}\u{1aa8}-\u{1aad}\u{1b5a}-\u{1b60}\u{1c3b}-\u{1c3f}\u{1c7e}-\u{1c7f}\u{1cd3}`,
  String.raw`\u{2010}-\u{2027}\u{2030}-\u{203e}\u{2041}-\u{2043}\u{2046}-\u{2051}\u{2053}\u{2055}-\u{205e}\u{207e}\u{208e}\u{232a}\u{2769}`,
  String.raw`\u{276b}\u{276d}\u{276f}\u{2771}\u{2773}\u{2775}\u{27c6}\u{27e7}\u{27e9}\u{27eb}\u{27ed}\u{27ef}\u{2984}\u{2986}\u{2988}\u{298a}`,
  String.raw`\u{298c}\u{298e}\u{2990}\u{2992}\u{2994}\u{2996}\u{2998}\u{29d9}\u{29db}\u{29fd}\u{2cf9}-\u{2cfc}\u{2cfe}-\u{2cff}`,
  String.raw`\u{2e00}-\u{2e21}\u{2e23}\u{2e25}\u{2e27}\u{2e29}-\u{2e2e}\u{2e30}-\u{2e31}\u{3001}-\u{3003}\u{3009}\u{300b}\u{300d}\u{300f}`,
  String.raw`\u{3011}\u{3015}\u{3017}\u{3019}\u{301b}-\u{301c}\u{301e}-\u{301f}\u{3030}\u{303d}\u{30a0}\u{30fb}\u{a4fe}-\u{a4ff}`,
  String.raw`\u{a60d}-\u{a60f}\u{a673}\u{a67e}\u{a6f2}-\u{a6f7}\u{a874}-\u{a877}\u{a8ce}-\u{a8cf}\u{a8f8}-\u{a8fa}\u{a92e}-\u{a92f}\u{a95f}`,
  String.raw`\u{a9c1}-\u{a9cd}\u{a9de}-\u{a9df}\u{aa5c}-\u{aa5f}\u{aade}-\u{aadf}\u{abeb}\u{fd3f}\u{fe10}-\u{fe16}\u{fe18}-\u{fe19}`,
  String.raw`\u{fe30}-\u{fe32}\u{fe36}\u{fe38}\u{fe3a}\u{fe3c}\u{fe3e}\u{fe40}\u{fe42}\u{fe44}-\u{fe46}\u{fe48}-\u{fe4c}\u{fe50}-\u{fe52}`,
  String.raw`\u{fe54}-\u{fe58}\u{fe5a}\u{fe5c}\u{fe5e}-\u{fe61}\u{fe63}\u{fe68}\u{fe6a}-\u{fe6b}\u{ff01}-\u{ff03}\u{ff05}-\u{ff07}`,
  String.raw`\u{ff09}-\u{ff0a}\u{ff0c}-\u{ff0f}\u{ff1a}-\u{ff1b}\u{ff1f}-\u{ff20}\u{ff3c}-\u{ff3d}\u{ff5d}\u{ff60}-\u{ff61}\u{ff63}-\u{ff65}`,
  String.raw`\u{10100}-\u{10101}\u{1039f}\u{103d0}\u{10857}\u{1091f}\u{1093f}\u{10a50}-\u{10a58}\u{10a7f}\u{10b39}-\u{10b3f}\u{110bb}-\u{110bc}`,
  String.raw`\u{110be}-\u{110c1}\u{12470}-\u{12473}`,
].join('');

/** Python's `\s` on str (str.isspace), which docutils' patterns use: JavaScript's differs. */
const SPACE = PY_SPACE_CHAR;
const SPACE_RUNS = new RegExp(`[${PYTHON_SPACE}]+`, 'u');
/** What may stand before a start-string (punctuation_chars.openers and .delimiters). */
const BEFORE_START = new RegExp(`^[${BEFORE_START_CHARS}]$`, 'u');
/** What may stand after an end-string (an escape, punctuation_chars.closing_delimiters, .delimiters, .closers). */
const AFTER_END = new RegExp(`^[${AFTER_END_CHARS}]$`, 'u');
/** A character of a simple reference name (Inliner.simplename: Python's \w but `_`). */
const NAME_CHAR = new RegExp(`^[${PY_WORD_CHARS}]$`, 'u');
/** What joins the parts of a simple reference name, one at a time. */
const NAME_JOINERS = new Set(['-', '.', '_', '+', ':']);
const SPACE_BIT = 1;
const AFTER_END_BIT = 2;
const BEFORE_START_BIT = 4;
const NAME_BIT = 8;
const classesOf = (c: string) =>
  (SPACE.test(c) ? SPACE_BIT : 0) |
  (AFTER_END.test(c) ? AFTER_END_BIT : 0) |
  (BEFORE_START.test(c) ? BEFORE_START_BIT : 0) |
  (NAME_CHAR.test(c) ? NAME_BIT : 0);
/** The four classes of each ASCII character, found once: most of a description is ASCII, and four Unicode class tests per character were a third of the check's time. */
const ASCII_CLASSES = Uint8Array.from({ length: 128 }, (_, code) => classesOf(String.fromCharCode(code)));
const characterClasses = (c: string) => (c.length === 1 && c.charCodeAt(0) < 128 ? (ASCII_CLASSES[c.charCodeAt(0)] as number) : classesOf(c));

/** punctuation_chars.openers and .closers, pair by pair, and the quotes that pair otherwise (quote_pairs). */
const OPENERS = Array.from(
  `"'(<\\[{\u0f3a\u0f3c\u169b\u2045\u207d\u208d\u2329\u2768\u276a\u276c\u276e\u2770\u2772\u2774\u27c5\u27e6\u27e8\u27ea\u27ec\u27ee\u2983\u2985\u2987\u2989\u298b\u298d\u298f\u2991\u2993\u2995\u2997\u29d8\u29da\u29fc\u2e22\u2e24\u2e26\u2e28\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u3018\u301a\u301d\u301d\ufd3e\ufe17\ufe35\ufe37\ufe39\ufe3b\ufe3d\ufe3f\ufe41\ufe43\ufe47\ufe59\ufe5b\ufe5d\uff08\uff3b\uff5b\uff5f\uff62\xab\u2018\u201c\u2039\u2e02\u2e04\u2e09\u2e0c\u2e1c\u2e20\u201a\u201e\xbb\u2019\u201d\u203a\u2e03\u2e05\u2e0a\u2e0d\u2e1d\u2e21\u201b\u201f`,
);
const CLOSERS = Array.from(
  `"')>\\]}\u0f3b\u0f3d\u169c\u2046\u207e\u208e\u232a\u2769\u276b\u276d\u276f\u2771\u2773\u2775\u27c6\u27e7\u27e9\u27eb\u27ed\u27ef\u2984\u2986\u2988\u298a\u298c\u298e\u2990\u2992\u2994\u2996\u2998\u29d9\u29db\u29fd\u2e23\u2e25\u2e27\u2e29\u3009\u300b\u300d\u300f\u3011\u3015\u3017\u3019\u301b\u301e\u301f\ufd3f\ufe18\ufe36\ufe38\ufe3a\ufe3c\ufe3e\ufe40\ufe42\ufe44\ufe48\ufe5a\ufe5c\ufe5e\uff09\uff3d\uff5d\uff60\uff63\xbb\u2019\u201d\u203a\u2e03\u2e05\u2e0a\u2e0d\u2e1d\u2e21\u201b\u201f\xab\u2018\u201c\u2039\u2e02\u2e04\u2e09\u2e0c\u2e1c\u2e20\u201a\u201e`,
);
const QUOTE_PAIRS: Record<string, string> = {
  '\xbb': '\xbb',
  '\u2018': '\u201a',
  '\u2019': '\u2019',
  '\u201a': '\u2018\u2019',
  '\u201c': '\u201e',
  '\u201e': '\u201c\u201d',
  '\u201d': '\u201d',
  '\u203a': '\u203a',
};

/** punctuation_chars.match_chars: a start-string between these two is "quoted", not markup. */
function matchingPair(before: string, after: string): boolean {
  const i = OPENERS.indexOf(before);
  return i >= 0 && (after === CLOSERS[i] || (QUOTE_PAIRS[before] ?? '').includes(after));
}

/** A text block docutils parses for inline markup, as Body.paragraph passes it, and its first line (1-based). */
export interface InlineBlock {
  text: string;
  line: number;
}

/** What docutils found in a text block that the document-wide checks need, or a warning it gave. */
export type Inline =
  | { kind: 'warning'; message: string }
  /**
   * a reference by name (`name_`, `` `phrase`_ ``, `|sub|_`, `[label]_`): the name as written, unescaped;
   * for an alias in a named phrase (`` `text <name_>`_ ``), `indirect` is the text, which names a target referring to `name`;
   * `footnote` for a footnote's or citation's label, whose reference gets an id of its own (note_footnote_ref)
   */
  | { kind: 'reference'; name: string; indirect?: string; footnote?: true }
  /** a named phrase's embedded URI or alias (`` `text <uri>`_ ``): an implicit target named by its text, unescaped */
  | { kind: 'embedded target'; name: string }
  | { kind: 'anonymous reference' }
  /**
   * an auto-numbered footnote reference (`[#]_`, or `[#label]_` with its `label`) or an auto-symbol one
   * (`[*]_`): each without a footnote of its label takes the next unlabelled such footnote
   */
  | { kind: 'auto footnote reference'; symbol: boolean; label?: string }
  | { kind: 'substitution'; name: string }
  /** an inline internal target `` _`name` ``: an explicit target */
  | { kind: 'target'; name: string }
  /** interpreted text with a role, before it or after it (`:name:`text``, `` `text`:name: ``): the role as written, and the text as docutils passes it (escaped) */
  | { kind: 'role'; name: string; text: string };

/** docutils' escape2null: a backslash becomes NUL and the character it escapes stays. */
export function escapeToNull(text: string): string {
  return text.replace(/\\(.?)/gsu, '\0$1');
}

/** docutils' nodes.unescape: NULs go, and so does the whitespace they escape. */
export const unescapeNull = (text: string) => text.split('\0 ').join('').split('\0\n').join('').split('\0').join('');

/** docutils' fully_normalize_name: lower case, whitespace runs as one space. */
export const normalizeName = (name: string) => whitespaceNormalizeName(name).toLowerCase();
export const whitespaceNormalizeName = (name: string) =>
  name
    .split(SPACE_RUNS)
    .filter((s) => s !== '')
    .join(' ');

type StartKind = 'emphasis' | 'strong' | 'literal' | 'target' | 'substitution_reference';
type EndKind = StartKind | 'interpreted';

/** Where the initial pattern matched: what, where it starts, and where the start-string (or whole construct) ends. */
interface Start {
  kind: StartKind | 'interpreted' | 'reference' | 'footnote';
  at: number;
  end: number;
  /** the role before interpreted text */
  role?: string;
}

/** An end-string found: where it starts, where the match ends, and for interpreted text the role after it. */
interface End {
  at: number;
  end: number;
  role?: string;
}

/** A text block, escaped, as code points, with what docutils' patterns ask of each character found once. */
class Block {
  readonly t: string[];
  readonly n: number;
  readonly #space: Uint8Array;
  readonly #afterEnd: Uint8Array;
  readonly #beforeStart: Uint8Array;
  readonly #name: Uint8Array;
  /** for a character of a name, where its run of name characters ends */
  readonly #runEnd: Int32Array;
  readonly #chains = new Map<string, Int32Array>();
  readonly #ends = new Map<EndKind, { found: End[]; next: number }>();

  constructor(escaped: string) {
    this.t = Array.from(escaped);
    this.n = this.t.length;
    this.#space = new Uint8Array(this.n);
    this.#afterEnd = new Uint8Array(this.n);
    this.#beforeStart = new Uint8Array(this.n);
    this.#name = new Uint8Array(this.n);
    this.#runEnd = new Int32Array(this.n);
    for (let i = this.n - 1; i >= 0; i--) {
      const classes = characterClasses(this.t[i] as string);
      this.#space[i] = classes & SPACE_BIT;
      this.#afterEnd[i] = (classes & AFTER_END_BIT) >> 1;
      this.#beforeStart[i] = (classes & BEFORE_START_BIT) >> 2;
      this.#name[i] = (classes & NAME_BIT) >> 3;
      this.#runEnd[i] = this.#name[i] ? (i + 1 < this.n && this.#name[i + 1] ? (this.#runEnd[i + 1] as number) : i + 1) : -1;
    }
  }

  at = (i: number) => this.t[i];
  space = (i: number) => i < this.n && this.#space[i] === 1;
  name = (i: number) => i >= 0 && i < this.n && this.#name[i] === 1;
  text = (from: number, to: number) => this.t.slice(from, to).join('');
  /** end_string_suffix: the end of the text, whitespace, or a closing punctuation character. */
  endOk = (i: number) => i >= this.n || this.#space[i] === 1 || this.#afterEnd[i] === 1;
  /** start_string_prefix: the start of what is left to parse, whitespace, or an opening punctuation character. */
  startOk = (i: number, from: number) => i === from || this.#space[i - 1] === 1 || this.#beforeStart[i - 1] === 1;

  /**
   * For each run of name characters that starts a simple name (`a-b.c`, parts joined one character at a time),
   * what `after` gives at the end of the longest such name that it accepts there (-1: none): the regular
   * expression tries the longest name first and gives back one part at a time.
   */
  names(key: string, after: (end: number) => number): Int32Array {
    let best = this.#chains.get(key);
    if (best) return best;
    best = new Int32Array(this.n).fill(-1);
    for (let p = this.n - 1; p >= 0; p--) {
      if (!this.name(p) || this.name(p - 1)) continue;
      const end = this.#runEnd[p] as number;
      const next = NAME_JOINERS.has(this.t[end] ?? '') && this.name(end + 1) ? end + 1 : -1;
      best[p] = next >= 0 && (best[next] as number) >= 0 ? (best[next] as number) : after(end);
    }
    this.#chains.set(key, best);
    return best;
  }

  /** `__`, `_` or nothing, then end_string_suffix, from `i`: where that ends (-1: it does not). */
  referenceEnd(i: number): number {
    if (this.t[i] === '_' && this.t[i + 1] === '_' && this.endOk(i + 2)) return i + 2;
    if (this.t[i] === '_' && this.endOk(i + 1)) return i + 1;
    return this.endOk(i) ? i : -1;
  }

  /** Whether the character before `i` is whitespace or an escape, looking no further back than `from`. */
  spaceOrEscapeBefore = (i: number, from: number) => i - 1 >= from && (this.#space[i - 1] === 1 || this.t[i - 1] === '\0');

  /** The end-string of `kind` at `q`, in the text that starts at `from` (docutils searches a slice). */
  endAt(kind: EndKind, q: number, from: number): End | undefined {
    const t = this.t;
    const at = (end: number) => (end >= 0 ? { at: q, end } : undefined);
    if (kind === 'emphasis') return t[q] === '*' && !this.spaceOrEscapeBefore(q, from) && this.endOk(q + 1) ? at(q + 1) : undefined;
    if (kind === 'strong') return t[q] === '*' && t[q + 1] === '*' && !this.spaceOrEscapeBefore(q, from) && this.endOk(q + 2) ? at(q + 2) : undefined;
    if (kind === 'literal') return t[q] === '`' && t[q + 1] === '`' && !(q - 1 >= from && this.space(q - 1)) && this.endOk(q + 2) ? at(q + 2) : undefined;
    if (kind === 'target') return t[q] === '`' && !this.spaceOrEscapeBefore(q, from) && this.endOk(q + 1) ? at(q + 1) : undefined;
    if (kind === 'substitution_reference') return t[q] === '|' && !this.spaceOrEscapeBefore(q, from) ? at(this.referenceEnd(q + 1)) : undefined;
    // interpreted text: an unescaped space or escape may not precede it; a role or a reference mark may follow.
    if (t[q] !== '`' || (this.spaceOrEscapeBefore(q, from) && !(q - 2 >= from && t[q - 2] === '\0'))) return undefined;
    const role = t[q + 1] === ':' ? (this.names('suffix role', (e) => (t[e] === ':' ? this.referenceEnd(e + 1) : -1))[q + 2] ?? -1) : -1;
    if (role >= 0) return { at: q, end: role, role: this.suffixRole(q, role) };
    return at(this.referenceEnd(q + 1));
  }

  /** The name of the role after the backquote at `q` whose match ends at `end`: up to the colon before the reference mark, if any. */
  suffixRole(q: number, end: number): string {
    let colon = end - 1;
    while (this.t[colon] === '_') colon--;
    return this.text(q + 2, colon);
  }

  /** docutils' search for the end-string of `kind` in the text from `from`: the first match, even one at `from` (a failure). */
  firstEnd(kind: EndKind, from: number): End | undefined {
    for (const q of [from, from + 1]) {
      const end = q < this.n ? this.endAt(kind, q, from) : undefined;
      if (end) return end;
    }
    let ends = this.#ends.get(kind);
    if (!ends) {
      const found: End[] = [];
      for (let q = 0; q < this.n; q++) {
        const end = this.endAt(kind, q, 0);
        if (end) found.push(end);
      }
      this.#ends.set(kind, (ends = { found, next: 0 }));
    }
    // Blocks are read forward: each search starts after the last one.
    while (ends.next < ends.found.length && (ends.found[ends.next] as End).at < from + 2) ends.next++;
    return ends.found[ends.next];
  }
}

/**
 * A footnote or citation reference at `p` (`[1]_`, `[#]_`, `[#note]_`, `[*]_`, `[name]_`): its end, and its
 * label when a target must have it, or whether it takes the next auto-numbered or auto-symbol footnote.
 */
function footnoteAt(b: Block, p: number): { end: number; label?: string; auto?: 'number' | 'symbol'; autoLabel?: string } | undefined {
  const close = (e: number) => (b.at(e) === ']' && b.at(e + 1) === '_' && b.endOk(e + 2) ? e + 2 : -1);
  const labels = b.names('footnote', close);
  let digits = p + 1;
  while (/^[0-9]$/.test(b.at(digits) ?? '')) digits++;
  if (digits > p + 1 && close(digits) >= 0) return { end: close(digits), label: b.text(p + 1, digits) };
  if (b.at(p + 1) === '#') {
    if (b.name(p + 2) && (labels[p + 2] as number) >= 0) {
      const end = labels[p + 2] as number;
      return { end, auto: 'number', autoLabel: b.text(p + 2, end - 2) };
    }
    return close(p + 2) >= 0 ? { end: close(p + 2), auto: 'number' } : undefined;
  }
  if (b.at(p + 1) === '*') return close(p + 2) >= 0 ? { end: close(p + 2), auto: 'symbol' } : undefined;
  const end = b.name(p + 1) ? (labels[p + 1] as number) : -1;
  return end >= 0 ? { end, label: b.text(p + 1, end - 2) } : undefined;
}

/** docutils' initial pattern searched from `from` (the start of what is left): the first start-string or whole construct. */
function nextStart(b: Block, from: number): (Start & { label?: string; auto?: 'number' | 'symbol'; autoLabel?: string }) | undefined {
  const references = b.names('reference', (e) => (b.at(e) === '_' && b.referenceEnd(e) > e ? b.referenceEnd(e) : -1));
  const roles = b.names('role', (e) => (b.at(e) === ':' && b.at(e + 1) === '`' && b.at(e + 2) !== '`' && !b.space(e + 2) ? e + 2 : -1));
  for (let p = from; p < b.n; p++) {
    const c = b.at(p);
    if (!(c === '*' || c === '`' || c === '_' || c === '|' || c === '[' || c === ':' || b.name(p)) || !b.startOk(p, from)) continue;
    const next = b.at(p + 1);
    // Start-strings, each followed by no whitespace.
    if (c === '*' && next === '*' && !b.space(p + 2)) return { kind: 'strong', at: p, end: p + 2 };
    if (c === '*' && next !== '*' && !b.space(p + 1)) return { kind: 'emphasis', at: p, end: p + 1 };
    if (c === '`' && next === '`' && !b.space(p + 2)) return { kind: 'literal', at: p, end: p + 2 };
    if (c === '_' && next === '`' && !b.space(p + 2)) return { kind: 'target', at: p, end: p + 2 };
    if (c === '|' && next !== '|' && !b.space(p + 1)) return { kind: 'substitution_reference', at: p, end: p + 1 };
    // Whole constructs: a simple reference, a footnote or citation reference.
    if (b.name(p) && (references[p] as number) >= 0) return { kind: 'reference', at: p, end: references[p] as number };
    const footnote = c === '[' ? footnoteAt(b, p) : undefined;
    if (footnote) return { kind: 'footnote', at: p, ...footnote };
    // Interpreted text or a phrase reference, with a role before it or not.
    const role = c === ':' && b.name(p + 1) ? (roles[p + 1] as number) : -1;
    if (role >= 0) return { kind: 'interpreted', at: p, end: role, role: b.text(p + 1, role - 2) };
    if (c === '`' && next !== '`' && !b.space(p + 1)) return { kind: 'interpreted', at: p, end: p + 1 };
  }
  return undefined;
}

/** Inliner.quoted_start: a start-string between matching punctuation (`'*'`, `(*)`, `"|"`) is no markup. */
const quoted = (b: Block, start: Start, from: number) =>
  start.at !== from && (start.end >= b.n || matchingPair(b.at(start.at - 1) as string, b.at(start.end) as string));

/** Inliner.inline_obj and what follows it: a start-string's construct, or the warning for it. Returns where parsing goes on. */
function simpleConstruct(b: Block, start: Start & { kind: StartKind }, from: number, out: Inline[]): number {
  if (quoted(b, start, from)) return start.end;
  const end = b.firstEnd(start.kind, start.end);
  if (!end || end.at === start.end) {
    out.push({ kind: 'warning', message: `Inline ${start.kind} start-string without end-string.` });
    return start.end;
  }
  const text = unescapeNull(b.text(start.end, end.at));
  if (start.kind === 'target') out.push({ kind: 'target', name: text });
  if (start.kind === 'substitution_reference') {
    out.push({ kind: 'substitution', name: whitespaceNormalizeName(text) });
    const mark = end.end - end.at - 1;
    if (mark === 1) out.push({ kind: 'reference', name: text });
    if (mark === 2) out.push({ kind: 'anonymous reference' });
  }
  return end.end;
}

/**
 * Inliner.patterns.embedded_link on a phrase reference's escaped text: `text <target>` at its end, with
 * whitespace before `<` (or nothing at all), no unescaped `<` or `>` inside, none but escaped ones.
 */
export function embeddedTarget(escaped: string): { text: string; target: string } | undefined {
  const last = escaped.length - 1;
  if (escaped[last] !== '>' || last < 2) return undefined;
  let open = last - 1;
  while (open >= 0 && !((escaped[open] === '<' || escaped[open] === '>') && escaped[open - 1] !== '\0')) open--;
  if (open < 0 || escaped[open] !== '<') return undefined;
  const target = escaped.slice(open + 1, last);
  if (target === '' || SPACE.test(target[0] as string) || SPACE.test(target.at(-1) as string) || target.endsWith('\0')) return undefined;
  let text = open;
  while (text > 0 && (escaped[text - 1] === ' ' || escaped[text - 1] === '\n')) text--;
  if (text === open && open !== 0) return undefined;
  return { text: escaped.slice(0, text), target };
}

/** Inliner.phrase_ref: the reference a phrase makes, by name or anonymous, unless it embeds a URI. */
function phraseReference(escaped: string, anonymous: boolean, out: Inline[]): void {
  const embedded = embeddedTarget(escaped);
  if (!embedded) {
    out.push(anonymous ? { kind: 'anonymous reference' } : { kind: 'reference', name: unescapeNull(escaped) });
    return;
  }
  const { target } = embedded;
  // A named phrase's target, to a URI or another name, is named by its text (an implicit target).
  if (!anonymous) out.push({ kind: 'embedded target', name: unescapeNull(embedded.text) });
  // `<name_>` is an alias (a reference by name), unless the underscore is escaped or it is a URI;
  // without `:` or `@` it cannot be one (Inliner.patterns.uri), with them it is not judged here.
  if (target.endsWith('_') && !target.endsWith('\0_') && !/[:@]/.test(target)) {
    const name = unescapeNull(target.slice(0, -1));
    out.push(anonymous ? { kind: 'reference', name } : { kind: 'reference', name, indirect: unescapeNull(embedded.text) });
  }
}

/** Body.explicit.patterns.reference: a name or a phrase in backquotes, then the reference mark, and nothing else. */
const WHOLE_REFERENCE = new RegExp(String.raw`^(?:(${SIMPLE_NAME})_|\x60(?! )(.+?)(?<![${PYTHON_SPACE}\0])\x60_)$`, 'u');

/**
 * The name a target's text refers to (Body.parse_target, is_reference), unescaped: its lines, escapes
 * kept as NULs, the last ending with `_`, stripped, joined and whitespace-normalized, one whole
 * reference (`name_`, `` `a phrase`_ ``); undefined for a URI.
 */
export function referredName(escapedLines: readonly string[]): string | undefined {
  if (!(escapedLines.at(-1) ?? '').trim().endsWith('_')) return undefined;
  const m = WHOLE_REFERENCE.exec(whitespaceNormalizeName(escapedLines.map((l) => l.trim()).join(' ')));
  return m ? unescapeNull((m[1] ?? m[2]) as string) : undefined;
}

/** The name an image's `:target:` refers to (Image.run, parse_target); undefined for a URI. */
export const targetReference = (value: string): string | undefined => referredName(escapeToNull(value).split(/\r\n|[\n\r]/));

/** Inliner.interpreted_or_phrase_ref: interpreted text, a phrase reference, or the warning for it. Returns where parsing goes on. */
function interpretedOrPhrase(b: Block, start: Start, from: number, out: Inline[]): number {
  if (!start.role && quoted(b, start, from)) return start.end;
  const end = b.firstEnd('interpreted', start.end);
  if (!end || end.at === start.end) {
    out.push({ kind: 'warning', message: 'Inline interpreted text or phrase reference start-string without end-string.' });
    return start.end;
  }
  if (start.role && end.role) {
    out.push({ kind: 'warning', message: 'Multiple roles in interpreted text (both prefix and suffix present; only one allowed).' });
    return end.end;
  }
  if (b.at(end.end - 1) === '_') {
    if (start.role || end.role)
      out.push({ kind: 'warning', message: `Mismatch: both interpreted text role ${start.role ? 'prefix' : 'suffix'} and reference suffix.` });
    else phraseReference(b.text(start.end, end.at), b.at(end.end - 2) === '_', out);
    return end.end;
  }
  // Inliner.interpreted looks the role up; without one, the default role is docutils' own.
  const role = start.role ?? end.role;
  if (role !== undefined) out.push({ kind: 'role', name: role, text: b.text(start.end, end.at) });
  return end.end;
}

/** What docutils finds in a text block (a paragraph's text, as Body.paragraph passes it): constructs and warnings, in order. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  // Nothing starts markup without one of these.
  if (!/[*`_|[]/.test(text)) return out;
  const b = new Block(escapeToNull(text));
  let from = 0;
  for (let start = nextStart(b, from); start; start = nextStart(b, from)) {
    if (start.kind === 'interpreted') from = interpretedOrPhrase(b, start, from, out);
    else if (start.kind === 'reference') {
      const anonymous = b.at(start.end - 2) === '_';
      out.push(anonymous ? { kind: 'anonymous reference' } : { kind: 'reference', name: b.text(start.at, start.end - 1) });
      from = start.end;
    } else if (start.kind === 'footnote') {
      if (start.label !== undefined) out.push({ kind: 'reference', name: start.label, footnote: true });
      if (start.auto)
        out.push({ kind: 'auto footnote reference', symbol: start.auto === 'symbol', ...(start.autoLabel !== undefined ? { label: start.autoLabel } : {}) });
      from = start.end;
    } else from = simpleConstruct(b, start as Start & { kind: StartKind }, from, out);
  }
  return out;
}

/** What docutils finds in each text block, block after block, each with the line docutils gives it (its block's first line). */
export type Found = Inline & { line: number };

export function parseBlocks(blocks: readonly InlineBlock[]): Found[] {
  const found: Found[] = [];
  for (const block of blocks) for (const inline of parseInline(block.text)) found.push({ ...inline, line: block.line });
  return found;
}
