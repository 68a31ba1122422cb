// go-openapi's content negotiation around an operation (runtime v0.33.4: middleware/context.go; the
// negotiation itself is openapi-negotiate.ts's), as rekor-server runs it around each operation:
//  1. BindValidRequest: the Accept header against what the operation produces; none acceptable is a
//     406 "unsupported media type requested, only [...] are available" (unless the request had a
//     body: its own media type is then the fallback, and nothing is refused);
//  2. Respond: the Accept header against what it produces plus application/json, the API's default;
//     the handler's answer goes out as the media type chosen (the PEM producer, or JSON, which writes
//     a string as a JSON string), labelled with it, or with nothing at all when none was.
// A refusal of go-openapi's own (binding, validation) is always application/json.
import type { Reply, WorldRequest } from '../faults.ts';
import { goParseMediaType } from '../go-mime.ts';
import { negotiateContentType, notAcceptable as refusedFormat } from './openapi-negotiate.ts';

const DEFAULT_PRODUCES = 'application/json';

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
  return refusedFormat(acceptOf(req), produces, fallback);
}

/** Respond's format: the media type the handler's answer is written as ('' when none is acceptable). */
export function responseFormat(req: WorldRequest, produces: string[]): string {
  return negotiateContentType(acceptOf(req), [...produces.filter((p) => p !== DEFAULT_PRODUCES), DEFAULT_PRODUCES], '');
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
