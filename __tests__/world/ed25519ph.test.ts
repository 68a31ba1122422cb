// The world's Ed25519ph verifier (test/world/sigstore/ed25519ph.ts), which node:crypto does not
// offer, held to RFC 8032's test vector and to signatures Go's crypto/ed25519 made
// (priv.Sign(nil, digest, &ed25519.Options{Hash: crypto.SHA512})).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { verifyEd25519ph } from '../../test/world/sigstore/ed25519ph.ts';

const hex = (text: string) => Buffer.from(text, 'hex');
const sha512 = (text: string) => createHash('sha512').update(text).digest();

// RFC 8032 §7.3, "TEST abc".
const RFC = {
  publicKey: hex('ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf'),
  digest: sha512('abc'),
  signature: hex('98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406'),
};
// Go 1.26's crypto/ed25519, the key's seed the SHA-256 of "the world's Ed25519ph signer".
const GO = {
  publicKey: Buffer.from('MCowBQYDK2VwAyEAbfZUhNZ2z7sNOapsQ7yeGvWQb7TBdHEvaaqO17o+wnA=', 'base64').subarray(12),
  digest: sha512('an artifact signed with Ed25519ph'),
  signature: hex('60bcad0fd25694866d2f1ec82609dcdb2f20b7f5890a890eb6ac5dae68ffa024cab419305c6703be19f2374c3bd2fff9c4e45ebdf7460bd51066b708d7885a05'),
  // the same key and digest with the context "ctx" (Ed25519ph's dom2 then names it)
  withContext: hex('f72c22450817c3fa469b141c510a77cb5c33b47c4b5805d88c0be3f4463d0c2454c2a27fef7fb47e5659b601472c0a6f9d972a9198b5fef938d378858a592c06'),
  // pure Ed25519 over the digest's bytes
  pure: hex('308a30181425815e0fd3b3b900ecc5b8fded50a45e39dfa722041ce5d138f9feb44a41f3e5a3008e8a80722e563daea72439124cbff7b474829192cc0c6cc50a'),
};
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

describe('Ed25519ph verification', () => {
  test("accepts RFC 8032's test vector and Go's signature", () => {
    assert.ok(verifyEd25519ph(RFC.publicKey, RFC.digest, RFC.signature));
    assert.ok(verifyEd25519ph(GO.publicKey, GO.digest, GO.signature));
  });

  test('refuses another digest, another key, a signature with a context, and pure Ed25519', () => {
    assert.ok(!verifyEd25519ph(RFC.publicKey, sha512('abd'), RFC.signature));
    assert.ok(!verifyEd25519ph(GO.publicKey, RFC.digest, RFC.signature));
    assert.ok(!verifyEd25519ph(GO.publicKey, GO.digest, GO.withContext));
    assert.ok(!verifyEd25519ph(GO.publicKey, GO.digest, GO.pure));
  });

  test('refuses any flipped bit of the signature', () => {
    for (let bit = 0; bit < 512; bit += 7) {
      const flipped = Buffer.from(RFC.signature);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      assert.ok(!verifyEd25519ph(RFC.publicKey, RFC.digest, flipped), `bit ${bit}`);
    }
  });

  test('refuses S + L (the same point, a scalar not reduced), as Go does', () => {
    const s = BigInt(`0x${Buffer.from(RFC.signature.subarray(32)).reverse().toString('hex')}`) + L;
    const unreduced = Buffer.concat([RFC.signature.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse()]);
    assert.ok(!verifyEd25519ph(RFC.publicKey, RFC.digest, unreduced));
  });

  test('refuses keys, digests and signatures of the wrong length, and a key that is no point', () => {
    assert.ok(!verifyEd25519ph(RFC.publicKey.subarray(1), RFC.digest, RFC.signature));
    assert.ok(!verifyEd25519ph(RFC.publicKey, RFC.digest.subarray(1), RFC.signature));
    assert.ok(!verifyEd25519ph(RFC.publicKey, RFC.digest, RFC.signature.subarray(1)));
    // y = 2 has no x on the curve.
    assert.ok(!verifyEd25519ph(Buffer.concat([Buffer.of(2), Buffer.alloc(31)]), RFC.digest, RFC.signature));
  });
});
