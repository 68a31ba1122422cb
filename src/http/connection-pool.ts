// The keep-alive connections of one HTTP client: node's own http/https agents, one per scheme.
//
// Why node:http and not undici: loading undici costs ~21 MB more RSS than node:http + node:https
// (its HTTP parser is WebAssembly, node's is native), a quarter of issue #21's 80 MB budget
// (figures in docs/architecture.md, "Peak memory").
import type { Agent as HttpAgent } from 'node:http';
import { nodeHttp, nodeHttps } from './node-http.ts';

/** An idle connection is closed after this long (or one second before the server's Keep-Alive hint). */
const IDLE_CONNECTION_MS = 30_000;

export interface ConnectionPoolOptions {
  /** Connections open at once to one origin; requests beyond wait for one to be free. */
  connections: number;
}

export interface ConnectionPool {
  /** The agent for the URL's scheme, or undefined for a scheme this client does not speak. */
  agentFor(url: URL): HttpAgent | undefined;
  /** Closes every connection, busy or idle: what is still in flight fails at once. */
  destroy(): void;
}

export function createConnectionPool(options: ConnectionPoolOptions): ConnectionPool {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.connections,
    maxFreeSockets: options.connections,
    timeout: IDLE_CONNECTION_MS,
    // LIFO: the connection used last is the least likely to have been closed by the server's idle
    // timeout, and under a light load the surplus connections age out instead of being kept warm.
    scheduling: 'lifo' as const,
    // Nagle off: a small body goes out in several writes (headers, multipart head, file, tail), and
    // waiting for each one's ACK would add a round trip per write.
    noDelay: true,
  };
  // https.Agent with no `ca`: the default trust store (and NODE_EXTRA_CA_CERTS), as for real indexes.
  const http = new (nodeHttp().Agent)(agentOptions);
  // A runner whose traffic leaves through a proxy names it in HTTPS_PROXY and NO_PROXY (lower case
  // too), as pip, twine and the toolkit's HTTP client read them. https only: through a proxy, an https
  // origin gets a CONNECT tunnel and its credentials stay inside TLS; plain http goes to this
  // machine alone (loopback.ts), never through a proxy.
  const https = new (nodeHttps().Agent)({ ...agentOptions, proxyEnv: process.env });
  return {
    agentFor: (url) => (url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined),
    destroy() {
      http.destroy();
      https.destroy();
    },
  };
}
