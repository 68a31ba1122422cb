// go-openapi's content negotiation (runtime v0.33.4: middleware/context.go and
// server-middleware/negotiate, mediatype), as rekor-server runs it around each operation:
//  1. BindValidRequest: the Accept header against what the operation produces; none acceptable is a
//     406 "unsupported media type requested, only [...] are available" (unless the request had a
//     body: its own media type is then the fallback, and nothing is refused);
//  2. Respond: the Accept header against what it produces plus application/json, the API's default;
//     the handler's answer goes out as the media type chosen (the PEM producer, or JSON, which writes
//     a string as a JSON string), labelled with it, or with nothing at all when none was.
// A refusal of go-openapi's own (binding, validation) is always application/json.
import type { Reply, WorldRequest } from '../faults.ts';
import { goParseMediaType } from '../go-mime.ts';

const DEFAULT_PRODUCES = 'application/json';

interface MediaType {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

/** mediatype.Parse: Go's mime.ParseMediaType, a subtype required, q taken out (clamped to [0, 1]). */
function parse(text: string): MediaType | undefined {
  const read = goParseMediaType(text.trim());
  if ('error' in read) return undefined;
  const slash = read.mediaType.indexOf('/');
  if (slash <= 0 || slash === read.mediaType.length - 1) return undefined;
  const { q, ...params } = Object.fromEntries(read.params);
  const parsed = q === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(q.trim()) ? 1 : Math.min(1, Math.max(0, Number(q)));
  return { type: read.mediaType.slice(0, slash), subtype: read.mediaType.slice(slash + 1), params, q: parsed };
}

/** splitTopLevel: the Accept header's elements, commas inside quotes kept. */
function split(accept: string): string[] {
  const out: string[] = [];
  let [start, quoted, escaped] = [0, false, false];
  for (let i = 0; i <= accept.length; i++) {
    const c = accept[i];
    if (escaped) escaped = false;
    else if (quoted && c === '\\') escaped = true;
    else if (c === '"') quoted = !quoted;
    else if ((c === ',' && !quoted) || i === accept.length) {
      const element = accept.slice(start, i).trim();
      if (element !== '') out.push(element);
      start = i + 1;
    }
  }
  return out;
}

/** MediaType.Matches: wildcards on either side, and the offer's parameters all in the accepted type's. */
function matches(offer: MediaType, entry: MediaType): boolean {
  const wild = (a: string, b: string) => a === '*' || b === '*' || a === b;
  if (!wild(offer.type, entry.type)) return false;
  if (!(offer.type === '*' || entry.type === '*' || wild(offer.subtype, entry.subtype))) return false;
  const own = Object.keys(offer.params);
  return own.length === 0 || Object.entries(entry.params).every(([k, v]) => offer.params[k]?.toLowerCase() === v.toLowerCase());
}

/** How specific an accepted type is: any, a type's any, a subtype, a subtype with parameters. */
const specificity = (m: MediaType) => (m.type === '*' && m.subtype === '*' ? 0 : m.subtype === '*' ? 1 : Object.keys(m.params).length === 0 ? 2 : 3);

/** negotiate.ContentType: the offer the Accept header prefers (by q, then specificity, then order), else `fallback`. */
export function negotiate(accept: string | undefined, offers: string[], fallback: string): string {
  if (offers.length === 0) return fallback;
  if (accept === undefined) return offers[0]!;
  const accepted = split(accept)
    .map(parse)
    .filter((m): m is MediaType => m !== undefined);
  if (accepted.length === 0) return fallback;
  let best: { offer: string; q: number; spec: number } | undefined;
  for (const offer of offers) {
    const o = parse(offer);
    if (!o) continue;
    for (const entry of accepted) {
      if (entry.q === 0 || !matches(o, entry)) continue;
      const spec = specificity(entry);
      if (!best || entry.q > best.q || (entry.q === best.q && spec > best.spec)) best = { offer, q: entry.q, spec };
    }
  }
  return best?.offer ?? fallback;
}

/** The Accept header, its lines joined as Go joins them. */
const acceptOf = (req: WorldRequest): string | undefined => {
  const value = req.headers.accept;
  return Array.isArray(value) ? value.join(', ') : value;
};

/** BindValidRequest's check of the response format: undefined when acceptable, else go-openapi's 406. */
export function notAcceptable(req: WorldRequest, produces: string[]): Reply | undefined {
  // A request with a body falls back on the media type it was sent as (octet-stream without one).
  const type = req.headers['content-type'];
  const sent = typeof type === 'string' ? goParseMediaType(type) : { mediaType: 'application/octet-stream' };
  const fallback = req.body.length > 0 && 'mediaType' in sent ? sent.mediaType : '';
  if (negotiate(acceptOf(req), produces, fallback) !== '') return undefined;
  const message = `unsupported media type requested, only [${produces.join(' ')}] are available`;
  return { status: 406, headers: { 'content-type': 'application/json' }, body: { code: 406, message } };
}

/** Respond's format: the media type the handler's answer is written as ('' when none is acceptable). */
export function responseFormat(req: WorldRequest, produces: string[]): string {
  return negotiate(acceptOf(req), [...produces.filter((p) => p !== DEFAULT_PRODUCES), DEFAULT_PRODUCES], '');
}

/** go-openapi's own refusals (binding, validation), which it writes as JSON whatever was negotiated. */
const BOUND = new WeakSet<Reply>();

/** Marks `reply` as a refusal of go-openapi's binding. */
export function bindingRefusal(reply: Reply): Reply {
  BOUND.add(reply);
  return reply;
}

/**
 * An operation that produces `produces`: the 406 when nothing acceptable is, else the handler's
 * answer (given the format Respond chose) labelled with that format, a binding refusal left as JSON.
 * `labels`: the handler labels its answer itself (an operation with more than one producer).
 */
export function operation(req: WorldRequest, produces: string[], handle: (format: string) => Reply, labels = false): Reply {
  const refused = notAcceptable(req, produces);
  if (refused) return refused;
  const format = responseFormat(req, produces);
  const reply = handle(format);
  if (labels || BOUND.has(reply) || reply.body === undefined) return reply;
  return { ...reply, headers: { ...reply.headers, 'content-type': format } };
}
