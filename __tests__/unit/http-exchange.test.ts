// The HTTP client's transport (src/http/exchange.ts, connection-pool.ts) against real sockets on
// 127.0.0.1: the connection bound and its reuse, request bodies streamed with backpressure, a body
// source's own failure told apart from the network's, an endless answer cut, repeated headers, and
// close() ending an upload the server stopped reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHttpClient } from '../../src/http/client.ts';
import { HttpError } from '../../src/http/errors.ts';

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 };

interface TestServer {
  url: string;
  /** Connections accepted so far, and the most open at once. */
  stats: { opened: number; open: number; maxOpen: number };
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, socket: Socket) => void): Promise<TestServer> {
  const stats = { opened: 0, open: 0, maxOpen: 0 };
  const server: Server = createServer((req, res) => handler(req, res, req.socket));
  server.on('connection', (socket) => {
    stats.opened++;
    stats.maxOpen = Math.max(stats.maxOpen, ++stats.open);
    socket.on('close', () => stats.open--);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

test('N+1 concurrent requests never open more than N connections, and later requests reuse them', async (t) => {
  const N = 3;
  const held: ServerResponse[] = [];
  const server = await serve((req, res) => {
    req.resume();
    // The first N requests are held until all N are in: only a pool that queues the rest lets them all finish.
    if (held.length < N) {
      held.push(res);
      if (held.length === N) for (const r of held) r.end('ok');
    } else res.end('ok');
  });
  const http = createHttpClient({ userAgent: 't', connections: N });
  t.after(() => Promise.all([http.close(), server.close()]));
  const answers = await Promise.all(Array.from({ length: 4 * N + 1 }, (_, i) => http.send({ method: 'GET', url: `${server.url}/r${i}`, retry: false })));
  assert.ok(answers.every((a) => a.status === 200 && a.text() === 'ok'));
  // A request after the burst, when nothing waits in the queue, finds an idle connection kept alive.
  assert.equal((await http.send({ method: 'GET', url: `${server.url}/later`, retry: false })).status, 200);
  assert.equal(server.stats.maxOpen, N, 'connections open at once');
  assert.equal(server.stats.opened, N, 'connections opened in all: the rest were reused');
});

test('a streamed body arrives whole, chunk after chunk, and its Content-Length is honoured', async (t) => {
  let received = Buffer.alloc(0);
  let headers: IncomingMessage['headers'] = {};
  const server = await serve(async (req, res) => {
    headers = req.headers;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received = Buffer.concat(chunks);
    res.end();
  });
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  // 8 MiB in 1 MiB chunks through loopback's buffers: the writer must wait for 'drain' to get through.
  const chunk = (i: number) => Buffer.alloc(1 << 20, i);
  const body = async function* () {
    for (let i = 0; i < 8; i++) yield chunk(i);
  };
  const res = await http.send({ method: 'POST', url: `${server.url}/up`, headers: { 'content-length': String(8 << 20) }, body });
  assert.equal(res.status, 200);
  assert.equal(headers['content-length'], String(8 << 20));
  assert.equal(headers['transfer-encoding'], undefined);
  assert.deepEqual(received, Buffer.concat(Array.from({ length: 8 }, (_, i) => chunk(i))));
});

test("a body source's own error is thrown as it is and never retried", async (t) => {
  let hits = 0;
  const server = await serve((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.end());
  });
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  const changed = Object.assign(new Error('the file changed'), { code: 'FILE_CHANGED' });
  let opened = 0;
  const body = async function* () {
    opened++;
    yield Buffer.from('head');
    throw changed;
  };
  await assert.rejects(http.send({ method: 'POST', url: `${server.url}/up`, body, retry: FAST }), (e) => e === changed);
  assert.equal(opened, 1, 'the body was opened once: no retry');
  assert.ok(hits <= 1);
});

test('a connection lost in the middle of an upload is a network HttpError, retried, and the source is closed each time', async (t) => {
  const server = await serve((req) => req.once('data', () => req.socket.destroy()));
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  let opened = 0;
  let closed = 0;
  const body = async function* () {
    opened++;
    try {
      for (let i = 0; i < 256; i++) yield Buffer.alloc(1 << 20, i);
    } finally {
      closed++;
    }
  };
  await assert.rejects(http.send({ method: 'POST', url: `${server.url}/up`, body, retry: FAST }), (e) => {
    assert.ok(e instanceof HttpError, String(e));
    assert.equal(e.code, 'HTTP_NETWORK');
    assert.match(e.message, /^could not reach http:\/\/127\.0\.0\.1:\d+\/up \(/);
    return true;
  });
  assert.equal(opened, FAST.attempts);
  // The writer stops at the next chunk it asks for; the generator's finally runs then.
  await new Promise((r) => setImmediate(r));
  assert.equal(closed, FAST.attempts, 'every abandoned body source was closed');
});

test('an endless answer is cut at maxBodyBytes and its connection closed', async (t) => {
  const CAP = 64 << 20;
  let written = 0;
  let serverSawClose!: () => void;
  const socketClosed = new Promise<void>((r) => (serverSawClose = r));
  const server = await serve((req, res, socket) => {
    req.resume();
    socket.once('close', serverSawClose);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const block = Buffer.alloc(64 * 1024, 0x61);
    // Bounded: 64 MiB at most, far beyond what a client that stops reading lets through loopback.
    const pump = () => {
      while (written < CAP && !res.destroyed) {
        written += block.length;
        if (!res.write(block)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  const res = await http.send({ method: 'GET', url: `${server.url}/endless`, maxBodyBytes: 100_000, retry: false });
  assert.equal(res.status, 200);
  assert.equal(res.truncated, true);
  assert.equal(res.body.length, 100_000);
  await socketClosed;
  assert.ok(written < CAP, `the server pushed ${written} bytes`);
});

test('response headers: lower-case names, a repeated header as an array, header() its first value', async (t) => {
  const server = await serve((req, res) => {
    req.resume();
    res.setHeader('X-Single', 'one');
    res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    res.writeHead(201, 'Made It').end();
  });
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  const res = await http.send({ method: 'GET', url: `${server.url}/h` });
  assert.equal(res.status, 201);
  assert.equal(res.statusText, 'Made It');
  assert.equal(res.headers['x-single'], 'one');
  assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
  assert.equal(res.header('Set-Cookie'), 'a=1');
});

test("a URL's userinfo is never sent as credentials", async (t) => {
  let authorization: string | undefined = 'unset';
  const server = await serve((req, res) => {
    authorization = req.headers.authorization;
    req.resume();
    res.end();
  });
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  await http.send({ method: 'GET', url: server.url.replace('http://', 'http://user:secret@') });
  assert.equal(authorization, undefined);
});

test('an upload waits for the socket; close() ends one the server stopped reading, and closes its source', { timeout: 10_000 }, async (t) => {
  let arrived!: () => void;
  const reading = new Promise<void>((r) => (arrived = r));
  // The server takes the head, then reads nothing more: the writer waits for a 'drain' that never comes.
  const server = await serve((req) => req.once('data', () => (req.pause(), arrived())));
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => server.close());
  let closed = false;
  let pulled = 0;
  const body = async function* () {
    try {
      for (; pulled < 256; pulled++) yield Buffer.alloc(1 << 20, pulled);
    } finally {
      closed = true;
    }
  };
  const upload = http.send({ method: 'POST', url: `${server.url}/up`, body, timeoutMs: 600_000, retry: false });
  await reading;
  // A writer that does not wait for 'drain' would have pulled all 256 MiB into memory by now; one
  // that waits stops at what loopback's socket buffers hold (a few MiB).
  assert.ok(pulled < 32, `${pulled} MiB pulled from the source`);
  await http.close();
  await assert.rejects(upload, (e) => e instanceof HttpError && /the run ended/.test(e.message));
  await new Promise((r) => setImmediate(r));
  assert.equal(closed, true);
});

test('bodyFlushed: true for an answer to a body sent whole, false for one that came before the body was all sent', async (t) => {
  const server = await serve((req, res) => {
    if (req.url === '/early') {
      // Answers at once, before reading the 8 MiB body, as a front end refusing a request can; then
      // reads on, so that no reset can take the answer from the client before it is read.
      res.writeHead(413).end('too large');
      req.on('error', () => undefined).resume();
      return;
    }
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  const http = createHttpClient({ userAgent: 't' });
  t.after(() => Promise.all([http.close(), server.close()]));
  const big = Buffer.alloc(8 << 20, 1);
  async function* body() {
    for (let at = 0; at < big.length; at += 1 << 16) yield big.subarray(at, at + (1 << 16));
  }
  const whole = await http.send({ method: 'POST', url: `${server.url}/whole`, headers: { 'content-length': String(big.length) }, body, retry: false });
  assert.deepEqual([whole.status, whole.bodyFlushed], [200, true]);
  const early = await http.send({ method: 'POST', url: `${server.url}/early`, headers: { 'content-length': String(big.length) }, body, retry: false });
  assert.deepEqual([early.status, early.bodyFlushed], [413, false]);
});

test("uploads at once, each answered after its body, reuse each other's read buffers and every file arrives exact", async (t) => {
  const { uploadFile } = await import('../../src/pypi/upload.ts');
  const { createHash } = await import('node:crypto');
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { scratchDir } = await import('../../test/helpers/scratch.ts');
  const dir = await scratchDir('pooled-uploads-');
  // Sizes either side of WHOLE_READ_MAX and of a read's size, so both pools serve several rings.
  const sizes = [5, 70_000, 1 << 20, (9 << 20) + 3, 300_000, (8 << 20) + 1, 65_536, 2_000_000];
  const dists = await Promise.all(
    Array.from({ length: 24 }, async (_, i) => {
      const data = Buffer.from(Array.from({ length: sizes[i % sizes.length]! }, (_, j) => (j * 13 + i * 101) & 0xff));
      const path = join(dir, `p${i}-1.0-py3-none-any.whl`);
      await writeFile(path, data);
      const sha256 = createHash('sha256').update(data).digest('hex');
      return { path, filename: `p${i}-1.0-py3-none-any.whl`, size: data.length, digests: { sha256 } };
    }),
  );
  const received = new Map<string, string>();
  const server = await serve((req, res) => {
    const h = createHash('sha256');
    let head = Buffer.alloc(0);
    let name = '';
    // The file part's bytes, between its headers and the closing boundary, hashed as they come.
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(Buffer.from(c)));
    req.on('end', () => {
      const all = Buffer.concat(parts);
      const boundary = `--${/boundary=(\S+)/.exec(req.headers['content-type']!)![1]}`;
      const start = all.indexOf('\r\n\r\n', all.indexOf('filename=')) + 4;
      const end = all.lastIndexOf(`\r\n${boundary}--`);
      head = all.subarray(0, start);
      name = /filename="([^"]+)"/.exec(head.toString('latin1'))![1]!;
      received.set(name, h.update(all.subarray(start, end)).digest('hex'));
      res.end('ok');
    });
  });
  const http = createHttpClient({ userAgent: 't', connections: 6 });
  t.after(() => Promise.all([http.close(), server.close()]));
  const url = new URL(`${server.url}/legacy/`);
  const credentials = { user: '__token__', password: 'pypi-x' };
  const { uploadChunk } = await import('../../src/tunables.ts');
  // What the uploads would allocate without reuse: a ring per upload, of up to four reads each.
  const ringBuffers = dists.reduce((n, d) => n + Math.min(4, Math.ceil(d.size / uploadChunk(d.size))), 0);
  const allocations = t.mock.method(Buffer, 'allocUnsafeSlow');
  const { mapLimit } = await import('../../src/engine/concurrency.ts');
  // Three waves of uploads, six at a time as the engine runs them: one that ends gives its ring to the next.
  for (let wave = 0; wave < 3; wave++) {
    allocations.mock.resetCalls();
    const outcomes = await mapLimit(dists, 6, (d) => uploadFile(http, url, d as never, [[':action', 'file_upload']], credentials));
    assert.ok(outcomes.every((o) => o.kind === 'uploaded'));
    for (const d of dists) assert.equal(received.get(d.filename), d.digests.sha256, `${d.filename}, wave ${wave}`);
    assert.ok(allocations.mock.callCount() < ringBuffers / 2, `wave ${wave}: ${allocations.mock.callCount()} buffers allocated for ${ringBuffers} reads`);
  }
});
