// What the action prints about another party's answer may quote a credential back: an index that
// echoes the password or the JWT in an error, sigstore-js errors that embed the OIDC token. A quote
// is rarely verbatim: JSON escapes `/` as `\/` and may write any character as `\uXXXX`, a form
// echo is URL-encoded, Basic auth is base64, and a JWT travels in parts (header, payload, signature
// are each a base64url segment). So every secret is registered with its parts the moment it exists,
// and one scrubber finds each part in any of those encodings, mixed, in every string that leaves
// the process (log, summary, outputs; see guarded-runtime.ts).

/**
 * A secret is hunted for whole from 4 characters (a short password is still a password; shorter
 * ones are left to the runner's mask: blanking out every "a" helps nobody), its pieces (a JWT's
 * segments, a token's body) from 8.
 */
const MIN_SECRET_LENGTH = 4;
const MIN_PART_LENGTH = 8;
/** A base64 form from 6 characters (36 bits): a password of 7 is found at every alignment. */
const MIN_ENCODED_LENGTH = 6;
const REPLACEMENT = '***';

/**
 * The pieces of a secret worth hunting for on their own: the whole, the segments of a JWT, the body
 * of a prefixed API token (`pypi-…`). Each is also worth masking with the runner.
 */
export function secretParts(secret: string): string[] {
  const parts = new Set<string>([secret]);
  const segments = secret.split('.');
  if (segments.length === 3) for (const s of segments) parts.add(s);
  const prefixed = /^[a-z]+-(.+)$/s.exec(secret);
  if (prefixed?.[1]) parts.add(prefixed[1]);
  return [...parts].filter((p) => p.length >= (p === secret ? MIN_SECRET_LENGTH : MIN_PART_LENGTH));
}

/**
 * The base64 and base64url forms a part takes inside a longer encoded text: the text's alignment is
 * unknown, so the part is encoded from its first, second and third character, and the last
 * characters, which depend on what follows, are dropped (the runner's own masker does the same).
 */
export function base64Forms(part: string): string[] {
  const forms: string[] = [];
  for (let skip = 0; skip < 3 && skip < part.length; skip++) {
    const b64 = Buffer.from(part.slice(skip)).toString('base64').replace(/=+$/, '');
    // The last character carries bits of the next byte unless the encoded length is a multiple of 3.
    const stable = (part.length - skip) % 3 === 0 ? b64 : b64.slice(0, -1);
    forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms.filter((f) => f.length >= MIN_ENCODED_LENGTH);
}

const hexCase = (hex: string) => [...hex].map((h) => (/[a-f]/i.test(h) ? `[${h.toLowerCase()}${h.toUpperCase()}]` : h)).join('');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Every way one character is commonly written in a quote: itself, JSON `\uXXXX` (or `\/`), %XX, an HTML entity. */
function characterPattern(ch: string): string {
  const forms = [escapeRegExp(ch)];
  const units = [...Array(ch.length).keys()].map((i) => ch.charCodeAt(i).toString(16).padStart(4, '0'));
  // A JSON escape, possibly itself escaped again (JSON in a JSON string).
  forms.push(units.map((u) => `\\\\+u${hexCase(u)}`).join(''));
  const short: Record<string, string> = { '/': '\\/', '"': '"', '\\': '\\\\', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };
  if (short[ch]) forms.push(`\\\\+${short[ch]}`);
  forms.push([...Buffer.from(ch)].map((b) => `%${hexCase(b.toString(16).padStart(2, '0'))}`).join(''));
  if (ch === ' ') forms.push('\\+');
  const code = ch.codePointAt(0) ?? 0;
  forms.push(`&#0*${code};`, `&#[xX]0*${hexCase(code.toString(16))};`);
  const named: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };
  if (named[ch]) forms.push(`&${named[ch]};`);
  return `(?:${forms.join('|')})`;
}

// A JWT's parts and their base64 forms are ~14,000 characters drawn from ~70 distinct ones.
const characterPatterns = new Map<string, string>();
const rememberedCharacterPattern = (ch: string): string => {
  let pattern = characterPatterns.get(ch);
  if (pattern === undefined) characterPatterns.set(ch, (pattern = characterPattern(ch)));
  return pattern;
};

/** A pattern that matches `text` however each of its characters is written (see characterPattern). */
function anyEncoding(text: string): RegExp {
  return new RegExp([...text].map(rememberedCharacterPattern).join(''), 'g');
}

/** Where one of characterPattern's encoded forms of a character could begin. */
const ESCAPE_INTRODUCER = /\\[\\u/"bfnrt]|%[0-9a-fA-F]{2}|&(?:#|amp;|lt;|gt;|quot;|apos;)/;

/** The secrets of one run, and the one place that removes them from what the run shows. */
export class SecretScrubber {
  // Each part's pattern is made the first time a text may hold an encoded form of it: most runs
  // print nothing that needs one, and making them all when a token arrived took ~70 ms (bench c).
  readonly #patterns = new Map<string, RegExp | undefined>();
  readonly #seen = new Set<string>();
  // Longest first: a secret's own pattern must win over a shorter part of another secret inside it.
  #ordered: string[] = [];
  #spaced = false;

  /**
   * Registers a secret with its parts; returns what the runner should mask now: the secret itself
   * the first time (whatever its length: the runner masks short secrets too) and its parts not
   * registered before.
   */
  add(secret: string | undefined): string[] {
    if (!secret) return [];
    const firstTime = !this.#seen.has(secret);
    this.#seen.add(secret);
    const fresh = secretParts(secret).filter((p) => !this.#patterns.has(p));
    for (const part of fresh) {
      if (part.includes(' ')) this.#spaced = true;
      this.#patterns.set(part, undefined);
      for (const form of base64Forms(part)) if (!this.#patterns.has(form)) this.#patterns.set(form, undefined);
    }
    this.#ordered = [...this.#patterns.keys()].sort((a, b) => b.length - a.length);
    return firstTime && !fresh.includes(secret) ? [secret, ...fresh] : fresh;
  }

  /**
   * Whether `text` surely holds no registered part, decided without a regular expression: most text
   * holds no secret, and a replace per pattern (dozens per secret) copied every log line each time
   * (bench b: ~150 MB of garbage and ~1 s of CPU), and each pattern that runs is compiled to native
   * code of its own (~1 MB for a JWT's, kept while the scrubber lives). Where no escape of
   * characterPattern's begins (nor `+` when a part has a space), no character of the text can be an
   * encoded one, so a part can only appear as written. A table cell's `\|` or a URL's `&` is no escape.
   */
  #plainlyClean(text: string): boolean {
    if (ESCAPE_INTRODUCER.test(text) || (this.#spaced && text.includes('+'))) return false;
    for (const literal of this.#patterns.keys()) if (text.includes(literal)) return false;
    return true;
  }

  /** `text` with every registered part, in any of the encodings above, replaced by `***`. */
  scrub(text: string): string {
    if (this.#plainlyClean(text)) return text;
    let out = text;
    // search() first: a global replace that finds nothing still copies the text (the job summary, KBs, per pattern).
    for (const part of this.#ordered) {
      const pattern = this.#patternOf(part);
      if (out.search(pattern) >= 0) out = out.replace(pattern, REPLACEMENT);
    }
    return out;
  }

  #patternOf(part: string): RegExp {
    let pattern = this.#patterns.get(part);
    if (!pattern) this.#patterns.set(part, (pattern = anyEncoding(part)));
    return pattern;
  }
}

/** One-off scrub of `text` for a few secrets known where the text is made (an error body, a library's message). */
export function scrub(text: string, secrets: Array<string | undefined>): string {
  const scrubber = new SecretScrubber();
  for (const s of secrets) scrubber.add(s);
  return scrubber.scrub(text);
}
