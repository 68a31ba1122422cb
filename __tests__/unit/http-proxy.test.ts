// A runner behind a proxy (src/http/connection-pool.ts): the HTTP client reaches https origins through
// HTTPS_PROXY as a CONNECT tunnel, honours NO_PROXY, and never sends plain http (credentials to this
// machine) through a proxy. The client runs in a child process, for the agent reads its process's
// environment; the origin's host name resolves nowhere, so only the proxy can reach it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { scratchDir } from '../../test/helpers/scratch.ts';

const HOST = 'index.proxy-only.test';
const CLIENT = resolve(import.meta.dirname, '../../src/http/client.ts');

async function servers(t: import('node:test').TestContext) {
  const dir = await scratchDir('http-proxy-');
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
      '-subj',
      `/CN=${HOST}`,
      '-addext',
      `subjectAltName=DNS:${HOST}`,
    ]),
    { stdio: 'ignore' },
  );
  const origin = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) =>
    res.end(`origin ${req.headers.host} ${req.headers.authorization ?? ''}`),
  );
  const loopback = createHttpServer((req, res) => res.end(`loopback ${req.url}`));
  const tunnels: string[] = [];
  const proxied: string[] = [];
  const proxy = createHttpServer((req, res) => void (proxied.push(`${req.method} ${req.url}`), res.end('the proxy answered')));
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const upstream = connect((origin.address() as AddressInfo).port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).on('error', () => {});
      socket.pipe(upstream).on('error', () => {});
    });
  });
  for (const s of [origin, loopback, proxy]) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of [origin, loopback, proxy]) s.closeAllConnections(), s.close();
  });
  const port = (s: { address(): unknown }) => (s.address() as AddressInfo).port;
  return { cert, proxyUrl: `http://127.0.0.1:${port(proxy)}`, loopbackUrl: `http://127.0.0.1:${port(loopback)}/simple/`, tunnels, proxied };
}

/** GETs each URL with the action's HTTP client in a process with `env`; each answer's body or error message. */
async function fetchIn(env: Record<string, string>, urls: string[]): Promise<string[]> {
  const script = `
    const { createHttpClient } = await import(${JSON.stringify(CLIENT)});
    const http = createHttpClient({ userAgent: 'proxy-test', connections: 2 });
    const out = [];
    for (const url of ${JSON.stringify(urls)}) {
      const res = await http.send({ method: 'GET', url, headers: { authorization: 'Basic dXNlcjpzM2NyZXQ=' }, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1000 } }).catch((e) => e);
      out.push(res instanceof Error ? 'error: ' + res.message : res.text());
    }
    await http.close();
    console.log(JSON.stringify(out));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  return JSON.parse(stdout) as string[];
}

test('https goes through HTTPS_PROXY as a tunnel; plain http to this machine never goes through a proxy', async (t) => {
  const { cert, proxyUrl, loopbackUrl, tunnels, proxied } = await servers(t);
  const env = { NODE_EXTRA_CA_CERTS: cert, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl };
  const [viaProxy, direct] = await fetchIn(env, [`https://${HOST}/simple/`, loopbackUrl]);
  assert.equal(viaProxy, `origin ${HOST} Basic dXNlcjpzM2NyZXQ=`);
  assert.deepEqual(tunnels, [`${HOST}:443`], 'one CONNECT, the credential inside the tunnel');
  assert.equal(direct, 'loopback /simple/');
  assert.deepEqual(proxied, [], 'nothing went to the proxy in clear');
});

test('lower-case https_proxy is read as well, and NO_PROXY keeps a host off the proxy', async (t) => {
  const { cert, proxyUrl, tunnels } = await servers(t);
  const [lower] = await fetchIn({ NODE_EXTRA_CA_CERTS: cert, https_proxy: proxyUrl }, [`https://${HOST}/`]);
  assert.match(lower!, /^origin /);
  const [kept] = await fetchIn({ NODE_EXTRA_CA_CERTS: cert, HTTPS_PROXY: proxyUrl, NO_PROXY: '.proxy-only.test' }, [`https://${HOST}/`]);
  assert.match(kept!, /^error: could not reach/);
  assert.equal(tunnels.length, 1, 'only the first request was tunnelled');
});
