// A proposed entry read as sigstore/rekor v1.6's createLogEntry reads it, into the body it logs:
//  1. go-openapi: a body, then one JSON value (json.Decoder), then a known `kind`;
//  2. types.CreateVersionedEntry: the kind enabled here (dsse and hashedrekord, what PEP 740's and
//     cosign's clients send), its version, then the kind's own reading (DecodeEntry, the schema's
//     validation, then its checks);
//  3. the canonical body (json.Marshal of the entry, then JCS when it is logged).
// Refusals carry Rekor's status, code and words (pkg/api/error.go: "error processing entry: …").
// __tests__/world/real-servers.test.ts holds every step to rekor-server itself.
import { createHash, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import { BASE64_URL_ALPHABET, goBase64Corruption } from '../go-base64.ts';
import { goField, goJSON, goKeyMatches } from '../go-json.ts';
import { goPemDecode } from '../go-pem.ts';
import { goHashName, rekorPermits } from './algorithm-registry.ts';
import { toPEM } from './pem.ts';
import { ecdsaSignature, p1363 } from './go-ecdsa-signature.ts';
import { orderBytes, verifyDigest } from './prehashed.ts';

/** A refusal: HTTP status, the `code` of Rekor's error body, and its message. */
export class EntryError extends Error {
  readonly status: number;
  readonly code: number;

  constructor(message: string, status = 400, code = status) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Every kind rekor-server's OpenAPI document knows; only two are enabled for submission here.
export const KNOWN_KINDS = ['alpine', 'cose', 'dsse', 'hashedrekord', 'helm', 'intoto', 'jar', 'rekord', 'rfc3161', 'rpm', 'tuf'];
/** The kinds the world takes, and so the only ones its log holds. */
export const LOGGED_KINDS = ['dsse', 'hashedrekord'];
const GO_TYPES: Record<string, string> = { object: 'object', string: 'string', number: 'number', boolean: 'bool' };

// The kinds' own refusals, in their words; createLogEntry prefixes them, searchLogQuery does not.
const refuse = (message: string): never => {
  throw new EntryError(message);
};
const validation = (failures: string[]): void => {
  if (failures.length > 0) refuse(`validation failure list:\n${failures.join('\n')}`);
};
const sha256hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
/** The name Go gives a JSON value's type in an UnmarshalTypeError. */
const goKindOf = (value: unknown): string => (Array.isArray(value) ? 'array' : GO_TYPES[typeof value]!);

/**
 * models.targetedProposedEntry as Go's encoding/json fills it first: `kind` and `apiVersion`, each
 * a string or null, matched by key whatever its case. The first key of the two that holds anything
 * else, in the body's order, is the error, naming the key as written.
 */
export function targetedTypeError(object: Record<string, unknown>, kindOf: (value: unknown) => string = goKindOf): string | undefined {
  for (const [key, value] of Object.entries(object)) {
    if (value === null || typeof value === 'string' || !(goKeyMatches(key, 'kind') || goKeyMatches(key, 'apiVersion'))) continue;
    return `json: cannot unmarshal ${kindOf(value)} into Go struct field targetedProposedEntry.${key} of type string`;
  }
  return undefined;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** base64.StdEncoding.Decode, refused with its error: the offset of the byte it could not take. */
function goBase64(text: string, what: string): Buffer {
  const corruptAt = goBase64Corruption(text);
  if (corruptAt >= 0) refuse(`failed parsing base64 data for ${what}: illegal base64 data at input byte ${corruptAt}`);
  return Buffer.from(text.replace(/[\r\n]/g, ''), 'base64');
}

// Go's x509.ParseCertificate on DER that is no certificate: a SubjectPublicKeyInfo (a PUBLIC KEY
// block in a chain) fails at the serial number, which its second element is not; the rest is named
// by Go's outermost error.
function certificateOf(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    try {
      createPublicKey({ key: der, format: 'der', type: 'spki' });
      throw new Error('x509: malformed serial number');
    } catch (error) {
      throw (error as Error).message.startsWith('x509:') ? error : new Error('x509: malformed certificate');
    }
  }
}

/**
 * rekor's x509.NewPublicKey: the first PEM block of the trimmed bytes, a public key or a certificate;
 * with anything after it, every block a certificate (at most 10), the first one's key verifying and
 * all of them its canonical form.
 */
function publicKeyOf(pem: Buffer): { key: KeyObject; canonical: string } {
  const text = pem.toString('latin1').trim();
  const first = goPemDecode(text);
  if (!first.block) throw new Error('invalid public key: failure decoding PEM');
  if (first.rest.length > 0) {
    const certs: X509Certificate[] = [];
    for (let remaining = text; remaining.length > 0; ) {
      if (certs.length === 10) throw new Error('too many certificates specified in PEM block');
      const next = goPemDecode(remaining);
      if (!next.block) throw new Error('error during PEM decoding');
      certs.push(certificateOf(next.block.bytes));
      remaining = next.rest;
    }
    return { key: certs[0]!.publicKey, canonical: certs.map((c) => toPEM(c.raw)).join('') };
  }
  const { type, bytes } = first.block;
  if (type === 'CERTIFICATE') return { key: certificateOf(bytes).publicKey, canonical: toPEM(bytes) };
  if (type !== 'PUBLIC KEY') throw new Error(`invalid public key: cannot handle type ${type}`);
  return { key: createPublicKey({ key: bytes, format: 'der', type: 'spki' }), canonical: toPEM(bytes, 'PUBLIC KEY') };
}

/** dsse v0.0.1's Unmarshal (DecodeEntry, Validate, then verifyEnvelope) and Canonicalize. */
function dsseBody(spec: Record<string, unknown>): object {
  const proposed = isObject(spec.proposedContent) ? spec.proposedContent : undefined;
  const envelopeText = typeof proposed?.envelope === 'string' ? proposed.envelope : undefined;
  const verifiers = Array.isArray(proposed?.verifiers)
    ? proposed.verifiers.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => goBase64(v, 'verifier'))
    : undefined;
  if (!proposed) refuse('either proposedContent or envelopeHash, payloadHash, and signatures must be present');
  validation([
    ...(envelopeText === undefined ? ['proposedContent.proposedContent.envelope in body is required'] : []),
    ...(verifiers === undefined ? ['proposedContent.proposedContent.verifiers in body is required'] : []),
    ...(verifiers?.length === 0 ? ['proposedContent.proposedContent.verifiers in body should have at least 1 items'] : []),
  ]);
  const parsed = goJSON(envelopeText!, 'unmarshal');
  if ('error' in parsed) refuse(parsed.error);
  const envelope = JSON.parse(envelopeText!) as { payload?: string; payloadType?: string; signatures?: Array<{ sig?: string }> };
  const signatures = (envelope.signatures ?? []).map((s) => String(s?.sig ?? ''));
  if (signatures.length === 0) refuse('DSSE envelope must contain 1 or more signatures');
  const { verifiedBy, payload } = verifyEnvelope(verifiers!, envelope.payload ?? '', envelope.payloadType ?? '', signatures);
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256hex(envelopeText!) },
      payloadHash: { algorithm: 'sha256', value: sha256hex(payload) },
      signatures: [...verifiedBy.keys()].sort().map((sig) => ({ signature: sig, verifier: Buffer.from(verifiedBy.get(sig)!).toString('base64') })),
    },
  };
}

function verifies(key: KeyObject, message: Buffer, sig: Buffer): boolean {
  try {
    if (key.asymmetricKeyType !== 'ec') return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', message, key, sig);
    // sigstore/sigstore's ECDSA verifier takes ASN.1 or IEEE P1363 signatures; node:crypto verifies
    // either once it is written as P1363 of the curve's width.
    const read = ecdsaSignature(sig);
    const width = orderBytes(key);
    const fixed = 'error' in read || width === undefined ? undefined : p1363(read.r, read.s, width);
    return fixed !== undefined && verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, fixed);
  } catch {
    return false;
  }
}

/** go-securesystemslib's b64Decode: standard base64, else URL-safe base64 (both padded), else its one error. */
function dsseBase64(text: string): Buffer {
  const plain = text.replace(/[\r\n]/g, '');
  if (goBase64Corruption(text) < 0) return Buffer.from(plain, 'base64');
  if (goBase64Corruption(text, BASE64_URL_ALPHABET) < 0) return Buffer.from(plain, 'base64url');
  return refuse('could not verify envelope: unable to base64 decode payload (is payload in the right format?)');
}

/**
 * rekor's verifyEnvelope: each verifier in turn, until every signature is accounted for, runs
 * VerifyAndDecode with that one key, which decodes the payload and every signature, and accepts
 * the first signature the key verifies and no other (its only provider is then used up). A key
 * that accepts none is refused; a signature no key accepted is refused. Returns the decoded payload
 * and, by signature text, the canonical PEM of the key that accepted it. The payload and signatures
 * are decoded once, when the first key parsed: a key that does not parse is refused before them.
 */
function verifyEnvelope(
  verifiers: Buffer[],
  payloadText: string,
  payloadType: string,
  signatures: string[],
): { verifiedBy: Map<string, string>; payload: Buffer } {
  const unverified = new Set(signatures);
  const verifiedBy = new Map<string, string>();
  let decoded: { payload: Buffer; message: Buffer; raw: Buffer[] } | undefined;
  for (const bytes of verifiers) {
    if (unverified.size === 0) break;
    let key: { key: KeyObject; canonical: string };
    try {
      key = publicKeyOf(bytes);
    } catch (error) {
      return refuse(`could not parse public key as x509: ${(error as Error).message}`);
    }
    if (!decoded) {
      const payload = dsseBase64(payloadText);
      decoded = { payload, message: dsse.preAuthEncoding(payloadType, payload), raw: signatures.map(dsseBase64) };
    }
    const { message, raw } = decoded;
    // Rekor loads every verifier with SHA-256, whatever the curve.
    const accepted = signatures.find((_, i) => verifies(key.key, message, raw[i]!));
    if (accepted === undefined) return refuse('could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1');
    unverified.delete(accepted);
    verifiedBy.set(accepted, key.canonical);
  }
  if (unverified.size > 0) refuse('all signatures must have a key that verifies it');
  return { verifiedBy, payload: decoded?.payload ?? dsseBase64(payloadText) };
}

const DIGEST_LENGTHS: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };
/** hashedrekord v0.0.1's Unmarshal (DecodeEntry, Validate, validate) and Canonicalize. */
function hashedRekordBody(spec: Record<string, unknown>, checkAlgorithms: boolean): object {
  const signature = isObject(spec.signature) ? spec.signature : undefined;
  const content = typeof signature?.content === 'string' && signature.content !== '' ? goBase64(signature.content, 'signature content') : undefined;
  const keyRaw = isObject(signature?.publicKey) ? signature.publicKey : undefined;
  const keyBytes = typeof keyRaw?.content === 'string' && keyRaw.content !== '' ? goBase64(keyRaw.content, 'public key content') : undefined;
  const data = isObject(spec.data) ? spec.data : undefined;
  const hash = isObject(data?.hash) ? data.hash : undefined;
  const algorithm = typeof hash?.algorithm === 'string' ? hash.algorithm : undefined;
  const value = typeof hash?.value === 'string' ? hash.value : undefined;
  validation([
    ...(signature === undefined ? ['signature in body is required'] : []),
    ...(data === undefined ? ['data in body is required'] : []),
    ...(hash && algorithm === undefined ? ['data.hash.algorithm in body is required'] : []),
    ...(algorithm !== undefined && !(algorithm in DIGEST_LENGTHS) ? [`data.hash.algorithm in body should be one of [sha256 sha384 sha512]`] : []),
    ...(hash && value === undefined ? ['data.hash.value in body is required'] : []),
  ]);
  if (!keyRaw) refuse('missing public key');
  let key: { key: KeyObject; canonical: string };
  try {
    key = publicKeyOf(keyBytes ?? Buffer.alloc(0));
  } catch (error) {
    return refuse((error as Error).message);
  }
  if (!hash || value === undefined) return refuse(hash ? 'missing hash value' : 'missing hash');
  if (value.length !== DIGEST_LENGTHS[algorithm ?? 'sha256']! * 2) refuse('invalid value for hash');
  const badHex = value.search(/[^0-9a-fA-F]/);
  if (badHex >= 0) refuse(`encoding/hex: invalid byte: U+${value.charCodeAt(badHex).toString(16).toUpperCase().padStart(4, '0')} '${value[badHex]}'`);
  // rekor's x509 Signature refuses to verify with no bytes (a content that is empty or no string).
  if (content === undefined || content.length === 0) return refuse('verifying signature: X509 signature has not been initialized');
  // An Ed25519 key verifies a digest only as Ed25519ph, over SHA-512 (sigstore/sigstore).
  if (key.key.asymmetricKeyType === 'ed25519' && (algorithm ?? 'sha256') !== 'sha512')
    refuse(`verifying signature: unsupported hash algorithm: "${goHashName(algorithm ?? 'sha256')}" not in [SHA-512]`);
  const verdict = verifyDigest(key.key, Buffer.from(value, 'hex'), content);
  if (!verdict.ok) refuse(`verifying signature: ${verdict.error}`);
  // createLogEntry's checkEntryAlgorithms, once the entry is read; a search does not check.
  if (checkAlgorithms && !rekorPermits(key.key, algorithm ?? 'sha256')) refuse('entry algorithms are not allowed');
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: algorithm ?? 'sha256', value } },
      signature: { content: content.toString('base64'), publicKey: { content: Buffer.from(key.canonical).toString('base64') } },
    },
  };
}

/** The body Rekor would log for `raw`, or an EntryError with its refusal. */
export function readProposedEntry(raw: Buffer): object {
  if (raw.length === 0) throw new EntryError('proposedEntry in body is required', 422, 602);
  const read = goJSON(raw, 'decoder');
  if ('error' in read) throw new EntryError(read.error, 500);
  const value: unknown = JSON.parse(raw.subarray(0, read.end).toString('utf8'));
  if (!isObject(value) && value !== null)
    throw new EntryError(
      `json: cannot unmarshal ${Array.isArray(value) ? 'array' : GO_TYPES[typeof value]} into Go value of type models.targetedProposedEntry`,
      500,
    );
  const proposed = value ?? {};
  const typeError = targetedTypeError(proposed);
  if (typeError) throw new EntryError(typeError, 500);
  const kind = goField(proposed, 'kind') as string | null | undefined;
  if (kind === undefined || kind === null) throw new EntryError('kind in body is required', 422, 602);
  if (!KNOWN_KINDS.includes(kind)) throw new EntryError(`invalid kind value: ${JSON.stringify(kind)}`, 422);
  try {
    if (!LOGGED_KINDS.includes(kind)) refuse(`entry kind '${kind}' is not enabled for submission on this server`);
    return canonicalBody({ kind, apiVersion: goField(proposed, 'apiVersion'), spec: goField(proposed, 'spec') }, { checkAlgorithms: true });
  } catch (error) {
    if (error instanceof EntryError && error.status === 400) throw new EntryError(`error processing entry: ${error.message}`);
    throw error;
  }
}

/**
 * types.UnmarshalEntry then CanonicalizeEntry for a kind the world logs (LOGGED_KINDS): the body
 * Rekor logs for the proposed entry, or an EntryError (400) in the kind's own words. `checkAlgorithms`:
 * createLogEntry's check of a hashedrekord's key and digest against rekor-server's registry.
 */
export function canonicalBody(proposed: Record<string, unknown>, opts: { checkAlgorithms?: boolean } = {}): object {
  const kind = String(proposed.kind);
  const version = String(proposed.apiVersion ?? '');
  if (version !== '0.0.1') refuse(`${kind} implementation for version '${version}' not found: unable to locate entry for version ${version}`);
  const spec = isObject(proposed.spec) ? proposed.spec : {};
  return kind === 'dsse' ? dsseBody(spec) : hashedRekordBody(spec, opts.checkAlgorithms ?? false);
}
