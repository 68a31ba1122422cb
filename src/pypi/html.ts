// The little HTML this action reads from an index: the links of a PEP 503 simple page, and the text
// of an error page. Indexes write both by hand or with any template engine, so attribute values may
// be quoted either way or bare, and any character reference may appear (pypiserver writes `&#039;`).

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references decoded in one pass, so that `&amp;lt;` reads `&lt;` and never `<`. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name] ?? whole;
    const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
    // HTML reads a reference to nothing, or to a surrogate, as U+FFFD.
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  });
}

/** One `<a>` of a page: its attributes (names lower-cased, values decoded) and its text. */
export interface Anchor {
  attributes: Map<string, string>;
  text: string;
}

const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributesOf(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(ATTRIBUTE)) {
    const name = (m[1] as string).toLowerCase();
    // The first of a repeated attribute counts, as in a browser.
    if (!found.has(name)) found.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return found;
}

/** One tag of a page: its name (lower-cased, `/a` for a closing one), the text inside `<…>`, and where it ends. */
interface Tag {
  name: string;
  inside: string;
  start: number;
  end: number;
}

/**
 * The tags of a page, in order, read in one pass (a page is an index's, so nothing here may take
 * more than linear time): a tag runs from `<` and a letter, `/`, `!` or `?` to the next `>`.
 */
function* tags(html: string): Generator<Tag> {
  // `<!…>` (a doctype or a comment) and `<?…>` are markup too, never text.
  const tagName = /\/?[a-zA-Z][^\s/>]*|[!?]/y;
  let at = html.indexOf('<');
  while (at >= 0) {
    // The name is read where it stands and `>` looked for only after one: a `<` that opens no tag
    // costs nothing more, so a page of them is read in linear time.
    tagName.lastIndex = at + 1;
    const name = tagName.exec(html)?.[0].toLowerCase();
    if (!name) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    const end = html.indexOf('>', at + 1);
    if (end < 0) return;
    yield { name, inside: html.slice(at + 1, end), start: at, end: end + 1 };
    at = html.indexOf('<', end + 1);
  }
}

/** Every `<a …>text</a>` of a page, in order; markup inside the text is dropped. */
export function anchors(html: string): Anchor[] {
  const found: Anchor[] = [];
  let open: Tag | undefined;
  for (const tag of tags(html)) {
    if (tag.name === 'a') open = tag;
    else if (tag.name === '/a' && open) {
      const text = html.slice(open.end, tag.start).replace(/<[^>]*>/g, '');
      found.push({ attributes: attributesOf(open.inside.slice(1)), text: decodeEntities(text).trim() });
      open = undefined;
    }
  }
  return found;
}

const UNREAD = new Set(['head', 'style', 'script', 'title']);

/** What a person reads of an error page: no head, style or script; tags become spaces; one line. */
export function pageText(html: string): string {
  const parts: string[] = [];
  let from = 0;
  let skipping: string | undefined;
  for (const tag of tags(html)) {
    if (!skipping) parts.push(html.slice(from, tag.start), ' ');
    if (!skipping && UNREAD.has(tag.name)) skipping = tag.name;
    else if (skipping && tag.name === `/${skipping}`) skipping = undefined;
    from = tag.end;
  }
  if (!skipping) parts.push(html.slice(from));
  return decodeEntities(parts.join('')).replace(/\s+/g, ' ').trim();
}
