// The world's services find routes as the real servers' routers do (test/world/routers.ts), and answer
// a path or a method they do not serve in those routers' words: rekor-server and timestamp-authority
// (go-openapi) clean the path first, so a trailing slash still finds its route, which sigstore-python
// relies on (it searches Rekor at `/api/v1/log/entries/retrieve/`); Fulcio (grpc-gateway) does not.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorld, type World } from '../../test/helpers/world.ts';

let world: World;
before(async () => {
  world = await startWorld({ pypi: false });
});
after(() => world?.stop());

const answer = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type'), body: await res.json() });
const postJSON = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe("Rekor's and the TSA's go-openapi router", () => {
  test('cleans the path before it looks for the route: a trailing slash, a doubled one, a dot', async () => {
    for (const path of ['/api/v1/log/entries/retrieve/', '/api/v1//log/entries/retrieve', '/api/v1/log/./entries/retrieve']) {
      const res = await postJSON(`${world.urls.rekor}${path}`, { logIndexes: [0] });
      assert.equal(res.status, 200, path);
      assert.deepEqual(await res.json(), [], path);
    }
    const head = await fetch(`${world.urls.rekor}/api/v1/log/`);
    assert.equal(head.status, 200);
    assert.ok(((await head.json()) as { treeSize: number }).treeSize > 0);
    const stamp = await postJSON(`${world.urls.tsa}/api/v1/timestamp/`, { artifactHash: randomBytes(32).toString('base64'), hashAlgorithm: 'sha256' });
    assert.equal(stamp.status, 200);
    assert.equal(stamp.headers.get('content-type'), 'application/timestamp-reply');
  });

  test('answers a path it does not serve with its 404, naming the path as sent', async () => {
    assert.deepEqual(await answer(await fetch(`${world.urls.rekor}/api/v1/nothing/`)), {
      status: 404,
      type: 'application/json',
      body: { code: 404, message: 'path /api/v1/nothing/ was not found' },
    });
    assert.deepEqual(await answer(await fetch(`${world.urls.tsa}/api/v2/timestamp`)), {
      status: 404,
      type: 'application/json',
      body: { code: 404, message: 'path /api/v2/timestamp was not found' },
    });
  });

  test('answers a method the path does not take with its 405 and Allow', async () => {
    const rekor = await fetch(`${world.urls.rekor}/api/v1/log/`, { method: 'PUT' });
    assert.equal(rekor.headers.get('allow'), 'GET');
    assert.deepEqual(await answer(rekor), { status: 405, type: 'application/json', body: { code: 405, message: 'method PUT is not allowed, but [GET] are' } });
    const tsa = await fetch(`${world.urls.tsa}/api/v1/timestamp`);
    assert.equal(tsa.headers.get('allow'), 'POST');
    assert.deepEqual(await answer(tsa), { status: 405, type: 'application/json', body: { code: 405, message: 'method GET is not allowed, but [POST] are' } });
  });
});

describe("Fulcio's grpc-gateway router", () => {
  test('finds no route for a trailing slash, and answers its NotFound status', async () => {
    const res = await postJSON(`${world.urls.fulcio}/api/v2/signingCert/`, {});
    assert.deepEqual(await answer(res), { status: 404, type: 'application/json', body: { code: 5, message: 'Not Found', details: [] } });
    assert.equal((await fetch(`${world.urls.fulcio}/api/v2/trustBundle/`)).status, 404);
  });

  test('answers a method the path does not take with Unimplemented, which it sends as 501', async () => {
    const res = await fetch(`${world.urls.fulcio}/api/v2/signingCert`);
    assert.deepEqual(await answer(res), { status: 501, type: 'application/json', body: { code: 12, message: 'Method Not Allowed', details: [] } });
  });
});

describe('every service', () => {
  test('reads a target that starts with two slashes as a path, not a host: no route, a 404', async () => {
    for (const [service, url] of Object.entries(world.urls)) {
      const origin = new URL(url as string).origin;
      for (const path of ['//', '//example.org/x']) {
        const res = await fetch(`${origin}${path}`);
        assert.equal(res.status, 404, `${service} ${path}: ${await res.text()}`);
      }
    }
    // go-openapi cleans the path first, so Rekor still finds its route.
    assert.equal((await fetch(`${new URL(world.urls.rekor as string).origin}//api/v1/log`)).status, 200);
  });
});
