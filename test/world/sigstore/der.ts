// The few DER encoders the world's timestamp authority needs (X.690 definite-length encoding).

/** A Buffer over the same memory as the DER bytes @sigstore/mock hands out as typed-array views. */
export const bufferOf = (view: ArrayBufferView): Buffer => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
/** One DER tag-length-value. */
export const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  const n = body.length;
  if (n >= 0x1000000) throw new RangeError('DER content of 16 MiB or more is not supported here');
  const len =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
/** A SET OF: DER sorts the encoded members. */
export const setOf = (...items: Buffer[]): Buffer => tlv(0x31, ...[...items].sort(Buffer.compare));
export const octets = (bytes: Buffer): Buffer => tlv(0x04, bytes);
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const boolTrue = (): Buffer => Buffer.from([0x01, 0x01, 0xff]);
/** A BIT STRING of whole bytes (no unused bits), e.g. a public key or a signature. */
export const bits = (bytes: Buffer, unused = 0): Buffer => tlv(0x03, Buffer.from([unused]), bytes);
/** [n] EXPLICIT, constructed. */
export const explicit = (n: number, ...items: Buffer[]): Buffer => tlv(0xa0 | n, ...items);
/** [n] IMPLICIT over a constructed type (a SET OF or SEQUENCE): the tag replaces the universal one. */
export const implicitConstructed = (n: number, encoded: Buffer): Buffer => Buffer.concat([Buffer.from([0xa0 | n]), encoded.subarray(1)]);

/** A non-negative INTEGER from a number or big-endian bytes, minimally encoded. */
export function int(value: number | bigint | Buffer): Buffer {
  let hex = Buffer.isBuffer(value) ? '' : BigInt(value).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.isBuffer(value) ? value : Buffer.from(hex, 'hex');
  if (bytes.length === 0) throw new RangeError('an INTEGER needs at least one byte');
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && (bytes[i + 1]! & 0x80) === 0) i++;
  bytes = bytes.subarray(i);
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

export const OID_PATTERN = /^[0-2]\.(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8}))*$/;

/** Base-128 arcs, the first two combined as 40·a + b (which may itself take several bytes). */
export function oid(dotted: string): Buffer {
  if (!OID_PATTERN.test(dotted)) throw new RangeError(`not an object identifier: ${dotted}`);
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [];
  for (const arc of [40 * a! + b!, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** GeneralizedTime with milliseconds and no trailing zeros in the fraction (X.690 §11.7). */
export function generalizedTime(d: Date): Buffer {
  const ms = d.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${pad(ms, 3).replace(/0+$/, '')}`;
  const text = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${fraction}Z`;
  return tlv(0x18, Buffer.from(text, 'ascii'));
}

export function utcTime(d: Date): Buffer {
  const text = `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}
