// rekor-server's global middleware (pkg/generated/restapi/configure_rekor_server.go,
// setupGlobalMiddleware), outermost first, around go-openapi's router and its operations:
//  - rs/cors's Default() (../cors.ts);
//  - serveStaticContent: the path "/", whatever the method, is its home page (rekor-home-page.txt,
//    rekorHomePage.html of rekor v1.6.1), as text/html;
//  - chi's Heartbeat("/ping"): GET or HEAD of /ping (any case) is "." as text/plain.
// rekor-server bounds no request body (max_request_body_size is 0, unlimited, by default); the world
// keeps a bound of its own, which a client logging a large artifact or attestation (rekord data,
// a DSSE payload of many MiB) does not reach, so that it still takes what rekor-server takes.
// The paths are Go's URL.Path: the request's path decoded.
import { readFileSync } from 'node:fs';
import type { Front, Reply, WorldRequest } from '../faults.ts';
import { rsCorsDefault } from '../cors.ts';

const HOME_PAGE = readFileSync(new URL('./rekor-home-page.txt', import.meta.url));

/** URL.Path: the path as sent, percent-decoded (left as sent where it does not decode). */
function goPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}

/** serveStaticContent, then Heartbeat, then the route. */
async function staticContentAndHeartbeat(req: WorldRequest, next: () => Promise<Reply>): Promise<Reply> {
  const path = goPath(req.url);
  if (path === '/') return { status: 200, headers: { 'content-type': 'text/html' }, body: HOME_PAGE };
  if ((req.method === 'GET' || req.method === 'HEAD') && path.toLowerCase() === '/ping')
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: '.' };
  return next();
}

/** The world's bound on a Rekor request body: well past the 16 MiB of its other services. */
const REKOR_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** rekor-server's middleware, as startServer runs it. */
export const REKOR_FRONT: Front = {
  worldMaxBodyBytes: REKOR_MAX_BODY_BYTES,
  handle: (req, next) => rsCorsDefault(req, () => staticContentAndHeartbeat(req, next)),
};
