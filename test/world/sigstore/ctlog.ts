// The world's certificate transparency log, as public-good's Fulcio uses one. It signs the SCT the
// world's Fulcio embeds in each leaf, and serves RFC 6962's add-pre-chain as certificate-transparency-go's
// CTFE does, so that a real Fulcio (sigstore/fulcio, started by __tests__/world/real-servers.test.ts)
// gets its SCTs here: a precertificate (poison extension, RFC 6962 §3.1) whose chain verifies up to a
// root the log accepts, signed over its TBSCertificate without the poison and the issuer's key hash.
import { createHash, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { json, type Reply, type Route, type WorldRequest } from '../faults.ts';
import { explicit, seq } from './der.ts';

const POISON_OID = '1.3.6.1.4.1.11129.2.4.3';

/** The CT log that signs the SCTs embedded in leaves. */
export interface CTLog {
  /** DER SubjectPublicKeyInfo; its SHA-256 is the log id */
  publicKey: Buffer;
  /** A TLS-encoded SignedCertificateTimestamp for a precert_entry of `tbs` issued by the key hashed. */
  sign(tbs: Buffer, issuerKeyHash: Buffer, now: Date): Buffer;
  /** Accepts chains that end in this root (DER) from now on. */
  acceptRoot(root: Buffer): void;
  /** POST /ct/v1/add-pre-chain, and the control POST /_world/ctlog/roots {certificates: [PEM]} */
  routes(): Route[];
}

// CTFE answers a refusal as Go's http.Error does: plain text, 400.
const refused = (message: string): Reply => ({ status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${message}\n` });
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);

export function createCTLog(): CTLog {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const logID = createHash('sha256').update(spki).digest();
  const roots: X509Certificate[] = [];

  function signParts(tbs: Buffer, issuerKeyHash: Buffer, now: Date) {
    const timestamp = Buffer.alloc(8);
    timestamp.writeBigUInt64BE(BigInt(now.getTime()));
    // RFC 6962 §3.2 digitally-signed struct for a precert_entry.
    const signed = Buffer.concat([Buffer.from([0, 0]), timestamp, u16(1), issuerKeyHash, u24(tbs.length), tbs, u16(0)]);
    // DigitallySigned: sha256 (4), ecdsa (3), the DER signature.
    const signature = sign('sha256', signed, privateKey);
    return { timestamp, digitallySigned: Buffer.concat([Buffer.from([4, 3]), u16(signature.length), signature]) };
  }

  function addPreChain(req: WorldRequest) {
    let chain: X509Certificate[];
    try {
      const body = JSON.parse(req.body.toString('utf8')) as { chain?: unknown };
      if (!Array.isArray(body.chain) || body.chain.length === 0) throw new Error('no certificate chain');
      chain = body.chain.map((c) => new X509Certificate(Buffer.from(String(c), 'base64')));
    } catch (error) {
      return refused(`failed to parse add-chain body: ${(error as Error).message}`);
    }
    const problem = chainProblem(chain, roots);
    if (problem) return refused(`failed to verify add-chain contents: ${problem}`);
    const issuer = chain[1] ?? chain[0]!;
    const issuerKeyHash = createHash('sha256')
      .update(issuer.publicKey.export({ type: 'spki', format: 'der' }))
      .digest();
    const { timestamp, digitallySigned } = signParts(tbsWithoutPoison(chain[0]!.raw), issuerKeyHash, new Date());
    return json(200, {
      sct_version: 0,
      id: logID.toString('base64'),
      timestamp: Number(timestamp.readBigUInt64BE()),
      extensions: '',
      signature: digitallySigned.toString('base64'),
    });
  }

  function addRoots(req: WorldRequest) {
    const pems = (JSON.parse(req.body.toString('utf8')) as { certificates?: string[] }).certificates ?? [];
    for (const pem of pems) roots.push(new X509Certificate(pem));
    return json(200, { roots: roots.length });
  }

  return {
    publicKey: spki,
    sign(tbs, issuerKeyHash, now) {
      const { timestamp, digitallySigned } = signParts(tbs, issuerKeyHash, now);
      // SignedCertificateTimestamp: version, log id, timestamp, no extensions, the signature.
      return Buffer.concat([Buffer.from([0]), logID, timestamp, u16(0), digitallySigned]);
    },
    acceptRoot(root) {
      roots.push(new X509Certificate(root));
    },
    routes: () => [
      { method: 'POST', path: '/ct/v1/add-pre-chain', handle: addPreChain },
      { method: 'POST', path: '/_world/ctlog/roots', control: true, handle: addRoots },
    ],
  };
}

/** Why CTFE would refuse the chain: not a precertificate, a link that does not verify, no accepted root. */
function chainProblem(chain: X509Certificate[], roots: X509Certificate[]): string | undefined {
  if (!hasPoison(chain[0]!.raw)) return 'certificate is not a precertificate (no poison extension)';
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i]!.verify(chain[i + 1]!.publicKey)) return `certificate ${i} is not signed by certificate ${i + 1}`;
  }
  const last = chain[chain.length - 1]!;
  const rooted = roots.some((root) => root.raw.equals(last.raw) || (last.checkIssued(root) && last.verify(root.publicKey)));
  return rooted ? undefined : 'chain does not end in a root this log accepts';
}

function extensionsOf(tbs: ASN1Obj): ASN1Obj[] {
  return tbs.subs.find((s) => s.tag.isContextSpecific(3))?.subs[0]?.subs ?? [];
}

const isPoison = (extension: ASN1Obj) => extension.subs[0]?.toOID() === POISON_OID;

const parse = (der: Buffer): ASN1Obj => ASN1Obj.parseBuffer(Buffer.from(der));

function hasPoison(der: Buffer): boolean {
  return extensionsOf(parse(der).subs[0]!).some(isPoison);
}

/** The precertificate's TBSCertificate with the poison extension taken out (RFC 6962 §3.2). */
function tbsWithoutPoison(der: Buffer): Buffer {
  const tbs = parse(der).subs[0]!;
  const parts = tbs.subs.map((part) =>
    part.tag.isContextSpecific(3)
      ? explicit(
          3,
          seq(
            ...extensionsOf(tbs)
              .filter((e) => !isPoison(e))
              .map((e) => e.toDER()),
          ),
        )
      : part.toDER(),
  );
  return seq(...parts);
}
