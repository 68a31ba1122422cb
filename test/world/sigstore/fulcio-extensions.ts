// The extensions Fulcio's ci-provider principal writes (pkg/certificate/extensions.go, Render): the
// token's issuer twice (the deprecated raw .1.1 and the UTF8String .1.8), then each template's value
// in the order of the OIDs, an extension whose template renders empty left out.
import type { ClaimExtension } from './ca.ts';

export const OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  buildSignerURI: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryIdentifier: '1.3.6.1.4.1.57264.1.15',
  sourceRepositoryOwnerURI: '1.3.6.1.4.1.57264.1.16',
  sourceRepositoryOwnerIdentifier: '1.3.6.1.4.1.57264.1.17',
  buildConfigURI: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationURI: '1.3.6.1.4.1.57264.1.21',
  sourceRepositoryVisibility: '1.3.6.1.4.1.57264.1.22',
  deploymentEnvironment: '1.3.6.1.4.1.57264.1.23',
  tokenSubject: '1.3.6.1.4.1.57264.1.24',
} as const;

/** A claim as Fulcio's templates see it: every claim formatted as a string (mapValuesToString), a missing one empty. */
export const claimText = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The issuer's two extensions, then `values` (OID order) whose value is not empty. */
export function ciProviderExtensions(issuer: string, values: Array<[string, string]>): ClaimExtension[] {
  return [
    { oid: OID.issuerV1, value: issuer, legacy: true },
    { oid: OID.issuerV2, value: issuer },
    ...values.filter(([, value]) => value !== '').map(([oid, value]) => ({ oid, value })),
  ];
}
