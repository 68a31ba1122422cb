// Memoisation for @sigstore/verify, installed once on @sigstore/core's classes when the verifier loads.
//
// Every bundle of a run carries the same Fulcio certificate, and verifying one bundle re-parses it,
// re-encodes it to DER many times and re-checks each certificate of its chain against its issuer, once
// per timestamp: the same signatures over the same bytes for every dist (profiled: more than half of
// the CPU of verifying 100 bundles). Four memos remove the repetition without changing what is checked:
//  1. DER encoding per parsed ASN.1 object (@sigstore/core re-encodes recursively, growing its buffer in
//     1 KiB steps, on every X509Certificate.equals/verify);
//  2. parsing per DER bytes, so the bundles of a run share one certificate object (a clone, which
//     @sigstore/verify modifies to check SCTs, is still a fresh object);
//  3. a certificate's signature check per issuer object;
//  4. the SCT check per (certificate, issuer, CT logs): it clones the certificate, removes the SCT
//     extension and re-encodes the TBS for every bundle (a third of the CPU left after 1–3). Its
//     result depends on nothing else: each SCT is checked against the logs valid at the SCT's own
//     time, not the signing time. A failure throws and is not remembered.
// All four rest on one fact: a parsed certificate is never modified, only a clone is. Dates are still
// checked on every call (validForDate is not memoised), and different bytes are a different object.
import { ASN1Obj, X509Certificate } from '@sigstore/core';
// The module object itself (CommonJS exports), whose verifySCTs @sigstore/verify calls through.
import sctModule from '@sigstore/verify/dist/key/sct.js';

const MAX_PARSED = 256; // a run sees its trust root's certificates and one leaf per signing credential

type Patched = { __pypiPublishMemo?: true };

export function installVerifyMemo(): void {
  if ((X509Certificate as Patched).__pypiPublishMemo) return;
  (X509Certificate as Patched).__pypiPublishMemo = true;

  const derCache = new WeakMap<object, Buffer>();
  const encodeDER = ASN1Obj.prototype.toDER as (this: object) => Buffer;
  ASN1Obj.prototype.toDER = function (this: ASN1Obj): Buffer {
    let der = derCache.get(this);
    if (!der) derCache.set(this, (der = encodeDER.call(this)));
    // A copy: callers may write into what they get (@sigstore/core's RFC 3161 check retags the
    // signed attributes in place), and the remembered encoding must stay what it was.
    return Buffer.from(der);
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
}
