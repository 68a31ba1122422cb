// The TUF reader (src/sigstore/tuf-repository.ts) against a repository shaped like public-good's (the
// world's, test/world/sigstore/tuf.ts) on 127.0.0.1: its targets come through the action's own HTTP
// client, never the global fetch (which loads node's internal undici); a mirror that moves its files
// is followed, but never to plain http off this machine; a cache other users can change is not used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { readTufTargets } from '../../src/sigstore/tuf-repository.ts';
import { createTufRepository } from '../../test/world/sigstore/tuf.ts';

const TRUSTED_ROOT = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [] };
const SIGNING_CONFIG = { mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json', caUrls: [] };
const TARGETS = ['trusted_root.json', 'signing_config.v0.2.json'];

/** The repository under /repo; /moved/* answers a 307 to /repo/*, /away/* one to a plain http host elsewhere. */
async function serveRepository(t: import('node:test').TestContext) {
  const repo = createTufRepository(TRUSTED_ROOT, SIGNING_CONFIG);
  const route = repo.routes().find((r) => r.method === 'GET')!;
  const asked: string[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    asked.push(url.pathname);
    const [, prefix, rest] = /^\/(repo|moved|away)(\/.*)$/.exec(url.pathname) ?? [];
    if (prefix === 'moved') return void res.writeHead(307, { location: `/repo${rest}` }).end();
    if (prefix === 'away') return void res.writeHead(302, { location: `http://tuf.example/repo${rest}` }).end();
    const reply = prefix === 'repo' ? await route.handle({ url: new URL(rest!, 'http://127.0.0.1') } as never) : { status: 404, body: 'Not Found' };
    res.writeHead(reply.status, reply.headers).end(reply.body as Buffer | string);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = await mkdtemp(join(tmpdir(), 'tuf-reader-'));
  const rootPath = join(dir, 'root.json');
  await writeFile(rootPath, repo.root);
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, rootPath, cacheDir: dir, asked };
}

test("the targets are read and verified through the action's HTTP client, not the global fetch", async (t) => {
  const { base, rootPath, cacheDir, asked } = await serveRepository(t);
  t.mock.method(globalThis, 'fetch', () => assert.fail('the global fetch was called'));
  const texts = await readTufTargets({ mirrorURL: `${base}/repo`, rootPath, cachePath: join(cacheDir, 'cache') }, TARGETS);
  assert.deepEqual(
    texts.map((x) => JSON.parse(x)),
    [TRUSTED_ROOT, SIGNING_CONFIG],
  );
  // TUF's client workflow: the timestamp, the next root (404: none), snapshot, targets, the two targets.
  assert.equal(asked.length, 6, asked.join('\n'));
});

test('a mirror that moves its files is followed, and what it serves is still verified', async (t) => {
  const { base, rootPath, cacheDir } = await serveRepository(t);
  const texts = await readTufTargets({ mirrorURL: `${base}/moved`, rootPath, cachePath: join(cacheDir, 'cache') }, TARGETS);
  assert.deepEqual(JSON.parse(texts[0]!), TRUSTED_ROOT);
});

test('a redirect to plain http off this machine is refused before any request is made there', async (t) => {
  const { base, rootPath, cacheDir, asked } = await serveRepository(t);
  await assert.rejects(readTufTargets({ mirrorURL: `${base}/away`, rootPath, cachePath: join(cacheDir, 'cache') }, TARGETS), (e: Error) => {
    const cause = e.cause as Error;
    assert.match(`${e.message}: ${cause?.message}`, /error refreshing TUF metadata: redirected to a plain http URL off this machine/);
    return true;
  });
  // The first file TUF asks for is the next root.
  assert.deepEqual(asked, ['/away/2.root.json']);
});

test('a repository re-created at a URL used before is read with its own initial root, not the cached one', async (t) => {
  // What a local mirror re-created with new keys looks like (or a world on a port an earlier run had):
  // the cache under the old root's keys must not refuse the new repository's signed metadata.
  const first = createTufRepository(TRUSTED_ROOT, SIGNING_CONFIG);
  const second = createTufRepository({ ...TRUSTED_ROOT, tlogs: [{ baseUrl: 'http://127.0.0.1:1' }] }, SIGNING_CONFIG);
  let serving = first;
  const server = createServer(async (req, res) => {
    const route = serving.routes().find((r) => r.method === 'GET')!;
    const reply = await route.handle({ url: new URL(req.url ?? '/', 'http://127.0.0.1') } as never);
    res.writeHead(reply.status, reply.headers).end(reply.body as Buffer | string);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = await mkdtemp(join(tmpdir(), 'tuf-reader-'));
  t.after(async () => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const mirrorURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cachePath = join(dir, 'cache');
  await writeFile(join(dir, 'first.json'), first.root);
  await writeFile(join(dir, 'second.json'), second.root);
  await readTufTargets({ mirrorURL, rootPath: join(dir, 'first.json'), cachePath }, TARGETS);
  serving = second;
  const [trustedRoot] = await readTufTargets({ mirrorURL, rootPath: join(dir, 'second.json'), cachePath }, TARGETS);
  assert.deepEqual(JSON.parse(trustedRoot!).tlogs, [{ baseUrl: 'http://127.0.0.1:1' }]);
});

test('a cache other users can write is never read; a broken cache of its own is read anew and dropped', async (t) => {
  // TUF trusts a cached root over its initial one, and tuf-js writes its files in place.
  const { base, rootPath, cacheDir } = await serveRepository(t);
  const mirrorURL = `${base}/repo`;
  const cachePath = join(cacheDir, 'cache');
  const rootTag = createHash('sha256')
    .update(await readFile(rootPath))
    .digest('hex')
    .slice(0, 16);
  const mirrorCache = join(cachePath, `${encodeURIComponent(new URL(mirrorURL).host + '/repo')}@${rootTag}`);
  const planted = createTufRepository({ ...TRUSTED_ROOT, tlogs: [{ baseUrl: 'http://127.0.0.1:1' }] }, SIGNING_CONFIG).root;
  const read = async () => JSON.parse((await readTufTargets({ mirrorURL, rootPath, cachePath }, TARGETS))[0]!);
  await mkdir(mirrorCache, { recursive: true });
  await writeFile(join(mirrorCache, 'root.json'), planted);

  // Another user's root planted in a cache others may write, or under a parent others may write
  // (which could swap a private cache out): never read, never touched.
  await chmod(mirrorCache, 0o777);
  assert.deepEqual(await read(), TRUSTED_ROOT);
  assert.deepEqual(await readdir(mirrorCache), ['root.json']);
  assert.deepEqual(await readFile(join(mirrorCache, 'root.json')), planted);
  await chmod(mirrorCache, 0o700);
  await chmod(cachePath, 0o777);
  assert.deepEqual(await read(), TRUSTED_ROOT);
  assert.deepEqual(await readFile(join(mirrorCache, 'root.json')), planted);

  // The same cache private to this user is read: its root does not sign the repository's metadata, so
  // the repository is read again from its initial root and the cache that failed is dropped.
  await chmod(cachePath, 0o700);
  assert.deepEqual(await read(), TRUSTED_ROOT);
  await assert.rejects(readFile(join(mirrorCache, 'root.json')), { code: 'ENOENT' });

  // A cache a killed run left torn: the same.
  assert.deepEqual(await read(), TRUSTED_ROOT);
  const cachedRoot = await readFile(join(mirrorCache, 'root.json'));
  await writeFile(join(mirrorCache, 'root.json'), cachedRoot.subarray(0, 100));
  assert.deepEqual(await read(), TRUSTED_ROOT);
  await assert.rejects(readFile(join(mirrorCache, 'root.json')), { code: 'ENOENT' });
});
