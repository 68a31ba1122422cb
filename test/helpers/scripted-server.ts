// A 127.0.0.1 HTTP server that answers from a script, one answer per request, and records what it was
// asked: for the in-process tests of the action's clients (the world is the judge end to end).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer: the client's own timeout must end the request. */
  hang?: boolean;
}

export interface ScriptedServer {
  url: string;
  requests: Array<{ url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** Serves `answers` in order; once they run out, the last one is repeated. */
export async function scriptedServer(answers: ScriptedAnswer[]): Promise<ScriptedServer> {
  const requests: ScriptedServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    const a = answers[Math.min(requests.length, answers.length) - 1] as ScriptedAnswer;
    if (a.hang) return;
    res.writeHead(a.status, a.headers ?? {});
    res.end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
