// A local stand-in for the check PyPI runs on upload (pypi-attestations `Attestation.verify` with a
// `GitHubPublisher`, on sigstore-python `Verifier.verify_dsse`), so a bad attestation fails here with an
// explanation instead of as an opaque 400 from PyPI after some files are already up.
//
// What is verified is the PEP 740 object (what PyPI receives), turned back into a v0.3 bundle exactly like
// `Attestation.to_bundle`; the Sigstore bundle, when present, must agree with it field by field.
//  1. shape: the transparency entry is what sigstore-python requires (dsse 0.0.1, inclusion proof with
//     checkpoint, SET + integrated time — @sigstore/verify alone accepts either proof or SET);
//  2. cryptography with @sigstore/verify, once: chain to the Fulcio root, SCT, tlog inclusion + body, DSSE
//     signature — of the full bundle (TSA timestamps included) when there is one, else of the PEP 740 form;
//  3. identity (certificate extensions, DER UTF8String values): Issuer V2 (.1.8), Source Repository URI
//     (.1.12), Build Config URI (.1.18) = https://github.com/<repo>/.github/workflows/<workflow>@<ref or sha>
//     where ref/sha are the certificate's own .1.14/.1.13 (two candidate policies, either passes); a
//     GitLab publisher's policy is in src/gitlab/publisher.ts;
//  4. the statement: in-toto v1, exactly one subject, named after the dist, with the file's sha256,
//     publish predicate type.
import { bundleFromJSON } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { Verifier, toSignedEntity } from '@sigstore/verify';
import type { Signer, TrustMaterial } from '@sigstore/verify';
import { VerificationFailure } from './errors.ts';
import type { VerificationFailureCode } from './errors.ts';
import { bundleToPep740, parsePep740, pep740ToBundle, pep740ToJSON } from './pep740.ts';
import type { Pep740Attestation } from './pep740.ts';
import { IN_TOTO_PAYLOAD_TYPE, PUBLISH_PREDICATE_TYPE } from './statement.ts';
import { checkAttestedStatement } from './statement-rules.ts';
import { installVerifyMemo } from './verify-memo.ts';
import { checkGitLabPublisher } from '../gitlab/policy.ts';
import type { DistVerifier, PublisherIdentity, SignedDist } from './types.ts';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export const OID = {
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  buildSignerURI: '1.3.6.1.4.1.57264.1.9',
  sourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigURI: '1.3.6.1.4.1.57264.1.18',
} as const;

function fail(code: VerificationFailureCode, message: string, cause?: unknown): never {
  throw new VerificationFailure(code, message, cause === undefined ? undefined : { cause });
}

/** DER encoding of a UTF8String (tag 0x0C), the form Fulcio uses for OIDs .1.8 and up. */
export function derUTF8String(value: string): Buffer {
  const body = Buffer.from(value, 'utf8');
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else if (n < 0x100) len = Buffer.from([0x81, n]);
  else if (n < 0x10000) len = Buffer.from([0x82, n >> 8, n & 0xff]);
  else throw new RangeError('UTF8String too long');
  return Buffer.concat([Buffer.from([0x0c]), len, body]);
}

/** Inverse of derUTF8String; undefined when the value is not a well-formed DER UTF8String. */
export function decodeDerUTF8String(der: Buffer): string | undefined {
  if (der.length < 2 || der[0] !== 0x0c) return undefined;
  let n = der[1]!;
  let off = 2;
  if (n & 0x80) {
    const k = n & 0x7f;
    if (k < 1 || k > 2 || der.length < 2 + k) return undefined;
    n = k === 1 ? der[2]! : (der[2]! << 8) | der[3]!;
    off = 2 + k;
  }
  if (der.length !== off + n) return undefined;
  return der.subarray(off).toString('utf8');
}

export type OIDValues = Map<string, Buffer>;

/** The certificate's extensions by dotted OID, raw (DER) values. */
export function extensionValues(signer: Signer): OIDValues {
  const m: OIDValues = new Map();
  for (const { oid, value } of signer.identity?.oids ?? []) if (oid) m.set(oid.id.join('.'), Buffer.from(value));
  return m;
}

export function claim(exts: OIDValues, oid: string): string | undefined {
  const raw = exts.get(oid);
  return raw === undefined ? undefined : (decodeDerUTF8String(raw) ?? `<undecodable ${raw.toString('hex')}>`);
}

// Byte comparison against the DER form, like sigstore-python's ExtensionPolicy / @sigstore/verify's OID policy.
export function matches(exts: OIDValues, oid: string, expected: string): boolean {
  const raw = exts.get(oid);
  return raw?.equals(derUTF8String(expected)) === true;
}

function workflowFile(uri: string | undefined): string | undefined {
  return uri?.match(/\/\.github\/workflows\/([^@]+)@/)?.[1];
}

/** PyPI's GitHub Trusted Publisher policy over the verified certificate's extensions. */
export function checkGitHubPublisher(exts: OIDValues, identity: PublisherIdentity): void {
  const issuer = claim(exts, OID.issuerV2);
  if (!matches(exts, OID.issuerV2, GITHUB_ISSUER)) {
    fail(
      'VERIFY_ISSUER',
      issuer === undefined
        ? `the signing certificate has no OIDC Issuer (V2) extension; PyPI requires ${GITHUB_ISSUER}`
        : `the signing certificate was issued for OIDC issuer ${issuer}, but PyPI only accepts GitHub Actions (${GITHUB_ISSUER}) for a GitHub trusted publisher`,
    );
  }
  const repoURI = `https://github.com/${identity.repository}`;
  if (!matches(exts, OID.sourceRepositoryURI, repoURI)) {
    const actual = claim(exts, OID.sourceRepositoryURI);
    fail(
      'VERIFY_REPOSITORY',
      `the certificate's Source Repository URI is ${actual ?? '(missing)'} but PyPI expects ${repoURI} — ` +
        `the workflow ran in another repository than the trusted publisher names (renamed or transferred repository, or a fork?)`,
    );
  }
  const buildConfig = claim(exts, OID.buildConfigURI);
  if (buildConfig === undefined)
    fail('VERIFY_BUILD_CONFIG', 'the signing certificate has no Build Config URI extension, which PyPI checks against the trusted publisher workflow');
  const suffixes = [claim(exts, OID.sourceRepositoryDigest), claim(exts, OID.sourceRepositoryRef)].filter((s): s is string => s !== undefined);
  if (suffixes.length === 0)
    fail(
      'VERIFY_BUILD_CONFIG',
      'Certificate must contain either Source Repository Digest or Source Repository Ref (PyPI needs one to check the Build Config URI)',
    );
  const base = `https://github.com/${identity.repository}/.github/workflows/${identity.workflow}@`;
  // Two candidate policies (at the commit sha, at the ref); PyPI accepts the attestation if either holds.
  if (suffixes.some((s) => matches(exts, OID.buildConfigURI, base + s))) return;

  const shown = identity.ref ?? claim(exts, OID.sourceRepositoryRef) ?? identity.sha ?? suffixes[0]!;
  let msg = `the certificate's Build Config URI is ${buildConfig} but PyPI expects ${base}${shown}`;
  if (suffixes.length > 1 || identity.ref === undefined) msg += ` (or @<commit sha>)`;
  const actualFile = workflowFile(buildConfig);
  const signerFile = workflowFile(claim(exts, OID.buildSignerURI));
  if (signerFile && actualFile && signerFile !== actualFile) {
    msg +=
      ` — the job runs in a reusable workflow (${signerFile}) called from ${actualFile}; Trusted Publishing matches the reusable workflow,` +
      ` but PyPI checks attestations against the top-level workflow (workflow_ref), so PyPI will reject this attestation.` +
      ` Publish from the top-level workflow (or register ${actualFile} as the trusted publisher), or turn attestations off.`;
  } else if (actualFile && actualFile !== identity.workflow) {
    msg += ` — the certificate says the run used workflow ${actualFile}, while the trusted publisher is configured for ${identity.workflow}.`;
  } else {
    msg += ' — the workflow ran at a ref/commit that does not match its own Build Config URI.';
  }
  fail('VERIFY_BUILD_CONFIG', msg);
}

/** PyPI's statement checks (statement-rules.ts), and the predicate type this attestation is for. */
export function checkStatement(payload: Buffer, filename: string, fileSha256: string, predicateType: string = PUBLISH_PREDICATE_TYPE): void {
  const type = checkAttestedStatement(payload, filename, fileSha256);
  if (type !== predicateType) {
    fail(
      'VERIFY_STATEMENT',
      `unexpected attestation type: ${type} (expected ${predicateType === PUBLISH_PREDICATE_TYPE ? 'the PyPI publish predicate' : 'the predicate'} ${predicateType})`,
    );
  }
}

// sigstore-python (and so PyPI) needs all of these; @sigstore/verify would accept a SET *or* a proof.
export function checkTlogEntry(att: Pep740Attestation): void {
  const e = att.verification_material.transparency_entries[0]!;
  const kv = e.kindVersion;
  if (kv?.kind !== 'dsse' || kv.version !== '0.0.1') {
    fail('VERIFY_TLOG', `Unsupported DSSE log entry type: ${kv?.kind}/${kv?.version} — PyPI needs a Rekor v1 dsse/0.0.1 entry`);
  }
  if (!e.inclusionProof?.checkpoint?.envelope)
    fail('VERIFY_TLOG', 'the transparency log entry must contain an inclusion proof with a checkpoint (sigstore-python rejects it otherwise)');
  if (!e.inclusionPromise?.signedEntryTimestamp || e.integratedTime === undefined) {
    fail(
      'VERIFY_TLOG',
      'the transparency log entry has no signed entry timestamp (inclusion promise) and integrated time — PEP 740 attestations carry no other time source, so PyPI cannot establish when it was signed',
    );
  }
}

/** What each @sigstore/verify error code means for an attestation, in words a reader can act on. */
export const CRYPTO_HINTS: Record<string, string> = {
  SIGNATURE_ERROR: 'the DSSE signature does not verify with the certificate — the statement or the signature was altered after signing',
  TLOG_BODY_ERROR: 'the Rekor entry does not describe this envelope — the statement or signature was altered after it was logged',
  CERTIFICATE_ERROR: 'the signing certificate does not chain to the trusted Fulcio root, has no valid SCT, or was not valid when the entry was logged',
  TLOG_INCLUSION_PROOF_ERROR: 'the Rekor inclusion proof or checkpoint does not verify against the trusted Rekor key',
  TLOG_INCLUSION_PROMISE_ERROR: 'the Rekor signed entry timestamp does not verify against the trusted Rekor key',
  TIMESTAMP_ERROR: 'no trusted signing time could be established',
};

installVerifyMemo();

export interface DistVerifierOptions {
  trustMaterial: TrustMaterial;
}

export function createDistVerifier(opts: DistVerifierOptions): DistVerifier {
  const verifier = new Verifier(opts.trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1 });
  return {
    async verify(signed: SignedDist, fileSha256: string, identity: PublisherIdentity): Promise<void> {
      // The caller names the file (attest.ts lists each failure under its filename): the messages don't.
      let att: Pep740Attestation;
      try {
        att = parsePep740(signed.attestation);
      } catch (err) {
        if (err instanceof VerificationFailure) throw err;
        fail('VERIFY_FORMAT', 'the PEP 740 attestation is not valid JSON', err);
      }
      if (signed.bundle !== undefined && signed.bundle !== null) {
        const b = signed.bundle as SerializedBundle;
        if (b.dsseEnvelope && b.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
          fail('VERIFY_STATEMENT', `the DSSE payloadType is ${b.dsseEnvelope.payloadType}; PyPI only accepts ${IN_TOTO_PAYLOAD_TYPE}`);
        }
        if (pep740ToJSON(bundleToPep740(b)) !== pep740ToJSON(att)) {
          fail('VERIFY_FORMAT', 'the PEP 740 attestation and the Sigstore bundle disagree (certificate, envelope or transparency entry differ)');
        }
      }
      checkTlogEntry(att);

      // One cryptographic verification per dist. When the .sigstore.json bundle is there, the PEP 740
      // object was just shown to be its exact projection (same certificate, envelope and transparency
      // entry), so verifying the bundle covers everything PyPI will check, plus the RFC 3161 timestamps
      // the projection drops; without a bundle, the PEP 740 object is verified as PyPI rebuilds it.
      const full = signed.bundle !== undefined && signed.bundle !== null;
      const payload = Buffer.from(att.envelope.statement, 'base64');
      let signer: Signer;
      try {
        signer = verifier.verify(toSignedEntity(bundleFromJSON(full ? signed.bundle : pep740ToBundle(att))));
      } catch (err) {
        const code = (err as { code?: string }).code ?? '';
        const detail = (err as Error)?.message ?? String(err);
        const hint = CRYPTO_HINTS[code] ?? 'Sigstore verification failed';
        fail('VERIFY_SIGNATURE', `${full ? 'the Sigstore bundle does not verify: ' : ''}${hint} (${code ? code + ': ' : ''}${detail})`, err);
      }
      (identity.kind === 'gitlab' ? checkGitLabPublisher : checkGitHubPublisher)(extensionValues(signer), identity);
      checkStatement(payload, signed.filename, fileSha256, signed.predicateType);
    },
  };
}
