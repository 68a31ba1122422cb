// The world's Fulcio takes and refuses what sigstore/fulcio does (pkg/server, pkg/challenges,
// sigstore/sigstore's cryptoutils and verifiers), in its words: the request as protojson reads it,
// the key and its proof, the CSR, and the certificate it issues. __tests__/world/real-servers.test.ts
// compares the same requests with the real Fulcio where that one is built.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { startWorld, type World } from '../../test/helpers/world.ts';

let world: World;
let token: string;
let subject: string;
before(async () => {
  world = await startWorld({ pypi: false });
  token = await world.idToken('sigstore');
  subject = String(decodeJwt(token).sub);
});
after(() => world?.stop());

const p256 = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const proof = (key: KeyObject, text = subject, dsaEncoding: 'der' | 'ieee-p1363' = 'der') =>
  sign('sha256', Buffer.from(text), { key, dsaEncoding }).toString('base64');

async function v2(body: object | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${world.urls.fulcio}/api/v2/signingCert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const refusal = (message: string) => ({ status: 400, body: { code: 3, message, details: [] } });

describe('the request, as protojson reads it', () => {
  test('takes the proto (snake_case) names of nested fields as well as the JSON names', async () => {
    const { publicKey, privateKey } = p256();
    const snake = {
      credentials: { oidc_identity_token: token },
      public_key_request: { public_key: { content: pem(publicKey) }, proof_of_possession: proof(privateKey) },
    };
    const res = await v2(snake);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('refuses a field named twice, in either spelling', async () => {
    const text = `{"publicKeyRequest": {"publicKey": {"content": "x"}, "public_key": null}}`;
    assert.deepEqual(await v2(text), refusal('proto: (line 1:54): duplicate field "public_key"'));
  });

  test('names a nested field by its JSON name when refusing its value', async () => {
    const text = `{"credentials": {"oidc_identity_token": 7}}`;
    assert.deepEqual(await v2(text), refusal('proto: (line 1:41): invalid value for string field oidcIdentityToken: 7'));
  });
});
