// go-openapi's content negotiation (runtime v0.33: server-middleware negotiate.ContentType, with
// mediatype's ParseAccept and Set.BestMatch), as the timestamp authority runs it twice for a request:
// - BindValidRequest, before the handler: the route's media types against the Accept header, the
//   body's media type as the fallback; only a request without a body can find none, refused 406;
// - Respond, after it: the route's media types with the API's default (application/json) last, no
//   fallback. The TSA has a producer for its operation's own media type only: any other format makes
//   the responder panic, and chi's Recoverer answers a bare 500 whose Content-Type is that format,
//   even an empty one, whatever the handler answered.
// Accept entries are matched as its options are by default: parameters of an entry do not keep it
// from matching an offer without any, and no structured-syntax suffix or alias is folded (the
// TSA's media types have neither).
import { json, type Reply } from '../faults.ts';
import { goParseMediaType } from '../go-mime.ts';

/** The API's DefaultProduces, which Respond offers last. */
const DEFAULT_PRODUCES = 'application/json';

interface AcceptEntry {
  type: string;
  subtype: string;
  q: number;
  /** any type 0, any subtype of one type 1, type and subtype 2, with parameters 3 */
  specificity: number;
}

/** splitTopLevel: the list's elements, split at commas outside double quotes, trimmed, none empty. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (escaped) escaped = false;
    else if (inQuote && c === '\\') escaped = true;
    else if (c === '"') inQuote = !inQuote;
    else if (c === ',' && !inQuote) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out.filter((t) => t !== '');
}

/** boundedQ: strconv.ParseFloat's decimal forms (and Inf, NaN) clamped to [0, 1]; undefined when it fails. */
function boundedQ(text: string): number | undefined {
  let q: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) q = Number(text);
  else if (/^[+-]?inf(inity)?$/i.test(text)) q = text.startsWith('-') ? -Infinity : Infinity;
  else if (/^nan$/i.test(text)) q = Number.NaN;
  else return undefined;
  return q < 0 ? 0 : q > 1 ? 1 : q;
}

/** mediatype.Parse: Go's mime.ParseMediaType, a type and a subtype both, q taken out of the parameters. */
function parseEntry(text: string): AcceptEntry | undefined {
  const parsed = goParseMediaType(text.trim());
  if ('error' in parsed) return undefined;
  const slash = parsed.mediaType.indexOf('/');
  if (slash <= 0 || slash === parsed.mediaType.length - 1) return undefined;
  const [type, subtype] = [parsed.mediaType.slice(0, slash), parsed.mediaType.slice(slash + 1)];
  const q = boundedQ(parsed.params.get('q') ?? '') ?? 1;
  const params = [...parsed.params.keys()].filter((name) => name !== 'q').length;
  const specificity = type === '*' && subtype === '*' ? 0 : subtype === '*' ? 1 : params === 0 ? 2 : 3;
  return { type, subtype, q, specificity };
}

/** MediaType.Matches of an offer (no parameters) and an entry: types and subtypes agree, * on either side. */
function matches(offer: string, entry: AcceptEntry): boolean {
  const [type, subtype] = offer.split('/') as [string, string];
  if (!(type === '*' || entry.type === '*' || type === entry.type)) return false;
  return type === '*' || entry.type === '*' || subtype === '*' || entry.subtype === '*' || subtype === entry.subtype;
}

/** Set.BestMatch: the highest q, then the most specific entry, then the earliest offer (its comparisons kept, NaN and all). */
function bestMatch(entries: AcceptEntry[], offers: string[]): string | undefined {
  let best: string | undefined;
  let [bestQ, bestSpec, bestIdx] = [-1, -1, -1];
  offers.forEach((offer, i) => {
    for (const entry of entries) {
      if (entry.q === 0 || !matches(offer, entry)) continue;
      if (entry.q > bestQ) [best, bestQ, bestSpec, bestIdx] = [offer, entry.q, entry.specificity, i];
      else if (entry.q < bestQ) continue;
      else if (entry.specificity > bestSpec) [best, bestSpec, bestIdx] = [offer, entry.specificity, i];
      else if (entry.specificity < bestSpec) continue;
      else if (bestIdx < 0 || i < bestIdx) [best, bestIdx] = [offer, i];
    }
  });
  return best;
}

/** negotiate.ContentType: the offer the Accept header (Node joins repeated lines as Go does) prefers, else `fallback`. */
export function negotiateContentType(accept: string | undefined, offers: string[], fallback: string): string {
  if (offers.length === 0) return fallback;
  if (accept === undefined) return offers[0]!;
  const entries = splitTopLevel(accept)
    .map(parseEntry)
    .filter((e): e is AcceptEntry => e !== undefined);
  return (entries.length > 0 && bestMatch(entries, offers)) || fallback;
}

/** BindValidRequest's refusal when nothing the route produces is acceptable: errors.InvalidResponseFormat. */
export function notAcceptable(accept: string | undefined, produces: string[], fallback = ''): Reply | undefined {
  if (negotiateContentType(accept, produces, fallback) !== '') return undefined;
  return json(406, { code: 406, message: `unsupported media type requested, only [${produces.join(' ')}] are available` });
}

/** Respond: the handler's answer when the negotiated format is the operation's own media type, else the bare 500. */
export function produced(accept: string | undefined, produces: string[], reply: Reply): Reply {
  const offers = [...produces.filter((p) => p !== DEFAULT_PRODUCES), DEFAULT_PRODUCES];
  const format = negotiateContentType(accept, offers, '');
  return format === produces[0] ? reply : { status: 500, headers: { 'content-type': format }, body: Buffer.alloc(0) };
}
