import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, redactUrl } from '../../src/http/client.ts';
import { backoffDelay, parseRetryAfter } from '../../src/http/retry.ts';

const FAST = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 5_000 };
let server: Server;
let base: string;
const plan: Array<(res: import('node:http').ServerResponse) => void> = [];
let hits = 0;

before(async () => {
  server = createServer((req, res) => {
    hits++;
    req.resume();
    const next = plan.shift();
    if (next) next(res);
    else res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('retries 503 and 429 then succeeds', async () => {
  hits = 0;
  plan.push(
    (res) => res.writeHead(503).end(),
    (res) => res.writeHead(429, { 'retry-after': '0' }).end(),
  );
  const http = createHttpClient({ userAgent: 't' });
  const res = await http.send({ method: 'GET', url: `${base}/x`, retry: FAST });
  assert.equal(res.status, 200);
  assert.equal(res.attempts, 3);
  assert.equal(hits, 3);
  await http.close();
});

test('does not retry a 400 and stops after the attempt budget', async () => {
  const http = createHttpClient({ userAgent: 't' });
  plan.push((res) => res.writeHead(400).end('bad'));
  assert.equal((await http.send({ method: 'GET', url: `${base}/x`, retry: FAST })).attempts, 1);
  hits = 0;
  for (let i = 0; i < 4; i++) plan.push((res) => res.writeHead(502).end());
  const res = await http.send({ method: 'GET', url: `${base}/x`, retry: FAST });
  assert.equal(res.status, 502);
  assert.equal(hits, 4);
  await http.close();
});

test('a dropped connection is retried; a persistent one is a named network error', async () => {
  const http = createHttpClient({ userAgent: 't' });
  plan.push((res) => res.socket?.destroy());
  assert.equal((await http.send({ method: 'GET', url: `${base}/x`, retry: FAST })).status, 200);
  for (let i = 0; i < 4; i++) plan.push((res) => res.socket?.destroy());
  await assert.rejects(http.send({ method: 'GET', url: `${base}/secret?token=abc`, retry: FAST }), (e: Error) => {
    assert.match(e.message, /could not reach http:\/\/127\.0\.0\.1:\d+\/secret/);
    assert.doesNotMatch(e.message, /abc/);
    return true;
  });
  await http.close();
});

test('a slow server times out', async () => {
  const http = createHttpClient({ userAgent: 't' });
  const hold: Array<() => void> = [];
  plan.push((res) => hold.push(() => res.end()));
  await assert.rejects(http.send({ method: 'GET', url: `${base}/slow`, timeoutMs: 50, retry: false }), /did not answer in time/);
  hold.forEach((f) => f());
  await http.close();
});

// A request the run no longer needs (the audience asked for while the dists were checked, when a dist
// then failed) must not keep the process alive for its timeout or its retries.
test('close() ends a request still waiting for its answer, and one waiting to retry', { timeout: 10_000 }, async (t) => {
  const http = createHttpClient({ userAgent: 't' });
  const hold: Array<() => void> = [];
  t.after(() => hold.forEach((f) => f()));
  let arrived!: () => void;
  const reached = new Promise<void>((r) => (arrived = r));
  plan.push((res) => (hold.push(() => res.end()), arrived()));
  const hanging = http.send({ method: 'GET', url: `${base}/hang`, timeoutMs: 600_000, retry: false });
  await reached;

  const retrying = createHttpClient({ userAgent: 't' });
  let answered!: () => void;
  const refused = new Promise<void>((r) => (answered = r));
  plan.push((res) => (res.writeHead(503).end(), answered()));
  const waiting = retrying.send({
    method: 'GET',
    url: `${base}/later`,
    retry: { attempts: 4, baseDelayMs: 600_000, maxDelayMs: 600_000, budgetMs: 3_600_000 },
  });
  await refused;

  const ended = Promise.all([assert.rejects(hanging, (e: Error) => e.name === 'HttpError'), assert.rejects(waiting, /the run ended before a retry/)]);
  await Promise.all([http.close(), retrying.close()]);
  await ended;
});

test('bodies are read up to a bound', async () => {
  const http = createHttpClient({ userAgent: 't' });
  plan.push((res) => res.end('x'.repeat(10_000)));
  const res = await http.send({ method: 'GET', url: `${base}/big`, maxBodyBytes: 100 });
  assert.equal(res.body.length, 100);
  assert.equal(res.truncated, true);
  await http.close();
});

test('redirects are returned, not followed', async () => {
  const http = createHttpClient({ userAgent: 't' });
  hits = 0;
  plan.push((res) => res.writeHead(308, { location: 'https://elsewhere.example/legacy/' }).end());
  const res = await http.send({ method: 'POST', url: `${base}/legacy`, body: () => 'x' });
  assert.equal(res.status, 308);
  assert.equal(hits, 1);
  await http.close();
});

test('backoff honours Retry-After and stays within bounds', () => {
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10_000 };
  assert.equal(backoffDelay(policy, 1, '2'), 1000);
  assert.equal(backoffDelay(policy, 1, '0'), 0);
  for (let n = 1; n < 10; n++) {
    const d = backoffDelay(policy, n, null, () => 1);
    assert.ok(d <= 1000 && d >= 50);
  }
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')), 60_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(redactUrl('https://u:p@h.example/a?b=c'), 'https://h.example/a');
});
