// How the real servers behind the world's stand-ins find a route for a request, and what they answer
// when there is none: a client that gets a path or a method wrong must see what the real server says.
//
// - go-openapi (rekor-server, timestamp-authority; go-openapi/runtime middleware/router.go): the
//   request's escaped path is cleaned with Go's path.Clean before it is looked up, so a trailing
//   slash, `//` or `/./` still finds the route; a path that some other method has answers 405 with
//   `Allow` and "method M is not allowed, but [A,B] are", any other 404 "path P was not found" (the
//   path as sent), both as go-openapi's errors.ServeError writes them: `{code, message}`.
// - grpc-gateway (Fulcio; runtime/mux.go): the decoded path is split on `/` and its parts must be the
//   pattern's, so a trailing slash finds nothing; a path of another method answers DefaultRouting-
//   ErrorHandler's Unimplemented "Method Not Allowed", which HTTPStatusFromCode makes a 501, any other
//   NotFound "Not Found" (404), each as a google.rpc.Status `{code, message, details}`.
import type { Reply } from './faults.ts';
import { goPathClean } from './go-path.ts';

export interface Router {
  /** The path routes are matched against, from the path as sent (escaped, without the query). */
  path(raw: string): string;
  notFound(method: string, raw: string): Reply;
  /** `allowed`: the methods that have a route for the path; without it such a request is not found. */
  methodNotAllowed?(method: string, allowed: string[]): Reply;
}

const openapiError = (code: number, message: string, headers: Record<string, string> = {}): Reply => ({
  status: code,
  headers: { 'content-type': 'application/json', ...headers },
  body: { code, message },
});

export const GO_OPENAPI: Router = {
  path: goPathClean,
  notFound: (_method, raw) => openapiError(404, `path ${raw} was not found`),
  methodNotAllowed: (method, allowed) => openapiError(405, `method ${method} is not allowed, but [${allowed.join(',')}] are`, { allow: allowed.join(',') }),
};

// google.rpc.Code values.
const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;
const rpcStatus = (status: number, code: number, message: string): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: { code, message, details: [] },
});

export const GRPC_GATEWAY: Router = {
  path: (raw) => {
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  },
  notFound: () => rpcStatus(404, NOT_FOUND, 'Not Found'),
  methodNotAllowed: () => rpcStatus(501, UNIMPLEMENTED, 'Method Not Allowed'),
};
