// A certificate's subject alternative names as sigstore/sigstore's cryptoutils.GetSubjectAlternate-
// Names lists them (what rekor indexes an entry's certificate under, x509 Subjects()): Go's parsed
// DNS names, email addresses, IP addresses (net.IP.String()) and URIs (url.URL.String()), then the
// one otherName of Fulcio's username OID, if there is exactly one.
import type { X509Certificate } from 'node:crypto';
import { ASN1Obj } from '@sigstore/core';
import { goURLParse, goURLString } from '../go-url.ts';

const SAN_OID = '2.5.29.17';
const OTHER_NAME_OID = '1.3.6.1.4.1.57264.1.7';

/** The SAN extension's GeneralNames, or [] when the certificate has none. */
function generalNames(certificate: X509Certificate): ASN1Obj[] {
  const tbs = ASN1Obj.parseBuffer(Buffer.from(certificate.raw)).subs[0]!;
  const extensions = tbs.subs.find((o) => o.tag.isContextSpecific(3))?.subs[0]?.subs ?? [];
  const san = extensions.find((e) => e.subs[0]!.toOID() === SAN_OID);
  return san ? ASN1Obj.parseBuffer(Buffer.from(san.subs.at(-1)!.value)).subs : [];
}

/** net.IP.String(): dotted IPv4, else IPv6 with its longest run of zero groups (two or more) elided. */
function ipString(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.length !== 16) return `?${bytes.toString('hex')}`;
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return [...bytes.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  let [best, bestLength] = [-1, 1];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  return best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

/** GetSubjectAlternateNames, in its order. */
export function subjectAlternateNames(certificate: X509Certificate): string[] {
  const names = generalNames(certificate);
  const of = (tag: number) => names.filter((n) => n.tag.isContextSpecific(tag)).map((n) => n.value);
  const uris = of(6).map((v) => {
    const parsed = goURLParse(v.toString('latin1'));
    return 'error' in parsed ? undefined : goURLString(parsed);
  });
  const others = names.filter((n) => n.tag.isContextSpecific(0));
  const other = others.length === 1 && others[0]!.subs[0]?.toOID() === OTHER_NAME_OID ? others[0]!.subs[1]?.subs[0]?.value.toString('utf8') : undefined;
  return [
    ...of(2).map((v) => v.toString('latin1')),
    ...of(1).map((v) => v.toString('latin1')),
    ...of(7).map(ipString),
    ...uris.filter((u): u is string => u !== undefined),
    ...(other ? [other] : []),
  ];
}
