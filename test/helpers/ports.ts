// Free loopback ports for servers that take a port number rather than binding port 0 themselves.
import { createServer } from 'node:net';

/** A port free when asked: another process may still take it before the server binds it. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}
