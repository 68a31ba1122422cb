// attestAll when the run's certificate was asked for ahead of signing (publish does, while a large dist
// is still being hashed): a refusal fails every dist with Fulcio's words, and nothing is signed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttestationError, attestAll } from '../../src/engine/attest.ts';
import type { Dist } from '../../src/dists/types.ts';
import type { DistSigner, DistVerifier } from '../../src/sigstore/types.ts';

const dist = (filename: string) => ({ path: `/nowhere/${filename}`, filename, digests: { sha256: 'a'.repeat(64) } }) as unknown as Dist;
const identity = { repository: 'o/r', workflow: 'release.yml' };

describe('attestAll with a certificate asked for earlier', () => {
  it('a refused certificate fails every dist with its reason, before any sign()', async () => {
    let signed = 0;
    const signer: DistSigner = {
      sign: async () => {
        signed++;
        throw new Error('not reached');
      },
    };
    const verifier: DistVerifier = { verify: async () => undefined };
    const refused = Promise.reject(new Error('Fulcio (http://127.0.0.1:1) did not issue a signing certificate: HTTP 401'));
    await assert.rejects(attestAll([dist('a-1.0-py3-none-any.whl'), dist('a-1.0.tar.gz')], signer, verifier, identity, refused), (e: unknown) => {
      assert.ok(e instanceof AttestationError);
      assert.deepEqual(
        e.failures.map((f) => f.filename),
        ['a-1.0-py3-none-any.whl', 'a-1.0.tar.gz'],
      );
      for (const f of e.failures) assert.match(f.reason, /did not issue a signing certificate: HTTP 401/);
      assert.match(e.message, /nothing was uploaded/);
      return true;
    });
    assert.equal(signed, 0);
  });
});
