// rs/cors v1.11.1's Default() (cors.go), the outermost middleware rekor-server puts in front of
// everything it serves (configure_rekor_server.go): any origin, the methods GET, POST and HEAD (and
// OPTIONS), the request headers accept, content-type and x-requested-with, no credentials, no max age.
//  - A preflight (OPTIONS with an Access-Control-Request-Method) is answered there: 204, varying by
//    Origin and the request's method and headers, and allowing the origin, the method and the headers
//    asked for only when it names an origin, an allowed method and allowed headers.
//  - Any other request goes on; its answer varies by Origin, and allows every origin when it came
//    with one and its method is allowed.
import type { Reply, WorldRequest } from '../faults.ts';

const METHODS = ['GET', 'POST', 'HEAD'];
/** internal.SortedSet of the default headers: each name at its sorted position. */
const HEADERS = ['accept', 'content-type', 'x-requested-with'];
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
/** sortedset.go's tolerance: white space on each side of a name, and empty elements of a list. */
const MAX_OWS_BYTES = 1;
const MAX_EMPTY_ELEMENTS = 16;

/** http.Header.Get: the first value ('' when absent). Node joins a repeated header's values. */
const header = (req: WorldRequest, name: string): string => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};

const isMethodAllowed = (method: string) => method === 'OPTIONS' || METHODS.includes(method);

/** trimLeftOWS / trimRightOWS: at most MAX_OWS_BYTES spaces or tabs off one end, or undefined. */
function trimEnd(s: string, left: boolean): string | undefined {
  for (let i = 0; s.length > 0; i++) {
    if (i > MAX_OWS_BYTES) return undefined;
    const c = left ? s[0] : s[s.length - 1];
    if (c !== ' ' && c !== '\t') break;
    s = left ? s.slice(1) : s.slice(0, -1);
  }
  return s;
}

/** SortedSet.Accepts: names of the set, in its order, each once, with little white space and few empty elements. */
function headersAccepted(list: string): boolean {
  const maxLen = MAX_OWS_BYTES + Math.max(...HEADERS.map((h) => h.length)) + MAX_OWS_BYTES + 1;
  let [last, empty] = [-1, 0];
  for (let rest = list; ; ) {
    // cutAtComma looks for a comma only within maxLen bytes.
    const comma = rest.slice(0, maxLen).indexOf(',');
    const raw = comma < 0 ? rest : rest.slice(0, comma);
    rest = comma < 0 ? '' : rest.slice(comma + 1);
    const right = trimEnd(raw, false);
    const name = right === undefined ? undefined : trimEnd(right, true);
    if (name === undefined) return false;
    if (name === '') {
      if (++empty > MAX_EMPTY_ELEMENTS) return false;
    } else {
      const position = HEADERS.indexOf(name);
      if (position <= last) return false;
      last = position;
    }
    if (comma < 0) return true;
  }
}

/** handlePreflight, then the 204 of optionsSuccessStatus. */
function preflight(req: WorldRequest): Reply {
  const headers: Record<string, string> = { vary: PREFLIGHT_VARY };
  const method = header(req, 'access-control-request-method');
  const asked = req.headers['access-control-request-headers'];
  const requested = Array.isArray(asked) ? asked.join(', ') : asked;
  if (header(req, 'origin') !== '' && isMethodAllowed(method) && (requested === undefined || headersAccepted(requested))) {
    headers['access-control-allow-origin'] = '*';
    headers['access-control-allow-methods'] = method;
    if (requested) headers['access-control-allow-headers'] = requested;
  }
  return { status: 204, headers };
}

/** cors.Default().Handler around `next`. */
export async function rekorCors(req: WorldRequest, next: () => Promise<Reply>): Promise<Reply> {
  if (req.method === 'OPTIONS' && header(req, 'access-control-request-method') !== '') return preflight(req);
  // handleActualRequest sets its headers before the handler writes any.
  const reply = await next();
  const headers: Record<string, string> = { ...reply.headers };
  headers.vary = headers.vary ? `Origin, ${headers.vary}` : 'Origin';
  if (header(req, 'origin') !== '' && isMethodAllowed(req.method)) headers['access-control-allow-origin'] = '*';
  return { ...reply, headers };
}
