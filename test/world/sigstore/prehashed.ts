// A signature over a digest the log is given, not the data: what Rekor checks for a hashedrekord entry
// (sigstore/sigstore's verifiers with options.WithDigest), and what its verifiers check of any ECDSA
// signature over a SHA-256 digest. node:crypto hashes what it verifies, so ECDSA is verified here on
// the curve itself (Go's ecdsa.Verify, with its truncation of the digest to the order's length, of a
// signature in either encoding sigstore/sigstore reads), RSA PKCS #1 v1.5 by recovering the
// DigestInfo the key signed, and Ed25519 as Ed25519ph (ed25519ph.ts).
import { constants, publicDecrypt, type KeyObject } from 'node:crypto';
import { verifyEd25519ph } from './ed25519ph.ts';
import { ecdsaSignature, unsigned } from './go-ecdsa-signature.ts';

interface Curve {
  p: bigint;
  n: bigint;
  b: bigint;
  g: [bigint, bigint];
}

// FIPS 186-4 D.1.2: a = -3 for all three.
const CURVES: Record<string, Curve> = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    g: [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n, 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n],
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    g: [
      0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
      0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    ],
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    g: [
      0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
      0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
    ],
  },
};

type Point = [bigint, bigint] | null;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(c: Curve, a: Point, b: Point): Point {
  if (!a) return b;
  if (!b) return a;
  if (a[0] === b[0] && mod(a[1] + b[1], c.p) === 0n) return null;
  const slope = a[0] === b[0] ? mod((3n * a[0] * a[0] - 3n) * inverse(2n * a[1], c.p), c.p) : mod((b[1] - a[1]) * inverse(b[0] - a[0], c.p), c.p);
  const x = mod(slope * slope - a[0] - b[0], c.p);
  return [x, mod(slope * (a[0] - x) - a[1], c.p)];
}

function multiply(c: Curve, k: bigint, point: Point): Point {
  let result: Point = null;
  for (let addend = point; k > 0n; k >>= 1n, addend = add(c, addend, addend)) if (k & 1n) result = add(c, result, addend);
  return result;
}

/** The bytes of the order of an EC key's curve (the width of r and s in IEEE P1363); undefined for a curve Go's verifier does not know. */
export function orderBytes(key: KeyObject): number | undefined {
  const c = CURVES[key.export({ format: 'jwk' }).crv ?? ''];
  return c && Math.ceil(c.n.toString(2).length / 8);
}

/** ecdsa.Verify of (r, s) over `digest` (truncated to the order's bit length, as Go does). */
function verifyECDSA(key: KeyObject, digest: Buffer, r: bigint, s: bigint): boolean {
  const jwk = key.export({ format: 'jwk' });
  const c = CURVES[jwk.crv ?? ''];
  if (!c) return false;
  if (r <= 0n || s <= 0n || r >= c.n || s >= c.n) return false;
  const bits = c.n.toString(2).length;
  const used = digest.subarray(0, Math.ceil(bits / 8));
  const e = unsigned(used) >> BigInt(Math.max(0, used.length * 8 - bits));
  const w = inverse(s, c.n);
  const q: Point = [unsigned(Buffer.from(jwk.x!, 'base64url')), unsigned(Buffer.from(jwk.y!, 'base64url'))];
  const sum = add(c, multiply(c, mod(e * w, c.n), c.g), multiply(c, mod(r * w, c.n), q));
  return sum !== null && mod(sum[0], c.n) === r;
}

// DigestInfo prefixes (RFC 8017 §9.2 note 1).
const DIGEST_INFO: Record<number, string> = {
  32: '3031300d060960864801650304020105000420',
  48: '3041300d060960864801650304020205000430',
  64: '3051300d060960864801650304020305000440',
};

/** rsa.VerifyPKCS1v15 of `signature` over `digest`. */
function verifyRSA(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const prefix = DIGEST_INFO[digest.length];
  if (!prefix) return false;
  try {
    return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature).equals(Buffer.concat([Buffer.from(prefix, 'hex'), digest]));
  } catch {
    return false;
  }
}

/** Whether `signature` by `key` is over `digest`, and the words Go's verifier refuses it with. */
export function verifyDigest(key: KeyObject, digest: Buffer, signature: Buffer): { ok: true } | { ok: false; error: string } {
  if (key.asymmetricKeyType === 'ec') {
    const read = ecdsaSignature(signature);
    if ('error' in read) return { ok: false, error: read.error };
    return verifyECDSA(key, digest, read.r, read.s) ? { ok: true } : { ok: false, error: `invalid signature when validating ${read.form} encoded signature` };
  }
  if (key.asymmetricKeyType === 'rsa') return verifyRSA(key, digest, signature) ? { ok: true } : { ok: false, error: 'crypto/rsa: verification error' };
  // An Ed25519 key verifies a digest as Ed25519ph (sigstore/sigstore's ED25519phVerifier).
  if (key.asymmetricKeyType === 'ed25519') {
    const raw = Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');
    return verifyEd25519ph(raw, digest, signature) ? { ok: true } : { ok: false, error: 'failed to verify signature: ed25519: invalid signature' };
  }
  return { ok: false, error: `unsupported public key type: ${key.asymmetricKeyType}` };
}
