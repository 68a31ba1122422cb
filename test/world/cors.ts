// rs/cors's Default() (v1.11.1, cors.go), the middleware sigstore/fulcio (cmd/app/http.go),
// sigstore/rekor (configure_rekor_server.go, outermost) and sigstore/timestamp-authority
// (configure_timestamp_server.go) put in front of their routes: every
// origin, the methods GET, POST and HEAD, the request headers accept, content-type and
// x-requested-with, no credentials, no max age.
// - A preflight (OPTIONS with an Access-Control-Request-Method) is answered 204 there and then, the
//   route never reached; it carries the Allow- headers only when it names an origin, a method allowed
//   and headers allowed (in the set's sorted order, each once).
// - Any other request goes on to its route; the answer varies by Origin, and allows every origin when
//   the request came with one and its method is allowed (OPTIONS always is).
import type { Reply, WorldRequest } from './faults.ts';

const ALLOWED_METHODS = ['GET', 'POST', 'HEAD'];
/** The default allowed headers, as its SortedSet holds them: sorted, each at its position. */
const ALLOWED_HEADERS = ['accept', 'content-type', 'x-requested-with'];
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
/** internal/sortedset.go: OWS bytes tolerated on each side of a name, and empty elements in a list. */
const MAX_OWS_BYTES = 1;
const MAX_EMPTY_ELEMENTS = 16;

const isMethodAllowed = (method: string) => method === 'OPTIONS' || ALLOWED_METHODS.includes(method);

/** http.Header.Get of a header Node may have joined: its first value. */
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

/** trimLeftOWS or trimRightOWS: at most `MAX_OWS_BYTES` spaces or tabs taken off one end, else undefined. */
function trimOWSEnd(s: string, fromStart: boolean): string | undefined {
  let i = 0;
  while (s.length > 0) {
    if (i > MAX_OWS_BYTES) return undefined;
    const c = fromStart ? s[0] : s[s.length - 1];
    if (c !== ' ' && c !== '\t') break;
    s = fromStart ? s.slice(1) : s.slice(0, -1);
    i++;
  }
  return s;
}

const trimOWS = (s: string) => {
  const right = trimOWSEnd(s, false);
  return right === undefined ? undefined : trimOWSEnd(right, true);
};

/**
 * SortedSet.Accepts: a comma-separated list of allowed names in the set's order, each once, with
 * a little OWS and a few empty elements. Node hands over repeated header lines joined by ", ", which
 * reads the same but for OWS at a line's ends.
 */
function headersAccepted(list: string): boolean {
  const maxLen = MAX_OWS_BYTES + Math.max(...ALLOWED_HEADERS.map((h) => h.length)) + MAX_OWS_BYTES + 1;
  let lastSeen = -1;
  let empty = 0;
  for (let s = list; ; ) {
    // cutAtComma looks for the comma only within maxLen bytes: a longer name is no name of the set.
    const comma = s.slice(0, maxLen).indexOf(',');
    const name = trimOWS(comma < 0 ? s : s.slice(0, comma));
    s = comma < 0 ? '' : s.slice(comma + 1);
    if (name === undefined) return false;
    if (name === '') {
      if (++empty > MAX_EMPTY_ELEMENTS) return false;
    } else {
      const position = ALLOWED_HEADERS.indexOf(name);
      if (position <= lastSeen) return false;
      lastSeen = position;
    }
    if (comma < 0) return true;
  }
}

/** handlePreflight, then optionsSuccessStatus. */
function preflight(req: WorldRequest): Reply {
  const headers: Record<string, string> = { vary: PREFLIGHT_VARY };
  const method = first(req.headers['access-control-request-method']);
  const asked = req.headers['access-control-request-headers'];
  const requested = Array.isArray(asked) ? asked.join(', ') : asked;
  if (first(req.headers.origin) !== '' && isMethodAllowed(method) && (requested === undefined || headersAccepted(requested))) {
    headers['access-control-allow-origin'] = '*';
    headers['access-control-allow-methods'] = method;
    if (requested) headers['access-control-allow-headers'] = requested;
  }
  return { status: 204, headers };
}

/** handleActualRequest's headers on the answer of the route. */
function actual(req: WorldRequest, reply: Reply): Reply {
  const headers: Record<string, string> = { ...reply.headers };
  // Set before the route writes its own: Origin comes first.
  headers.vary = headers.vary ? `Origin, ${headers.vary}` : 'Origin';
  if (first(req.headers.origin) !== '' && isMethodAllowed(req.method)) headers['access-control-allow-origin'] = '*';
  return { ...reply, headers };
}

/** cors.Default().Handler around `next`. */
export async function rsCorsDefault(req: WorldRequest, next: () => Promise<Reply>): Promise<Reply> {
  if (req.method === 'OPTIONS' && first(req.headers['access-control-request-method']) !== '') return preflight(req);
  return actual(req, await next());
}
