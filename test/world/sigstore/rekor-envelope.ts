// A DSSE envelope as rekor's kinds verify it: go-securesystemslib's EnvelopeVerifier (dsse/verify.go)
// with one key at a time, then rekor's verifyEnvelope over the keys it was given (the dsse and the
// intoto 0.0.2 kinds), each refusal in its words.
import { createHash, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import { BASE64_URL_ALPHABET, goBase64Corruption } from '../go-base64.ts';
import { goField, goJSON } from '../go-json.ts';
import { isObject, Refusal } from './rekor-kind.ts';
import { publicKeyOf, verifyMessage, type X509Key } from './rekor-x509.ts';

/** An envelope as dsse.Envelope holds it: the payload and each signature still in base64. */
export interface Envelope {
  payload: string;
  payloadType: string;
  signatures: Array<{ sig: string; keyid: string }>;
}

/** go-securesystemslib's b64Decode: standard base64, else URL-safe base64 (both padded), else its one error. */
export function dsseBase64(text: string): Buffer {
  const plain = text.replace(/[\r\n]/g, '');
  if (goBase64Corruption(text) < 0) return Buffer.from(plain, 'base64');
  if (goBase64Corruption(text, BASE64_URL_ALPHABET) < 0) return Buffer.from(plain, 'base64url');
  throw new Error('unable to base64 decode payload (is payload in the right format?)');
}

/** The envelope text as dsse.Envelope (Go's json.Unmarshal, keys matched in any case), refused as Go refuses it. */
export function readEnvelope(text: string): Envelope {
  const read = goJSON(text, 'unmarshal');
  if ('error' in read) throw new Refusal(read.error);
  const value: unknown = JSON.parse(text);
  const field = (object: unknown, name: string): string => {
    const v = isObject(object) ? goField(object, name) : undefined;
    return typeof v === 'string' ? v : '';
  };
  const signatures = isObject(value) ? goField(value, 'signatures') : undefined;
  return {
    payload: field(value, 'payload'),
    payloadType: field(value, 'payloadType'),
    signatures: (Array.isArray(signatures) ? signatures : []).map((s) => ({ sig: field(s, 'sig'), keyid: field(s, 'keyid') })),
  };
}

/**
 * VerifyAndDecode with `key` its only provider: the payload and every signature decoded, and the
 * first signature the key verifies accepted (the provider is then used up). `keyID`: the provider's
 * key ID, which skips a signature naming another; rekor's own adapters have none. Throws its error.
 */
export function verifyAndDecode(key: KeyObject, envelope: Envelope, keyID = ''): { accepted: string; payload: Buffer } {
  if (envelope.signatures.length === 0) throw new Error('no signature found');
  const payload = dsseBase64(envelope.payload);
  const message = dsse.preAuthEncoding(envelope.payloadType, payload);
  let accepted: string | undefined;
  for (const { sig, keyid } of envelope.signatures) {
    const raw = dsseBase64(sig);
    if (accepted !== undefined || (keyid !== '' && keyID !== '' && keyid !== keyID)) continue;
    if (verifyMessage(key, message, raw) === undefined) accepted = sig;
  }
  if (accepted === undefined) throw new Error('accepted signatures do not match threshold, Found: 0, Expected 1');
  return { accepted, payload };
}

/**
 * rekor's verifyEnvelope: each key in turn (the dsse kind stops once every signature is accounted
 * for, `stopWhenVerified`; intoto 0.0.2 tries them all) must parse and verify a signature; every
 * signature must be verified by some key. Returns the key that verified each signature (by its
 * text) and the decoded payload.
 */
export function verifyEnvelope(keys: Buffer[], envelope: Envelope, stopWhenVerified: boolean): { verifiedBy: Map<string, X509Key>; payload: Buffer } {
  const unverified = new Set(envelope.signatures.map((s) => s.sig));
  const verifiedBy = new Map<string, X509Key>();
  let payload: Buffer | undefined;
  for (const bytes of keys) {
    if (stopWhenVerified && unverified.size === 0) break;
    let key: X509Key;
    try {
      key = publicKeyOf(bytes);
    } catch (error) {
      throw new Error(`could not parse public key as x509: ${(error as Error).message}`);
    }
    let verified: { accepted: string; payload: Buffer };
    try {
      verified = verifyAndDecode(key.key, envelope);
    } catch (error) {
      throw new Error(`could not verify envelope: ${(error as Error).message}`);
    }
    payload = verified.payload;
    unverified.delete(verified.accepted);
    verifiedBy.set(verified.accepted, key);
  }
  if (unverified.size > 0) throw new Error('all signatures must have a key that verifies it');
  return { verifiedBy, payload: payload ?? dsseBase64(envelope.payload) };
}

/** Length-prefixed, as the SSH wire format writes strings. */
function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
/** A positive integer as an SSH mpint: big-endian, a zero byte first when its top bit is set. */
const mpint = (bytes: Buffer) => sshString(bytes[0]! & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes);
const SSH_CURVES: Record<string, string> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

/**
 * go-securesystemslib's SHA256KeyID: the key's SSH fingerprint ("SHA256:" and the unpadded base64 of
 * the SHA-256 of its SSH wire form), or '' for a key x/crypto/ssh does not take.
 */
export function sshKeyID(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const text = (s: string) => sshString(Buffer.from(s));
  const b = (field: string | undefined) => Buffer.from(field ?? '', 'base64url');
  let wire: Buffer;
  if (key.asymmetricKeyType === 'ed25519') wire = Buffer.concat([text('ssh-ed25519'), sshString(b(jwk.x))]);
  else if (key.asymmetricKeyType === 'rsa') wire = Buffer.concat([text('ssh-rsa'), mpint(b(jwk.e)), mpint(b(jwk.n))]);
  else if (key.asymmetricKeyType === 'ec' && SSH_CURVES[jwk.crv ?? '']) {
    const curve = SSH_CURVES[jwk.crv!]!;
    wire = Buffer.concat([text(`ecdsa-sha2-${curve}`), text(curve), sshString(Buffer.concat([Buffer.of(4), b(jwk.x), b(jwk.y)]))]);
  } else return '';
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}
