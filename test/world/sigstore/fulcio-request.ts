// Fulcio's requests as its HTTP front reads a body: grpc-gateway decodes one JSON value with Go's
// encoding/json (an empty body is an empty request), then protojson fills the message (protojson.ts):
// each field by its JSON or its proto name, unknown fields dropped, bytes in either base64 alphabet,
// the `key` oneof one of its two fields, every refusal naming the line and column of the token it is
// about. v2's CreateSigningCertificateRequest (fulcio.proto) and the legacy v1beta one
// (fulcio_legacy.proto, whose fields are named in lowerCamel in the proto itself).
// __tests__/world/real-servers.test.ts holds these to sigstore/fulcio. Go's syntax errors come from
// test/world/go-json.ts.

import { goJSON } from '../go-json.ts';
import { ProtoJSONError, readProtoJSON, type ProtoMessage, type ProtoValue } from './protojson.ts';

/** v2's CreateSigningCertificateRequest, the public key's content as the bytes Fulcio parses. */
export interface SigningCertRequest {
  credentials?: { oidcIdentityToken?: string };
  publicKeyRequest?: { publicKey?: { content?: Buffer }; proofOfPossession?: Buffer };
  /** present (maybe empty) when the `key` oneof names it */
  certificateSigningRequest?: Buffer;
}

/** v1beta's CreateSigningCertificateRequest. */
export interface LegacySigningCertRequest {
  publicKey?: { content?: Buffer };
  signedEmailAddress?: Buffer;
  certificateSigningRequest?: Buffer;
}

/** A refusal in grpc-gateway's words, before Fulcio's own checks run. */
export class RequestSyntaxError extends Error {}

const V2 = 'dev.sigstore.fulcio.v2';
const PUBLIC_KEY: ProtoMessage = {
  fullName: `${V2}.PublicKey`,
  fields: [
    { name: 'algorithm', json: 'algorithm', type: 'enum', values: ['PUBLIC_KEY_ALGORITHM_UNSPECIFIED', 'RSA_PSS', 'ECDSA', 'ED25519'] },
    { name: 'content', json: 'content', type: 'string' },
  ],
};
const V2_REQUEST: ProtoMessage = {
  fullName: `${V2}.CreateSigningCertificateRequest`,
  fields: [
    {
      name: 'credentials',
      json: 'credentials',
      type: { fullName: `${V2}.Credentials`, fields: [{ name: 'oidc_identity_token', json: 'oidcIdentityToken', type: 'string', oneof: 'credentials' }] },
    },
    {
      name: 'public_key_request',
      json: 'publicKeyRequest',
      oneof: 'key',
      type: {
        fullName: `${V2}.PublicKeyRequest`,
        fields: [
          { name: 'public_key', json: 'publicKey', type: PUBLIC_KEY },
          { name: 'proof_of_possession', json: 'proofOfPossession', type: 'bytes' },
        ],
      },
    },
    { name: 'certificate_signing_request', json: 'certificateSigningRequest', type: 'bytes', oneof: 'key' },
  ],
};

const V1BETA = 'dev.sigstore.fulcio.v1beta';
const LEGACY_REQUEST: ProtoMessage = {
  fullName: `${V1BETA}.CreateSigningCertificateRequest`,
  fields: [
    {
      name: 'publicKey',
      json: 'publicKey',
      type: {
        fullName: `${V1BETA}.PublicKey`,
        fields: [
          { name: 'algorithm', json: 'algorithm', type: 'string' },
          { name: 'content', json: 'content', type: 'bytes' },
        ],
      },
    },
    { name: 'signedEmailAddress', json: 'signedEmailAddress', type: 'bytes' },
    { name: 'certificateSigningRequest', json: 'certificateSigningRequest', type: 'bytes' },
  ],
};

/**
 * Whether json.Decoder needed a byte past Fulcio's bound (`body` holds the bytes up to it): a value
 * that does not end within them, or a number that ends only where they do. A value that does end
 * there is read, and the rest of the body dropped unread (the gateway's io.Copy ignores the error).
 */
function pastBound(body: Buffer, read: ReturnType<typeof goJSON>): boolean {
  if ('error' in read) return read.error === 'EOF' || read.error === 'unexpected EOF';
  return read.end === body.length && /[\d.eE+-]$/.test(body.toString('latin1', body.length - 1));
}

/** The message `body` holds, as the gateway hands it to Fulcio; throws RequestSyntaxError with its message. */
function readRequest(body: Buffer, type: ProtoMessage, overLimit = false): ProtoValue {
  const read = goJSON(body, 'decoder');
  // http.MaxBytesReader's error, which the decoder meets before it can finish.
  if (overLimit && pastBound(body, read)) throw new RequestSyntaxError('http: request body too large');
  if ('error' in read) {
    if (read.error === 'EOF') return {};
    throw new RequestSyntaxError(read.error);
  }
  try {
    return readProtoJSON(body.subarray(0, read.end).toString('utf8').trim(), type);
  } catch (error) {
    if (error instanceof ProtoJSONError) throw new RequestSyntaxError(error.message);
    throw error;
  }
}

/** v2's request as Fulcio's gRPC handler receives it; throws RequestSyntaxError with the gateway's message. */
export function readSigningCertRequest(body: Buffer, overLimit?: boolean): SigningCertRequest {
  const request = readRequest(body, V2_REQUEST, overLimit) as {
    credentials?: SigningCertRequest['credentials'];
    publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: Buffer };
    certificateSigningRequest?: Buffer;
  };
  const { publicKeyRequest: keyRequest, ...rest } = request;
  if (!keyRequest) return rest;
  const content = keyRequest.publicKey?.content;
  // A proto string reaches ParsePublicKey as its UTF-8 bytes.
  const publicKey = keyRequest.publicKey && { ...(content === undefined ? {} : { content: Buffer.from(content, 'utf8') }) };
  return { ...rest, publicKeyRequest: { ...keyRequest, publicKey } };
}

/** The legacy v1beta request; throws RequestSyntaxError with the gateway's message. */
export function readLegacySigningCertRequest(body: Buffer, overLimit?: boolean): LegacySigningCertRequest {
  return readRequest(body, LEGACY_REQUEST, overLimit) as LegacySigningCertRequest;
}
