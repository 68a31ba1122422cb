// Ed25519ph verification (RFC 8032 §5.1.7 with PH = SHA-512 and an empty context), as Go's
// ed25519.VerifyWithOptions(pub, digest, sig, &Options{Hash: crypto.SHA512}) does it: what
// sigstore/sigstore's ED25519phVerifier, and so Rekor's hashedrekord, asks of an Ed25519 key.
// node:crypto signs and verifies pure Ed25519 and Ed25519ctx only (no prehash flag), so the
// equation is checked here on the curve with BigInt: [S]B - [k]A encodes to R, cofactorless as Go
// checks it, S below the group order, A decoded as Go's edwards25519 does (non-canonical
// encodings of valid points accepted). Held to RFC 8032's test vectors and Go's signatures by
// __tests__/world/ed25519ph.test.ts and __tests__/world/real-servers.test.ts.
import { createHash } from 'node:crypto';

const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint, m = P) => ((a % m) + m) % m;

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  for (let b = mod(base), e = exponent; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) result = (result * b) % P;
  return result;
}

const inverse = (a: bigint) => power(a, P - 2n);
const D = mod(-121665n * inverse(121666n));
const SQRT_M1 = power(2n, (P - 1n) / 4n);

/** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
type Point = [bigint, bigint, bigint, bigint];

const IDENTITY: Point = [0n, 1n, 1n, 0n];

// add-2008-hwcd-3, complete for a = -1.
function add([x1, y1, z1, t1]: Point, [x2, y2, z2, t2]: Point): Point {
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const [e, f, g, h] = [b - a, d - c, d + c, b + a];
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

function multiply(scalar: bigint, point: Point): Point {
  let result = IDENTITY;
  for (let addend = point, k = scalar; k > 0n; k >>= 1n, addend = add(addend, addend)) if (k & 1n) result = add(result, addend);
  return result;
}

const littleEndian = (bytes: Buffer) => BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);

/** A point from its 32 bytes (y, then the sign of x in the top bit), or undefined where it is none. */
function decode(bytes: Buffer): Point | undefined {
  const sign = bytes[31]! >> 7;
  const y = mod(littleEndian(bytes) & ((1n << 255n) - 1n));
  // x² = (y² - 1) / (d y² + 1)
  const [u, v] = [mod(y * y - 1n), mod(D * y * y + 1n)];
  let x = mod(u * power(v, P - 2n));
  x = power(x, (P + 3n) / 8n);
  const xx = mod(x * x);
  const want = mod(u * inverse(v));
  if (xx !== want) {
    if (xx !== mod(-want)) return undefined;
    x = mod(x * SQRT_M1);
  }
  if (Number(x & 1n) !== sign) x = mod(-x);
  return [x, y, 1n, mod(x * y)];
}

function encode([x, y, z]: Point): Buffer {
  const zi = inverse(z);
  const [ax, ay] = [mod(x * zi), mod(y * zi)];
  const bytes = Buffer.from(ay.toString(16).padStart(64, '0'), 'hex').reverse();
  bytes[31]! |= Number(ax & 1n) << 7;
  return bytes;
}

const BASE = decode(Buffer.from('5866666666666666666666666666666666666666666666666666666666666666', 'hex'))!;
// dom2(1, ""): the prefix of every hash Ed25519ph takes, flagging the prehash and an empty context.
const DOM2 = Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions'), Buffer.of(1, 0)]);

/** Whether `signature` is `publicKey`'s (32 raw bytes) Ed25519ph signature over the SHA-512 `digest`. */
export function verifyEd25519ph(publicKey: Buffer, digest: Buffer, signature: Buffer): boolean {
  if (publicKey.length !== 32 || digest.length !== 64 || signature.length !== 64 || signature[63]! & 224) return false;
  const s = littleEndian(signature.subarray(32));
  const a = decode(publicKey);
  if (s >= L || !a) return false;
  const r = signature.subarray(0, 32);
  const k = mod(
    littleEndian(
      createHash('sha512')
        .update(Buffer.concat([DOM2, r, publicKey, digest]))
        .digest(),
    ),
    L,
  );
  const [x, y, z, t] = multiply(k, a);
  const check = add(multiply(s, BASE), [mod(-x), y, z, mod(-t)]);
  return encode(check).equals(r);
}
