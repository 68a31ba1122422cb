// A pass-through proxy in front of the PyPI stand-in that lets a test act at a precise moment of the
// exchange, without sleeping: when a request reaches a route (e.g. the simple-index look-up the
// action makes just before it uploads), or when the first bytes of an upload's body have arrived.
// While a hook runs, the proxy reads nothing more from the action: the action's socket fills and
// it stops reading the file, so what the hook changes in the file's later part is what it would send.
// It also counts the uploads the index saw to their end (a body cut short never reaches the index whole).
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface ProxyHooks {
  /** Runs once, before the first request whose path starts with this prefix is passed on. */
  beforeRoute?: { prefix: string; run: () => Promise<void> };
  /** Runs once, when the first bytes of the first upload (POST) body have arrived. */
  onFirstUploadBytes?: () => Promise<void>;
}

export interface IndexProxy {
  url: string;
  /** The upload URL through the proxy. */
  uploadUrl: string;
  /** POSTs received, and those whose body came to its announced end. */
  uploads: { started: number; complete: number };
  hooks: ProxyHooks;
  close(): Promise<void>;
}

export async function startIndexProxy(upstream: string, hooks: ProxyHooks = {}): Promise<IndexProxy> {
  const target = new URL(upstream);
  const uploads = { started: 0, complete: 0 };
  const state: IndexProxy = { url: '', uploadUrl: '', uploads, hooks, close: async () => {} };
  let routeHookDone = false;
  let bytesHookDone = false;

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = state.hooks.beforeRoute;
    if (route && !routeHookDone && req.url?.startsWith(route.prefix)) {
      routeHookDone = true;
      await route.run();
    }
    const isUpload = req.method === 'POST' && !(req.url ?? '').startsWith('/_/');
    if (isUpload) uploads.started++;
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } });
    up.on('response', (r) => {
      res.writeHead(r.statusCode ?? 502, r.statusMessage, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    const announced = Number(req.headers['content-length'] ?? 0);
    let received = 0;
    try {
      for await (const chunk of req) {
        if (isUpload && received === 0 && state.hooks.onFirstUploadBytes && !bytesHookDone) {
          bytesHookDone = true;
          await state.hooks.onFirstUploadBytes();
        }
        received += (chunk as Buffer).length;
        if (!up.write(chunk)) await once(up, 'drain');
      }
    } catch {
      // The action ended its request before the body's end: the index must not see a whole form.
      up.destroy();
      return;
    }
    if (received !== announced) {
      up.destroy();
      return;
    }
    if (isUpload) uploads.complete++;
    up.end();
  };

  const server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}`;
  state.uploadUrl = `${state.url}/legacy/`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}
