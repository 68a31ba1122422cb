// Fulcio's CreateSigningCertificateRequest as its HTTP front reads a body: grpc-gateway decodes one
// JSON value with Go's encoding/json (an empty body is an empty request), then protojson fills the
// message: unknown fields are dropped, bytes fields take standard or URL-safe base64 with or without
// padding, the `key` oneof takes one of its two fields, and every refusal names the line and column
// of the token it is about. __tests__/world/real-servers.test.ts holds these to sigstore/fulcio.
// Go's syntax errors come from test/world/go-json.ts.

import { goJSON } from '../go-json.ts';

export interface SigningCertRequest {
  credentials?: { oidcIdentityToken?: string };
  publicKeyRequest?: { publicKey?: { content?: string }; proofOfPossession?: Buffer };
  certificateSigningRequest?: Buffer;
}

/** A refusal in grpc-gateway's words, before Fulcio's own checks run. */
export class RequestSyntaxError extends Error {}

const ONEOF = 'dev.sigstore.fulcio.v2.CreateSigningCertificateRequest.key';

/** Where protojson says a token is: line, and column in runes, both from 1. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return `line ${before.split('\n').length}:${[...before.slice(lineStart)].length + 1}`;
}

/** The raw text of each top-level member's key and value, with the value's offset, in order. */
function members(text: string): Array<{ key: string; keyAt: number; valueAt: number; raw: string; value: unknown }> {
  const out: Array<{ key: string; keyAt: number; valueAt: number; raw: string; value: unknown }> = [];
  const token = /"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,"]+/g;
  let depth = 0;
  let pending: { key: string; keyAt: number } | undefined;
  let expectKey = false;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const t = m[0];
    if (depth === 1 && expectKey && t.startsWith('"')) {
      pending = { key: JSON.parse(t) as string, keyAt: m.index };
      expectKey = false;
    } else if (depth === 1 && pending && t !== ':') {
      const valueAt = m.index;
      const end = t === '{' || t === '[' ? matchingEnd(text, valueAt) : valueAt + t.length;
      const raw = text.slice(valueAt, end);
      out.push({ ...pending, valueAt, raw, value: JSON.parse(raw) });
      pending = undefined;
      token.lastIndex = end;
      continue;
    }
    if (t === '{' || t === '[') depth++, (expectKey = depth === 1);
    else if (t === '}' || t === ']') depth--;
    else if (t === ',' && depth === 1) expectKey = true;
  }
  return out;
}

/** The offset just past the object or array that opens at `start` (the text is valid JSON). */
function matchingEnd(text: string, start: number): number {
  const token = /"(?:[^"\\]|\\.)*"|[{}[\]]/g;
  token.lastIndex = start;
  let depth = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    if (m[0] === '{' || m[0] === '[') depth++;
    else if (m[0] === '}' || m[0] === ']') depth--;
    if (depth === 0) return m.index + 1;
  }
  return text.length;
}

/** protojson's bytes: standard or URL-safe alphabet, padded or not. */
function protoBytes(value: unknown, name: string, raw: string, where: string): Buffer {
  const text = typeof value === 'string' ? value : undefined;
  const clean = text?.replace(/=+$/, '');
  if (clean === undefined || !/^[A-Za-z0-9+/]*$|^[A-Za-z0-9\-_]*$/.test(clean) || clean.length % 4 === 1)
    throw new RequestSyntaxError(`proto: (${where}): invalid value for bytes field ${name}: ${raw}`);
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** The request as Fulcio's gRPC handler receives it; throws RequestSyntaxError with the gateway's message. */
export function readSigningCertRequest(body: Buffer): SigningCertRequest {
  const read = goJSON(body, 'decoder');
  if ('error' in read) {
    if (read.error === 'EOF') return {};
    throw new RequestSyntaxError(read.error);
  }
  const text = body.subarray(0, read.end).toString('utf8').trim();
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const first = /^(\[|\{|"(?:[^"\\]|\\.)*"|[^\s,\]}]+)/.exec(text)?.[0] ?? text[0];
    throw new RequestSyntaxError(`proto: syntax error (line 1:1): unexpected token ${first}`);
  }
  const request: SigningCertRequest = {};
  let key: string | undefined;
  for (const member of members(text)) {
    const name = { certificate_signing_request: 'certificateSigningRequest', public_key_request: 'publicKeyRequest' }[member.key] ?? member.key;
    if ((name === 'certificateSigningRequest' || name === 'publicKeyRequest') && member.value !== null) {
      if (key) throw new RequestSyntaxError(`proto: (${position(text, member.keyAt)}): error parsing "${member.key}", oneof ${ONEOF} is already set`);
      key = name;
    }
    if (name === 'certificateSigningRequest' && member.value !== null)
      request.certificateSigningRequest = protoBytes(member.value, 'certificateSigningRequest', member.raw, position(text, member.valueAt));
    else if (name === 'publicKeyRequest' && member.value !== null) request.publicKeyRequest = publicKeyRequest(member, text);
    else if (name === 'credentials' && member.value !== null) request.credentials = member.value as SigningCertRequest['credentials'];
  }
  return request;
}

function publicKeyRequest(member: { value: unknown; raw: string; valueAt: number }, text: string): SigningCertRequest['publicKeyRequest'] {
  const value = member.value as { publicKey?: { content?: string }; proofOfPossession?: unknown; proof_of_possession?: unknown };
  const proof = value.proofOfPossession ?? value.proof_of_possession;
  if (proof === undefined || proof === null) return { ...(value.publicKey ? { publicKey: value.publicKey } : {}) };
  const inner = members(member.raw).find((m) => m.key === 'proofOfPossession' || m.key === 'proof_of_possession')!;
  const where = position(text, member.valueAt + inner.valueAt);
  return { ...(value.publicKey ? { publicKey: value.publicKey } : {}), proofOfPossession: protoBytes(proof, 'proofOfPossession', inner.raw, where) };
}
