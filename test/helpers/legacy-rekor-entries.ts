// Proposed Rekor entries as older clients write them, for holding the world's Rekor to rekor-server:
//  - intoto 0.0.2, as sigstore-js 1.x/2.x (and sigstore-python 1.x/2.x) log a DSSE attestation: the
//    envelope with its payload and each signature base64-encoded twice, each signature with its key,
//    `hash` the SHA-256 of the canonical envelope (payload and signature encoded once, keys as PEM);
//  - intoto 0.0.1, as cosign 1.x attest logs one: the envelope as JSON text and the key;
//  - rekord 0.0.1, as rekor-cli and older clients log a signed artifact: the data itself (x509).
import { createHash, sign, type KeyObject } from 'node:crypto';
import { dsse, json } from '@sigstore/core';

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');
const sha256 = (data: string | Buffer) => ({ algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') });

export const IN_TOTO = 'application/vnd.in-toto+json';

/** A signer: its private key and the PEM (key or certificate) a verifier is given. */
export interface Signer {
  key: KeyObject;
  pem: string;
}

/** A DSSE signature over `payload` (Ed25519 signs the PAE itself, the others its SHA-256). */
export const paeSign = (signer: Signer, payload: Buffer, type = IN_TOTO): Buffer =>
  sign(signer.key.asymmetricKeyType === 'ed25519' ? null : 'sha256', dsse.preAuthEncoding(type, payload), signer.key);

/** An in-toto statement about one wheel, unique by `name`. */
export const statement = (name: string): Buffer =>
  Buffer.from(
    JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name, digest: { sha256: 'ab'.repeat(32) } }], predicateType: 'x', predicate: {} }),
  );

/** sigstore-js 2.x's toProposedIntotoEntry, for each signer (the first signs, unless `signatures` says otherwise). */
export function intotoV002(payload: Buffer, signers: Signer[], o: { keyid?: string; signatures?: Buffer[]; type?: string } = {}) {
  const type = o.type ?? IN_TOTO;
  const sigs = o.signatures ?? signers.map((s) => paeSign(s, payload, type));
  const keyid = o.keyid ? { keyid: o.keyid } : {};
  const hashed = { payloadType: type, payload: b64(payload), signatures: signers.map((s, i) => ({ sig: b64(sigs[i]!), publicKey: s.pem, ...keyid })) };
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          payloadType: type,
          payload: b64(b64(payload)),
          signatures: signers.map((s, i) => ({ sig: b64(b64(sigs[i]!)), publicKey: b64(s.pem), ...keyid })),
        },
        hash: sha256(json.canonicalize(hashed)),
        payloadHash: sha256(payload),
      },
    },
  };
}

/** The envelope text cosign 1.x logs: one signature. */
export const envelopeText = (payload: Buffer, signature: Buffer, keyid = '') =>
  JSON.stringify({ payloadType: IN_TOTO, payload: b64(payload), signatures: [{ keyid, sig: b64(signature) }] });

/** cosign 1.x attest's intoto 0.0.1 entry. */
export const intotoV001 = (envelope: string, pem: string) => ({
  apiVersion: '0.0.1',
  kind: 'intoto',
  spec: { content: { envelope, hash: sha256(envelope) }, publicKey: b64(pem) },
});

/** A rekord 0.0.1 entry (x509) of `data`, signed by `signer` unless `signature` is given. */
export const rekordV001 = (data: Buffer, signer: Signer, o: { signature?: Buffer; format?: string; hash?: boolean } = {}) => ({
  apiVersion: '0.0.1',
  kind: 'rekord',
  spec: {
    signature: {
      format: o.format ?? 'x509',
      content: b64(o.signature ?? sign(signer.key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, signer.key)),
      publicKey: { content: b64(signer.pem) },
    },
    data: { content: b64(data), ...(o.hash ? { hash: sha256(data) } : {}) },
  },
});

/** The SSH fingerprint of an Ed25519 key (what a DSSE key ID of go-securesystemslib's is): SHA256 of its wire form, unpadded base64. */
export function ed25519Fingerprint(key: KeyObject): string {
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  const raw = Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
  const wire = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}
