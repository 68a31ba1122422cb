// Memoisation for @sigstore/verify, installed once on @sigstore/core's classes when the verifier loads.
//
// Every bundle of a run carries the same Fulcio certificate, and verifying one bundle re-parses it,
// re-encodes it to DER many times and re-checks each certificate of its chain against its issuer, once
// per timestamp: the same signatures over the same bytes for every dist (profiled: more than half of
// the CPU of verifying 100 bundles). Seven memos remove the repetition without changing what is checked:
//  1. DER encoding per parsed ASN.1 object (@sigstore/core re-encodes recursively, growing its buffer in
//     1 KiB steps, on every X509Certificate.equals/verify), and an encoder that writes the same bytes
//     into one buffer of the exact size: an RFC 3161 token is a fresh object per dist, and its signed
//     attributes and TSTInfo were encoded at ~140 KB of zeroed buffers each (a sixth of (c)'s garbage);
//  2. parsing per DER bytes, so the bundles of a run share one certificate object (a clone, which
//     @sigstore/verify modifies to check SCTs, is still a fresh object);
//  3. a certificate's signature check per issuer object;
//  4. the SCT check per (certificate, issuer, CT logs): it clones the certificate, removes the SCT
//     extension and re-encodes the TBS for every bundle (a third of the CPU left after 1–3). Its
//     result depends on nothing else: each SCT is checked against the logs valid at the SCT's own
//     time, not the signing time. A failure throws and is not remembered.
//  5. the key object per public key (DER SubjectPublicKeyInfo): the leaf's key was parsed again for
//     every bundle and the TSA's for every timestamp. A KeyObject cannot be changed once made.
//  6. the certificate path per (leaf, trusted chain), and its CA / name / path-length checks per path:
//     CertificateChainVerifier's sort() and checkPath() read nothing but the certificates. Whether each
//     certificate of the path was valid at the timestamp is still checked on every call.
//  7. the OID string per parsed ASN.1 object: @sigstore/verify reads every extension's OID of the leaf
//     for every bundle, and @sigstore/core decodes each arc through BigInts (a third of the objects
//     verification allocated in (c), after 1).
// All of them rest on one fact: a parsed certificate is never modified, only a clone is. Dates are
// still checked on every call (validForDate is not memoised), and different bytes are a different
// object. A check that throws is never remembered.
import { ASN1Obj, X509Certificate, crypto as coreCrypto } from '@sigstore/core';
import type { KeyObject } from 'node:crypto';
// The module objects themselves (CommonJS exports), whose members @sigstore/verify calls through.
import sctModule from '@sigstore/verify/dist/key/sct.js';
import certificateModule from '@sigstore/verify/dist/key/certificate.js';

const MAX_PARSED = 256; // a run sees its trust root's certificates and one leaf per signing credential

type Patched = { __pypiPublishMemo?: true };

export function installVerifyMemo(): void {
  if ((X509Certificate as Patched).__pypiPublishMemo) return;
  (X509Certificate as Patched).__pypiPublishMemo = true;

  const derCache = new WeakMap<object, Buffer>();
  ASN1Obj.prototype.toDER = function (this: ASN1Obj): Buffer {
    let der = derCache.get(this);
    if (!der) derCache.set(this, (der = encodeDer(this)));
    // A copy: callers may write into what they get (@sigstore/core's RFC 3161 check retags the
    // signed attributes in place), and the remembered encoding must stay what it was.
    return Buffer.from(der);
  };

  const oidCache = new WeakMap<object, string>();
  const toOID = ASN1Obj.prototype.toOID as (this: ASN1Obj) => string;
  ASN1Obj.prototype.toOID = function (this: ASN1Obj): string {
    let oid = oidCache.get(this);
    if (oid === undefined) oidCache.set(this, (oid = toOID.call(this)));
    return oid;
  };

  const parse = X509Certificate.parse.bind(X509Certificate);
  const parsed = new Map<string, X509Certificate>();
  X509Certificate.parse = (cert: Buffer | string): X509Certificate => {
    if (typeof cert === 'string') return parse(cert);
    const key = Buffer.from(cert).toString('base64');
    let found = parsed.get(key);
    if (!found) {
      if (parsed.size >= MAX_PARSED) parsed.clear();
      parsed.set(key, (found = parse(cert as Buffer<ArrayBuffer>)));
    }
    return found;
  };
  X509Certificate.prototype.clone = function (this: X509Certificate): X509Certificate {
    const der = this.root.toDER();
    const copy = Buffer.alloc(der.length);
    der.copy(copy);
    return parse(copy);
  };

  const verify = X509Certificate.prototype.verify as (this: X509Certificate, issuer?: X509Certificate) => boolean;
  const checked = new WeakMap<X509Certificate, WeakMap<X509Certificate, boolean>>();
  X509Certificate.prototype.verify = function (this: X509Certificate, issuer?: X509Certificate): boolean {
    const self = issuer ?? this;
    let byIssuer = checked.get(this);
    if (!byIssuer) checked.set(this, (byIssuer = new WeakMap()));
    let ok = byIssuer.get(self);
    if (ok === undefined) byIssuer.set(self, (ok = verify.call(this, issuer)));
    return ok;
  };

  const verifySCTs = sctModule.verifySCTs;
  type Logs = Parameters<typeof verifySCTs>[2];
  const sctChecked = new WeakMap<X509Certificate, WeakMap<X509Certificate, WeakMap<Logs, Buffer[]>>>();
  sctModule.verifySCTs = (cert: X509Certificate, issuer: X509Certificate, ctlogs: Logs): Buffer[] => {
    let byIssuer = sctChecked.get(cert);
    if (!byIssuer) sctChecked.set(cert, (byIssuer = new WeakMap()));
    let byLogs = byIssuer.get(issuer);
    if (!byLogs) byIssuer.set(issuer, (byLogs = new WeakMap()));
    let logIDs = byLogs.get(ctlogs);
    if (!logIDs) byLogs.set(ctlogs, (logIDs = verifySCTs(cert, issuer, ctlogs)));
    return [...logIDs];
  };

  memoisePublicKeys();
  memoiseCertificatePaths();
}

/** What ASN1Obj.toDER reads of an object: its tag's byte, its children, or its own value when it has none. */
interface DerNode {
  tag: { toDER(): number };
  subs: DerNode[];
  value: Uint8Array;
}

/** Bytes of DER's length field for a content of `len` bytes: one below 128, else 0x80|n and n big-endian bytes. */
function lengthBytes(len: number): number {
  if (len < 128) return 1;
  let n = 1;
  for (let rest = len; rest > 0; rest = Math.floor(rest / 256)) n++;
  return n;
}

/** Content length of every node under `node`, by node (the encoder's first pass). */
function measure(node: DerNode, sizes: Map<DerNode, number>): number {
  let content = 0;
  if (node.subs.length === 0) content = node.value.length;
  else for (const sub of node.subs) content += measure(sub, sizes);
  sizes.set(node, content);
  return 1 + lengthBytes(content) + content;
}

function writeNode(node: DerNode, sizes: Map<DerNode, number>, out: Buffer, at: number): number {
  const content = sizes.get(node) as number;
  let pos = at;
  out[pos++] = node.tag.toDER();
  if (content < 128) out[pos++] = content;
  else {
    const n = lengthBytes(content) - 1;
    out[pos++] = 0x80 | n;
    for (let i = n - 1, rest = content; i >= 0; i--, rest = Math.floor(rest / 256)) out[pos + i] = rest % 256;
    pos += n;
  }
  if (node.subs.length === 0) {
    out.set(node.value, pos);
    return pos + content;
  }
  for (const sub of node.subs) pos = writeNode(sub, sizes, out, pos);
  return pos;
}

/** The bytes @sigstore/core's ASN1Obj.toDER makes (tag, minimal length, content), written once. */
export function encodeDer(node: DerNode): Buffer {
  const sizes = new Map<DerNode, number>();
  const out = Buffer.allocUnsafe(measure(node, sizes));
  writeNode(node, sizes, out, 0);
  return out;
}

/** 5: one KeyObject per DER public key (strings, PEM or base64, are parsed as before). */
function memoisePublicKeys(): void {
  // The namespace's members are read-only in its types; at run time it is the CommonJS exports object.
  const keyModule = coreCrypto as { createPublicKey: typeof coreCrypto.createPublicKey };
  const createPublicKey = keyModule.createPublicKey;
  const keys = new Map<string, KeyObject>();
  keyModule.createPublicKey = (key: string | Buffer, type: 'spki' | 'pkcs1' = 'spki'): KeyObject => {
    if (typeof key === 'string') return createPublicKey(key, type);
    const id = `${type}:${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64')}`;
    let found = keys.get(id);
    if (!found) {
      if (keys.size >= MAX_PARSED) keys.clear();
      keys.set(id, (found = createPublicKey(key, type)));
    }
    return found;
  };
}

/** What sort() and checkPath() read of a CertificateChainVerifier (private members in its types). */
interface ChainVerifier {
  untrustedCert: X509Certificate;
  trustedCerts: X509Certificate[];
  sort(): X509Certificate[];
  checkPath(path: X509Certificate[]): void;
}

const sameCertificates = (a: readonly X509Certificate[], b: readonly X509Certificate[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/** 6: the path built from a leaf and a trusted chain, and the structural checks of a path, once each. */
function memoiseCertificatePaths(): void {
  const proto = certificateModule.CertificateChainVerifier.prototype as unknown as ChainVerifier;
  const sort = proto.sort;
  const checkPath = proto.checkPath;
  const sorted = new WeakMap<X509Certificate, Array<{ trusted: X509Certificate[]; path: X509Certificate[] }>>();
  const checked = new WeakMap<X509Certificate, X509Certificate[][]>();
  proto.sort = function (this: ChainVerifier): X509Certificate[] {
    let known = sorted.get(this.untrustedCert);
    if (!known) sorted.set(this.untrustedCert, (known = []));
    let hit = known.find((k) => sameCertificates(k.trusted, this.trustedCerts));
    if (!hit) known.push((hit = { trusted: [...this.trustedCerts], path: sort.call(this) }));
    // A copy: the caller gets a path of its own, as from sort() itself.
    return [...hit.path];
  };
  proto.checkPath = function (this: ChainVerifier, path: X509Certificate[]): void {
    const leaf = path[0];
    if (!leaf) {
      checkPath.call(this, path);
      return;
    }
    let passed = checked.get(leaf);
    if (passed?.some((p) => sameCertificates(p, path))) return;
    checkPath.call(this, path);
    if (!passed) checked.set(leaf, (passed = []));
    passed.push([...path]);
  };
}
