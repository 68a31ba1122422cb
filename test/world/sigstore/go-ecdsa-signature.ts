// An ECDSA signature as sigstore/sigstore's ECDSAVerifier reads it (pkg/signature/ecdsa.go): when Go's
// encoding/asn1 can unmarshal it into struct{ R, S *big.Int } it is verified as ASN.1 by
// ecdsa.VerifyASN1, which is stricter (cryptobyte: one SEQUENCE of two non-negative INTEGERs, nothing
// after); otherwise it is taken as IEEE P1363 (r then s, each half of it), as WebCrypto signs.

/** One DER element: its tag byte and where its contents lie; undefined where Go's asn1 refuses it. */
export function derElement(der: Buffer, at: number): { tag: number; start: number; end: number } | undefined {
  if (at + 2 > der.length || (der[at]! & 0x1f) === 0x1f) return undefined;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    // indefinite length, a length of more than four bytes, or one not written minimally: not DER
    if (bytes === 0 || bytes > 4 || der[start] === 0 || start + bytes > der.length) return undefined;
    length = der.subarray(start, start + bytes).reduce((n, b) => n * 256 + b, 0);
    if (length < 0x80) return undefined;
    start += bytes;
  }
  return start + length <= der.length ? { tag: der[at]!, start, end: start + length } : undefined;
}

/** An INTEGER's contents as Go's asn1 takes them: not empty, minimally encoded. */
function integer(der: Buffer, at: number, limit: number): { value: Buffer; end: number } | undefined {
  const e = derElement(der, at);
  if (!e || e.tag !== 0x02 || e.end > limit || e.end === e.start) return undefined;
  const value = der.subarray(e.start, e.end);
  if (value.length > 1 && ((value[0] === 0 && !(value[1]! & 0x80)) || (value[0] === 0xff && value[1]! & 0x80))) return undefined;
  return { value, end: e.end };
}

/** Bytes as a big-endian unsigned integer. */
export const unsigned = (bytes: Buffer) => (bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`));

/**
 * (r, s) and the encoding the verifier names in its refusal, or its refusal of a P1363 signature of
 * no possible length. An ASN.1 signature that only the lenient reading takes (bytes after it, a third
 * element, a negative integer) gets r = s = 0, which no verification passes.
 */
export function ecdsaSignature(signature: Buffer): { r: bigint; s: bigint; form: 'ASN.1' | 'IEEE_P1363' } | { error: string } {
  const sequence = derElement(signature, 0);
  const r = sequence?.tag === 0x30 ? integer(signature, sequence.start, sequence.end) : undefined;
  const s = r && sequence ? integer(signature, r.end, sequence.end) : undefined;
  if (sequence && r && s) {
    const strict = sequence.end === signature.length && s.end === sequence.end && !(r.value[0]! & 0x80) && !(s.value[0]! & 0x80);
    return strict ? { r: unsigned(r.value), s: unsigned(s.value), form: 'ASN.1' } : { r: 0n, s: 0n, form: 'ASN.1' };
  }
  if (signature.length === 0 || signature.length > 132 || signature.length % 2 !== 0) return { error: 'ecdsa: Invalid IEEE_P1363 encoded bytes' };
  const half = signature.length / 2;
  return { r: unsigned(signature.subarray(0, half)), s: unsigned(signature.subarray(half)), form: 'IEEE_P1363' };
}

/**
 * (r, s) as the fixed-width IEEE P1363 bytes node:crypto verifies (`dsaEncoding: 'ieee-p1363'`) for a
 * curve whose order has `orderBytes` bytes; undefined when either does not fit, which no signature
 * of that curve verifies with.
 */
export function p1363(r: bigint, s: bigint, orderBytes: number): Buffer | undefined {
  const limit = 1n << BigInt(orderBytes * 8);
  if (r >= limit || s >= limit) return undefined;
  const fixed = (n: bigint) => Buffer.from(n.toString(16).padStart(orderBytes * 2, '0'), 'hex');
  return Buffer.concat([fixed(r), fixed(s)]);
}
