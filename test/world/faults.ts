// The control plane shared by every TypeScript service of the local world: a tiny route table served
// on 127.0.0.1, per-route request counts, and fault/latency injection. Tests drive it over HTTP
// (docs/architecture.md "Control endpoints"); the Python PyPI stand-in mirrors the same endpoints,
// matching and stats (test/world/pypi/standin/faults.py):
//
//   POST   /_world/faults  {method?, path, count, status?, retryAfter?, delayMs?, truncate?, drop?, body?,
//                            holdUntilOpen?, holdMaxMs?, headers?, echo?, endless?, dripMs?}
//   DELETE /_world/faults
//   POST   /_world/latency {ms}
//   GET    /_world/stats   → {requests: {"POST /api/v2/signingCert": 1, …}, peak: {route: most at once},
//                              faults: {fired, pending, streamedBytes, streamedMaxBytes}}
//   DELETE /_world/stats   (resets the counts; a world is shared by one suite's tests)
//
// A fault matches on method (omitted or "*" = any) and path: the exact request path, the route's
// template name (e.g. "/api/v1/log/entries/{uuid}"), or a prefix ending in "*".
//
// holdUntilOpen (these services only, not the Python PyPI stand-in) holds the fault's requests until
// that many are open at once, then goes on with the rest of the fault (hold.ts); holdMaxMs caps the
// wait (default 5 s). A released request carries the x-world-hold-released-by header (open, cap or cleared).
//
// Hostile answers (hostile.ts, and the same in the stand-in): `headers` are added to the answer (a
// `location` makes a redirect); `echo` (plain, json, unicode, url, parts, base64) fills `{{secret}}`
// in a string `body` and in `headers` with the request's credential, or every secret the world
// issued, so encoded;
// `endless` streams a body that never ends, `dripMs` one byte every dripMs (with `status`, default 200);
// streamedBytes counts what such bodies sent, streamedMaxBytes the most one answer sent.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { HOLD_RELEASE_HEADER, OpenGate } from './hold.ts';
import { ECHO_ENCODINGS, fillEcho, journalLength, sendStream, type EchoEncoding } from './hostile.ts';
import type { Router } from './routers.ts';

export interface WorldRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Capture groups of a RegExp route path. */
  params: string[];
  /** The body went past the real server's bound (Front.maxBodyBytes): `body` holds the bytes up to it. */
  overLimit?: boolean;
}

/**
 * The real server's own HTTP middleware around its routes (what a server with none is: {}), applied
 * to the answers of its routes and router, not to the world's injected faults, and the bounds on its
 * request bodies.
 */
export interface Front {
  /** The real server's bound on a request body; without one, the world's own (worldMaxBodyBytes, then 413). */
  maxBodyBytes?: number;
  /** The world's bound on this server's request bodies, past which it answers 413 (default MAX_BODY_BYTES). */
  worldMaxBodyBytes?: number;
  /** The middleware: answers itself (a CORS preflight, a health check), or asks `next` (the route, or the router's refusal) and lets its answer out. */
  handle?(req: WorldRequest, next: () => Promise<Reply>): Promise<Reply>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: string | Uint8Array | object;
}

export interface Route {
  method: string;
  path: string | RegExp;
  /** Stats and fault key for RegExp routes, e.g. "/api/v1/log/entries/{uuid}". */
  name?: string;
  /** Control routes (e.g. OIDC scenarios) bypass faults, latency and stats. */
  control?: boolean;
  handle(req: WorldRequest): Reply | Promise<Reply>;
}

export interface Fault {
  method?: string;
  path: string;
  count: number;
  status?: number;
  retryAfter?: number | string;
  delayMs?: number;
  truncate?: boolean;
  drop?: boolean;
  body?: string | object;
  /** Hold matching requests until this many are open at once (at most `count`). */
  holdUntilOpen?: number;
  /** Release held requests anyway after this long (default HOLD_CAP_MS). */
  holdMaxMs?: number;
  /** Added to the answer: a `location` makes a redirect. */
  headers?: Record<string, string>;
  /** Fill `{{secret}}` in a string body with the secrets to echo, so encoded (hostile.ts). */
  echo?: EchoEncoding;
  /** A body that never ends. */
  endless?: boolean;
  /** A body of one byte every this many ms, never ending. */
  dripMs?: number;
  /** The reason phrase, echo filled too (the PyPI stand-in only: warehouse puts its message there). */
  reason?: string;
}

/** A registered fault; the gate holds its requests when it has holdUntilOpen. */
interface ActiveFault extends Fault {
  gate?: OpenGate;
  /** Secrets journalled when the fault was registered: an echo quotes only later ones (hostile.ts). */
  journalledBefore: number;
}

export interface WorldServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_COUNT = 100;
const MAX_DELAY_MS = 30_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
// Long enough for a client to open its requests on a busy 2-core machine, short enough that a client
// that never opens that many fails its test in seconds.
const HOLD_CAP_MS = 5_000;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: body as object };
}

/** Validates a fault spec from the control API; returns an error message or the fault. */
export function parseFault(input: unknown): Fault | string {
  if (typeof input !== 'object' || input === null) return 'fault must be a JSON object';
  const f = input as Record<string, unknown>;
  if (typeof f.path !== 'string' || f.path === '') return 'path is required';
  if (f.method !== undefined && typeof f.method !== 'string') return 'method must be a string';
  if (!Number.isInteger(f.count) || (f.count as number) < 1 || (f.count as number) > MAX_COUNT) {
    return `count must be an integer in 1..${MAX_COUNT}`;
  }
  if (f.status !== undefined && (!Number.isInteger(f.status) || (f.status as number) < 100 || (f.status as number) > 599)) {
    return 'status must be an HTTP status code';
  }
  if (f.delayMs !== undefined && (typeof f.delayMs !== 'number' || f.delayMs < 0 || f.delayMs > MAX_DELAY_MS)) {
    return `delayMs must be in 0..${MAX_DELAY_MS}`;
  }
  if (f.retryAfter !== undefined && typeof f.retryAfter !== 'number' && typeof f.retryAfter !== 'string') {
    return 'retryAfter must be a number or a string';
  }
  // Only `count` requests ever match, so a gate wider than that could only open at the cap.
  if (
    f.holdUntilOpen !== undefined &&
    (!Number.isInteger(f.holdUntilOpen) || (f.holdUntilOpen as number) < 1 || (f.holdUntilOpen as number) > (f.count as number))
  ) {
    return 'holdUntilOpen must be an integer in 1..count';
  }
  if (f.holdMaxMs !== undefined && (f.holdUntilOpen === undefined || typeof f.holdMaxMs !== 'number' || f.holdMaxMs < 0 || f.holdMaxMs > MAX_DELAY_MS)) {
    return `holdMaxMs must be in 0..${MAX_DELAY_MS}, with holdUntilOpen`;
  }
  if (f.echo !== undefined && (!ECHO_ENCODINGS.includes(f.echo as EchoEncoding) || typeof f.body !== 'string' || f.status === undefined)) {
    return `echo must be one of ${ECHO_ENCODINGS.join(', ')}, with a status and a string body`;
  }
  if (f.headers !== undefined && (typeof f.headers !== 'object' || f.headers === null || Object.values(f.headers).some((v) => typeof v !== 'string'))) {
    return 'headers must be an object of strings';
  }
  if (f.dripMs !== undefined && (typeof f.dripMs !== 'number' || f.dripMs < 1 || f.dripMs > 10_000)) return 'dripMs must be in 1..10000';
  if (
    f.status === undefined &&
    f.delayMs === undefined &&
    f.truncate !== true &&
    f.drop !== true &&
    f.holdUntilOpen === undefined &&
    f.endless !== true &&
    f.dripMs === undefined
  ) {
    return 'a fault needs status, delayMs, truncate, drop, holdUntilOpen, endless or dripMs';
  }
  return f as unknown as Fault;
}

function matches(fault: Fault, method: string, pathname: string, routeName: string): boolean {
  if (fault.method !== undefined && fault.method !== '*' && fault.method.toUpperCase() !== method) return false;
  if (fault.path.endsWith('*')) return pathname.startsWith(fault.path.slice(0, -1));
  return fault.path === pathname || fault.path === routeName;
}

function encode(reply: Reply): { headers: Record<string, string>; body: Buffer } {
  const headers = { ...reply.headers };
  const b = reply.body;
  if (b === undefined) return { headers, body: Buffer.alloc(0) };
  if (typeof b === 'string') return { headers: { 'content-type': 'text/plain', ...headers }, body: Buffer.from(b) };
  if (b instanceof Uint8Array) return { headers, body: Buffer.from(b) };
  return { headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(b)) };
}

/**
 * The body. Past MAX_BODY_BYTES (or the server's worldMaxBodyBytes) the world's own services answer 413 and read no more. A server with a
 * bound of the real one's (`bound`) keeps only the bytes up to it and reads the rest to drop it: the
 * route answers what the real server answers past its bound (Go's http.MaxBytesReader), the world's
 * memory stays bounded whatever is sent, and a client still sending is not cut off.
 */
async function readBody(req: IncomingMessage, bound?: number, worldLimit = MAX_BODY_BYTES): Promise<{ body: Buffer; overLimit: boolean } | undefined> {
  const limit = bound ?? worldLimit;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    if (size + bytes.length > limit && bound === undefined) return undefined;
    if (size < limit) chunks.push(bytes.subarray(0, limit - size));
    size += bytes.length;
  }
  return { body: Buffer.concat(chunks), overLimit: size > limit };
}

/** The real server's answer: its route's or router's, through its middleware. */
function answer(front: Front, request: WorldRequest, found: NonNullable<ReturnType<typeof findRoute>> | (() => Reply)): Promise<Reply> {
  const next = async () => (typeof found === 'function' ? found() : found.route.handle({ ...request, params: found.params }));
  return front.handle ? front.handle(request, next) : next();
}

/** The route's capture groups when it serves `path`. */
function routeMatch(route: Route, path: string): string[] | undefined {
  if (typeof route.path === 'string') return route.path === path ? [] : undefined;
  return route.path.exec(path)?.slice(1);
}

function findRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    const params = route.method === method ? routeMatch(route, path) : undefined;
    if (params) return { route, params };
  }
  return undefined;
}

/**
 * A request's target as a URL: an origin-form target keeps its path as sent (`//x` is a path, as Go's
 * servers read it, not a host), an absolute-form one is read as itself.
 */
function targetUrl(target: string): URL {
  if (target.startsWith('/')) return new URL(`http://127.0.0.1${target}`);
  return URL.parse(target) ?? new URL(`http://127.0.0.1/${target}`);
}

/** The world's own services: the path as the URL parser normalizes it, and a 404 naming what had no route. */
const PLAIN_ROUTER: Router = {
  path: (raw) => targetUrl(raw).pathname,
  notFound: (method, raw) => json(404, { message: `no route for ${method} ${targetUrl(raw).pathname}` }),
};

/**
 * The request's path as sent (without its query), and the control route the URL parser's path
 * names, else the service route the real router finds.
 */
function locate(table: Route[], routes: Route[], router: Router, method: string, target: string) {
  const raw = target.replace(/[?#].*$/s, '');
  const control = findRoute(table, method, targetUrl(raw).pathname);
  return { raw, found: control?.route.control ? control : findRoute(routes, method, router.path(raw)) };
}

/** What `router` answers a request that no route of `routes` serves. */
function unrouted(routes: Route[], router: Router, method: string, raw: string): Reply {
  const path = router.path(raw);
  const allowed = [...new Set(routes.filter((r) => r.method !== method && routeMatch(r, path)).map((r) => r.method))];
  return allowed.length > 0 && router.methodNotAllowed ? router.methodNotAllowed(method, allowed) : router.notFound(method, raw);
}

/**
 * Starts `routes` plus the control endpoints on a fresh 127.0.0.1 port. `router` is how the real
 * server the routes stand in for finds a route and answers a request it has none for (routers.ts);
 * `front`, its middleware around them (not around the world's injected faults).
 */
export async function startServer(routes: Route[], router: Router = PLAIN_ROUTER, front: Front = {}): Promise<WorldServer> {
  const faults: ActiveFault[] = [];
  const counts = new Map<string, number>();
  // Requests of a route being served at the same moment, and the most there were: shows how wide a
  // client's connection pool really is.
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let fired = 0;
  let streamedBytes = 0;
  let streamedMaxBytes = 0;
  let latencyMs = 0;
  // Aborted on close so a pending injected delay cannot keep the process alive.
  const closing = new AbortController();

  const controlRoutes: Route[] = [
    {
      method: 'POST',
      path: '/_world/faults',
      handle: (req) => {
        const fault = parseFault(parseJSON(req.body));
        if (typeof fault === 'string') return json(400, { message: fault });
        const gate = fault.holdUntilOpen === undefined ? undefined : new OpenGate(fault.holdUntilOpen, fault.holdMaxMs ?? HOLD_CAP_MS, closing.signal);
        faults.push({ ...fault, gate, journalledBefore: journalLength() });
        return json(201, { pending: faults.length });
      },
    },
    {
      method: 'DELETE',
      path: '/_world/faults',
      handle: () => {
        const cleared = faults.splice(0);
        // Requests a cleared fault still holds go on now rather than at its cap.
        for (const fault of cleared) fault.gate?.open('cleared');
        return json(200, { cleared: cleared.length });
      },
    },
    {
      method: 'POST',
      path: '/_world/latency',
      handle: (req) => {
        const ms = (parseJSON(req.body) as { ms?: unknown } | undefined)?.ms;
        if (typeof ms !== 'number' || ms < 0 || ms > MAX_DELAY_MS) return json(400, { message: `ms must be in 0..${MAX_DELAY_MS}` });
        latencyMs = ms;
        return json(200, { ms });
      },
    },
    {
      method: 'GET',
      path: '/_world/stats',
      handle: () =>
        json(200, {
          requests: Object.fromEntries(counts),
          peak: Object.fromEntries(peak),
          faults: { fired, pending: faults.length, streamedBytes, streamedMaxBytes },
        }),
    },
    {
      method: 'DELETE',
      path: '/_world/stats',
      handle: () => {
        counts.clear();
        peak.clear();
        fired = 0;
        streamedBytes = 0;
        streamedMaxBytes = 0;
        return json(200, {});
      },
    },
  ];
  const table = [...controlRoutes.map((r) => ({ ...r, control: true })), ...routes];

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = targetUrl(req.url ?? '/');
    const { raw, found } = locate(table, routes, router, method, req.url ?? '/');
    const read = await readBody(req, front.maxBodyBytes, front.worldMaxBodyBytes);
    if (read === undefined) return send(res, json(413, { message: 'request body too large' }));
    const request: WorldRequest = { method, url, headers: req.headers, body: read.body, params: [], ...(read.overLimit ? { overLimit: true } : {}) };
    if (found?.route.control) return send(res, await found.route.handle({ ...request, params: found.params }));

    const routeName = found ? (found.route.name ?? String(found.route.path)) : url.pathname;
    const key = `${method} ${routeName}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const now = (inFlight.get(key) ?? 0) + 1;
    inFlight.set(key, now);
    peak.set(key, Math.max(now, peak.get(key) ?? 0));
    try {
      await serveRoute(req, res, request, found ?? (() => unrouted(routes, router, method, raw)), routeName);
    } finally {
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    }
  }

  async function serveRoute(
    req: IncomingMessage,
    res: ServerResponse,
    request: WorldRequest,
    found: NonNullable<ReturnType<typeof findRoute>> | (() => Reply),
    routeName: string,
  ): Promise<void> {
    const { method, url, body: requestBody } = request;
    const index = faults.findIndex((f) => matches(f, method, url.pathname, routeName));
    const fault = index >= 0 ? faults[index] : undefined;
    if (fault) {
      fired += 1;
      if (--fault.count === 0) faults.splice(index, 1);
    }

    const releasedBy = await fault?.gate?.wait();
    const wait = latencyMs + (fault?.delayMs ?? 0);
    if (wait > 0) await delay(wait, undefined, { signal: closing.signal });
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }

    if (fault?.endless || fault?.dripMs !== undefined) {
      const sent = await sendStream(res, fault.status ?? 200, { dripMs: fault.dripMs, signal: closing.signal });
      streamedBytes += sent;
      streamedMaxBytes = Math.max(streamedMaxBytes, sent);
      return;
    }
    let reply: Reply;
    if (fault?.status !== undefined) {
      const echo = (text: string) => (fault.echo ? fillEcho(text, fault.echo, req.headers, requestBody, fault.journalledBefore) : text);
      const extra = Object.fromEntries(Object.entries(fault.headers ?? {}).map(([k, v]) => [k, echo(v)]));
      const headers: Record<string, string> = { ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}), ...extra };
      const body = typeof fault.body === 'string' ? echo(fault.body) : fault.body;
      const type: Record<string, string> =
        typeof body === 'string' && fault.echo ? { 'content-type': /^\s*[[{]/.test(body) ? 'application/json' : 'text/plain' } : {};
      reply = { status: fault.status, headers: { ...type, ...headers }, body: body ?? { message: `world: injected ${fault.status}` } };
    } else {
      reply = await answer(front, request, found);
    }

    if (releasedBy) reply = { ...reply, headers: { ...reply.headers, [HOLD_RELEASE_HEADER]: releasedBy } };
    if (fault?.truncate) return sendTruncated(res, reply);
    send(res, reply);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (closing.signal.aborted) return void req.socket.destroy();
      if (!res.headersSent) send(res, json(500, { message: String(err) }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseJSON(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const { headers, body } = encode(reply);
  res.writeHead(reply.status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

// Declares the full length but sends only half of the body, then resets the connection: the client
// sees a premature close mid-body, as with a proxy that dies while streaming.
function sendTruncated(res: ServerResponse, reply: Reply): void {
  const { headers, body } = encode(reply);
  res.writeHead(reply.status, { ...headers, 'content-length': String(body.length + 1) });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}
