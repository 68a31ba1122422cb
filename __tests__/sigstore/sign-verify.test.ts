// End to end against the local world's loopback Sigstore (test/helpers/world.ts):
// sign dists with the one-certificate signer, verify with our PyPI-policy verifier, and judge the PEP 740
// output with the code PyPI runs (pypi-attestations + sigstore-python, via test/world/check_attestation.py).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundleToJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness } from '@sigstore/sign';
import sctModule from '@sigstore/verify/dist/key/sct.js';
import { SIGN_CONCURRENCY } from '../../src/tunables.ts';
import { createHttpClient } from '../../src/http/client.ts';
import { IdentityError, TrustError, VerificationFailure } from '../../src/sigstore/errors.ts';
import { createGitHubIdentityProvider } from '../../src/sigstore/github-identity.ts';
import { bundleToPep740 } from '../../src/sigstore/pep740.ts';
import { createDistSigner } from '../../src/sigstore/signer.ts';
import type { DistSignerOptions } from '../../src/sigstore/signer.ts';
import { IN_TOTO_PAYLOAD_TYPE, PUBLISH_PREDICATE_TYPE, STATEMENT_TYPE } from '../../src/sigstore/statement.ts';
import { trustFromConfigFile } from '../../src/sigstore/trust.ts';
import type { SigstoreTrust } from '../../src/sigstore/trust.ts';
import type { SignedDist } from '../../src/sigstore/types.ts';
import { createDistVerifier } from '../../src/sigstore/verify.ts';
import { startTestWorld } from './harness.ts';
import { pypiAttestationVerdict } from '../../test/helpers/verifiers.ts';
import type { Overrides as Claims } from '../../test/world/oidc/claims.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = path.join(ROOT, '.venv/bin/python');
const REPO = 'octo-org/sampleproject';
const SHA = 'a'.repeat(40);
const ID = { repository: REPO, workflow: 'release.yml' };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const dist = (name: string) => ({ filename: name, sha256: sha256(name) });
const isFailure = (code: string, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof VerificationFailure, `expected VerificationFailure, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  assert.match(e.message, re);
  return true;
};

let world: Awaited<ReturnType<typeof startTestWorld>>;
let trust: SigstoreTrust;
// As wide as the action's, so the pool test below sees what the action does.
const http = createHttpClient({ userAgent: 'sign-verify-test', connections: SIGN_CONCURRENCY });

async function fulcioCalls(): Promise<number> {
  const s = await world.stats('fulcio');
  return Object.entries(s)
    .filter(([route]) => route.includes('signingCert'))
    .reduce((n, [, c]) => n + c, 0);
}

function signer(claims?: Claims, extra: Partial<DistSignerOptions> = {}) {
  return (async () => {
    const env = { ...world.env };
    if (claims) env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = await world.scenario(claims);
    return createDistSigner({
      identity: createGitHubIdentityProvider({ http, env, retry: false }),
      fulcioURL: trust.fulcioURL,
      rekorURL: trust.rekorURL,
      http,
      retries: 0,
      timeoutMs: 10_000,
      ...extra,
    });
  })();
}

// PyPI's verifier is the judge: the set-up installs it, so its absence is a failure, not a skip.
assert.ok(existsSync(PYTHON), `${PYTHON} is missing: run npm run setup`);
/** pypi-attestations' verdict (PyPI's upload check) on a signed dist's attestation: accepted, and its output or refusal. */
async function pypiJudges(signed: SignedDist, opts: { repository?: string; workflow?: string; name?: string; digest?: string } = {}) {
  const file = path.join(world.env.WORLD_DIR!, `${signed.filename}.${Math.random().toString(36).slice(2)}.publish.attestation`);
  await writeFile(file, JSON.stringify(signed.attestation));
  const dist = ['--dist-name', opts.name ?? signed.filename, '--dist-sha256', opts.digest ?? signed.sha256];
  const verdict = await pypiAttestationVerdict(world, ['--attestation', file, ...dist], { repository: opts.repository ?? REPO, workflow: opts.workflow });
  return typeof verdict === 'string' ? { ok: false, out: verdict } : { ok: true, out: JSON.stringify(verdict) };
}

before(async () => {
  world = await startTestWorld();
  trust = await trustFromConfigFile(world.env.WORLD_TRUST_CONFIG!);
});
after(async () => {
  await http.close();
  await world?.stop();
});

describe('one certificate for the run', () => {
  const dists = [
    'sampleproject-1.0.0.tar.gz',
    'sampleproject-1.0.0-py3-none-any.whl',
    'sampleproject-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl',
    'sampleproject-1.0.0.zip',
    'Sample_Project-1.0.0-py2.py3-none-any.whl',
  ].map(dist);
  let signed: SignedDist[];
  const secrets: string[] = [];

  it('signs N dists concurrently with one token and one Fulcio call', async () => {
    const before = await fulcioCalls();
    const s = await signer(undefined, { onSecret: (x) => secrets.push(x) });
    signed = await Promise.all(dists.map((d) => s.sign(d)));
    assert.equal((await fulcioCalls()) - before, 1);
    assert.equal(s.certificatesIssued, 1);
    assert.equal(secrets.length, 1);
    assert.equal(secrets[0]!.split('.').length, 3);
    const certs = new Set(signed.map((x) => (x.attestation as { verification_material: { certificate: string } }).verification_material.certificate));
    assert.equal(certs.size, 1);
  });

  it('produces v0.3 bundles with a dsse 0.0.1 Rekor v1 entry carrying proof, checkpoint and SET', () => {
    for (const s of signed) {
      const b = s.bundle as ReturnType<typeof bundleToJSON>;
      assert.equal(b.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
      assert.equal(b.dsseEnvelope?.payloadType, IN_TOTO_PAYLOAD_TYPE);
      const e = b.verificationMaterial.tlogEntries[0]!;
      assert.deepEqual(e.kindVersion, { kind: 'dsse', version: '0.0.1' });
      assert.ok(e.inclusionPromise?.signedEntryTimestamp && e.inclusionProof?.checkpoint.envelope && e.integratedTime);
      const st = JSON.parse(Buffer.from(b.dsseEnvelope!.payload, 'base64').toString());
      assert.deepEqual(st, {
        _type: STATEMENT_TYPE,
        subject: [{ name: s.filename, digest: { sha256: s.sha256 } }],
        predicateType: PUBLISH_PREDICATE_TYPE,
        predicate: null,
      });
      assert.deepEqual(s.attestation, bundleToPep740(b));
    }
  });

  it('every bundle verifies with the PyPI policy', async () => {
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    for (const s of signed) await v.verify(s, s.sha256, ID);
  });

  it('the SCT check is remembered per certificate, issuer and CT logs, and a failure is not', () => {
    // The verifier above installed the memo; @sigstore/verify calls verifySCTs through this object.
    // The real check clones the certificate every time it runs, so counting clones counts checks.
    const b = signed[0]!.bundle as ReturnType<typeof bundleToJSON>;
    const leaf = X509Certificate.parse(Buffer.from(b.verificationMaterial.certificate!.rawBytes, 'base64'));
    assert.equal(X509Certificate.parse(Buffer.from(b.verificationMaterial.certificate!.rawBytes, 'base64')), leaf, 'the parse memo shares one object per DER');
    const issuer = trust.trustMaterial.certificateAuthorities[0]!.certChain[0]!;
    const logs = trust.trustMaterial.ctlogs;
    const clone = X509Certificate.prototype.clone;
    let checks = 0;
    X509Certificate.prototype.clone = function (this: X509Certificate) {
      checks++;
      return clone.call(this);
    };
    try {
      const ok = sctModule.verifySCTs(leaf, issuer, logs);
      assert.equal(ok.length, 1);
      const first = checks;
      assert.deepEqual(sctModule.verifySCTs(leaf, issuer, logs), ok);
      assert.equal(checks, first, 'the same certificate, issuer and logs are not checked again');
      // Other CT logs (here none) are another question, and its failure is asked again, not cached.
      for (let i = 1; i <= 2; i++) {
        assert.throws(() => sctModule.verifySCTs(leaf, issuer, []), /SCT verification failed/);
        assert.equal(checks, first + i);
      }
      // Another issuer key gives another pre-certificate hash: the SCT's signature must not verify.
      assert.throws(() => sctModule.verifySCTs(leaf, leaf, logs), /SCT verification failed/);
      assert.deepEqual(sctModule.verifySCTs(leaf, issuer, logs), ok);
    } finally {
      X509Certificate.prototype.clone = clone;
    }
  });

  it('PyPI code (pypi-attestations + sigstore-python) accepts every attestation, byte-identical after model_dump_json', async () => {
    const results = await Promise.all(signed.map((s) => pypiJudges(s)));
    for (const r of results) assert.ok(r.ok, r.out);
  });

  it('rejects a tampered statement (ours and PyPI)', async () => {
    const s = signed[0]!;
    const att = structuredClone(s.attestation) as { envelope: { statement: string } };
    const forged = JSON.parse(Buffer.from(att.envelope.statement, 'base64').toString());
    forged.subject[0].digest.sha256 = sha256('evil');
    att.envelope.statement = Buffer.from(JSON.stringify(forged)).toString('base64');
    const tampered = { ...s, sha256: sha256('evil'), bundle: undefined, attestation: att };
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(v.verify(tampered, sha256('evil'), ID), isFailure('VERIFY_SIGNATURE', /altered/));
    assert.equal((await pypiJudges(tampered)).ok, false);
  });

  it('rejects a wrong file digest, naming both digests', async () => {
    const s = signed[1]!;
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(
      v.verify(s, sha256('other bytes'), ID),
      isFailure('VERIFY_SUBJECT', new RegExp(`says sha256 ${s.sha256} but .* has sha256 ${sha256('other bytes')}`)),
    );
    assert.match((await pypiJudges(s, { digest: sha256('other bytes') })).out, /subject does not match distribution digest/);
  });

  it('rejects another repository', async () => {
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(
      v.verify(signed[0]!, signed[0]!.sha256, { repository: 'octo-org/other', workflow: 'release.yml' }),
      isFailure(
        'VERIFY_REPOSITORY',
        /^the certificate's Source Repository URI is https:\/\/github.com\/octo-org\/sampleproject but PyPI expects https:\/\/github.com\/octo-org\/other/,
      ),
    );
  });

  it('rejects another workflow name', async () => {
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(
      v.verify(signed[0]!, signed[0]!.sha256, { repository: REPO, workflow: 'publish.yml' }),
      isFailure('VERIFY_BUILD_CONFIG', /release\.yml@refs\/tags\/v1\.0\.0 but PyPI expects .*publish\.yml@refs\/tags\/v1\.0\.0/),
    );
  });

  it('rejects a transparency entry without SET (sigstore-python needs it; @sigstore/verify alone would not)', async () => {
    const att = structuredClone(signed[0]!.attestation) as { verification_material: { transparency_entries: Record<string, unknown>[] } };
    delete att.verification_material.transparency_entries[0]!.inclusionPromise;
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(
      v.verify({ ...signed[0]!, bundle: undefined, attestation: att }, signed[0]!.sha256, ID),
      isFailure('VERIFY_TLOG', /signed entry timestamp/),
    );
  });

  it('rejects an attestation that disagrees with its bundle', async () => {
    const other = signed[1]!;
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(v.verify({ ...signed[0]!, attestation: other.attestation }, signed[0]!.sha256, ID), isFailure('VERIFY_FORMAT', /disagree/));
  });

  it("a bundle under another certificate is verified with that certificate's key and chain, not the remembered ones", async () => {
    // The memo holds this run's key object and path; a second credential signs one more dist.
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await v.verify(signed[0]!, signed[0]!.sha256, ID);
    const other = await (await signer()).sign(dists[0]!);
    await v.verify(other, other.sha256, ID);
    const certOf = (x: SignedDist) => (x.bundle as ReturnType<typeof bundleToJSON>).verificationMaterial.certificate!.rawBytes;
    assert.notEqual(certOf(other), certOf(signed[0]!), 'a second certificate');
    // Each envelope carried under the other certificate: refused both ways, though both keys are remembered.
    for (const [from, cert] of [
      [signed[0]!, certOf(other)],
      [other, certOf(signed[0]!)],
    ] as const) {
      const bundle = structuredClone(from.bundle) as ReturnType<typeof bundleToJSON>;
      bundle.verificationMaterial.certificate!.rawBytes = cert;
      const swapped = { ...from, bundle, attestation: bundleToPep740(bundle) };
      await assert.rejects(v.verify(swapped, from.sha256, ID), isFailure('VERIFY_SIGNATURE', /CERTIFICATE_ERROR|TLOG_BODY_ERROR|SIGNATURE_ERROR/));
    }
  });
});

describe('verdicts', () => {
  const dists = ['verdicts-1.0.0-py3-none-any.whl', 'verdicts-1.0.0.tar.gz'].map(dist);
  const verdict = (p: Promise<void>) =>
    p.then(
      () => 'verified',
      (e: unknown) => (e instanceof VerificationFailure ? `${e.code}: ${e.message}` : `not a VerificationFailure: ${String(e)}`),
    );

  it('gives a verdict and code per case: verified, another file, another repository, a swapped attestation', async () => {
    const s = await signer();
    const [a, b] = await Promise.all(dists.map((d) => s.sign(d)));
    const cases = [
      { signed: a!, sha: a!.sha256, id: ID },
      { signed: b!, sha: sha256('other bytes'), id: ID },
      { signed: a!, sha: a!.sha256, id: { repository: 'octo-org/other', workflow: 'release.yml' } },
      { signed: { ...a!, attestation: b!.attestation }, sha: a!.sha256, id: ID },
    ];
    const verifier = createDistVerifier({ trustMaterial: trust.trustMaterial });
    const verdicts = await Promise.all(cases.map((c) => verdict(verifier.verify(c.signed, c.sha, c.id))));
    assert.deepEqual(
      verdicts.map((v) => v.split(':')[0]),
      ['verified', 'VERIFY_SUBJECT', 'VERIFY_REPOSITORY', 'VERIFY_FORMAT'],
    );
  });
});

describe('trust config errors name the file and what to fix', () => {
  const variant = async (edit: (cfg: any) => unknown): Promise<string> => {
    const cfg = JSON.parse(await readFile(world.env.WORLD_TRUST_CONFIG!, 'utf8'));
    const file = path.join(world.env.WORLD_DIR!, `trust-${Math.random().toString(36).slice(2)}.json`);
    const edited = edit(cfg);
    await writeFile(file, JSON.stringify(edited === undefined ? cfg : edited));
    return file;
  };
  const refused = (file: string, re: RegExp) =>
    assert.rejects(trustFromConfigFile(file), (e: TrustError) => {
      assert.equal(e.code, 'TRUST_CONFIG');
      assert.ok(e.message.includes(file), e.message);
      assert.match(e.message, re);
      return true;
    });

  it('a Fulcio, Rekor or TSA URL over plain http to another host (the OIDC token would travel in clear)', async () => {
    for (const key of ['caUrls', 'rekorTlogUrls', 'tsaUrls']) {
      const file = await variant((cfg) => void (cfg.signingConfig[key][0].url = 'http://sigstore.example/path?secret=1'));
      await refused(file, /URL http:\/\/sigstore\.example\/path must be https:\/\/ \(plain http is allowed only to this machine\)/);
    }
  });

  it('a file that is not a ClientTrustConfig object, lacks a part, or names no Rekor v1', async () => {
    await refused(await variant(() => null), /must be a JSON object \(a Sigstore ClientTrustConfig\)/);
    await refused(await variant((cfg) => void delete cfg.signingConfig), /must contain both trustedRoot and signingConfig/);
    await refused(await variant((cfg) => void (cfg.signingConfig.rekorTlogUrls = [])), /lists no current Rekor v1 URL/);
    await refused(path.join(world.env.WORLD_DIR!, 'no-such-trust.json'), /cannot read the Sigstore trust config .*ENOENT/);
  });
});

describe('identity scenarios', () => {
  it('reusable workflow: Build Config URI names the caller, so a publisher for the reusable workflow fails (ours and PyPI)', async () => {
    const s = await signer({
      workflow_ref: `${REPO}/.github/workflows/release.yml@refs/tags/v1.0.0`,
      job_workflow_ref: `${REPO}/.github/workflows/reusable.yml@refs/heads/main`,
    });
    const d = await s.sign(dist('sampleproject-2.0.0.tar.gz'));
    const v = createDistVerifier({ trustMaterial: trust.trustMaterial });
    await assert.rejects(
      v.verify(d, d.sha256, { repository: REPO, workflow: 'reusable.yml', ref: 'refs/tags/v1.0.0' }),
      isFailure(
        'VERIFY_BUILD_CONFIG',
        /Build Config URI is https:\/\/github.com\/octo-org\/sampleproject\/.github\/workflows\/release.yml@refs\/tags\/v1.0.0 but PyPI expects https:\/\/github.com\/octo-org\/sampleproject\/.github\/workflows\/reusable.yml@refs\/tags\/v1.0.0.*reusable workflow \(reusable.yml\) called from release.yml/,
      ),
    );
    await v.verify(d, d.sha256, ID); // the top-level workflow is what PyPI checks
    {
      assert.match((await pypiJudges(d, { workflow: 'reusable.yml' })).out, /does not match expected Trusted Publisher/);
      assert.ok((await pypiJudges(d)).ok);
    }
  });

  it('Build Config URI at the commit sha passes (the second of the two policies)', async () => {
    const s = await signer({ sha: SHA, workflow_ref: `${REPO}/.github/workflows/release.yml@${SHA}` });
    const d = await s.sign(dist('sampleproject-3.0.0.tar.gz'));
    await createDistVerifier({ trustMaterial: trust.trustMaterial }).verify(d, d.sha256, ID);
    assert.ok((await pypiJudges(d)).ok);
  });

  it('rejects a statement with two subjects (signed with sigstore-js directly)', async () => {
    const token = await createGitHubIdentityProvider({ http, env: world.env }).getToken('sigstore');
    const builder = new DSSEBundleBuilder({
      signer: new FulcioSigner({ fulcioBaseURL: trust.fulcioURL, identityProvider: { getToken: async () => token } }),
      witnesses: [new RekorWitness({ rekorBaseURL: trust.rekorURL, entryType: 'dsse' })],
    });
    const a = dist('sampleproject-5.0.0.tar.gz');
    const statement = {
      _type: STATEMENT_TYPE,
      subject: [a, dist('sampleproject-5.0.0-py3-none-any.whl')].map((x) => ({ name: x.filename, digest: { sha256: x.sha256 } })),
      predicateType: PUBLISH_PREDICATE_TYPE,
      predicate: null,
    };
    const bundle = bundleToJSON(await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: IN_TOTO_PAYLOAD_TYPE }));
    const d: SignedDist = { ...a, bundle, attestation: bundleToPep740(bundle) };
    await assert.rejects(createDistVerifier({ trustMaterial: trust.trustMaterial }).verify(d, a.sha256, ID), isFailure('VERIFY_SUBJECT', /2 subjects/));
    assert.match((await pypiJudges(d)).out, /too many subjects/);
  });
});

describe('signer lifecycle', () => {
  it('certify() obtains the certificate ahead; the signatures after it reuse it', async () => {
    const s = await signer();
    const before = await fulcioCalls();
    await s.certify();
    assert.equal(s.certificatesIssued, 1);
    assert.equal((await fulcioCalls()) - before, 1, 'asked for by certify(), not by the first sign()');
    const d = await s.sign(dist('sampleproject-5.9.0.tar.gz'));
    await s.sign(dist('sampleproject-5.9.1.tar.gz'));
    assert.equal(s.certificatesIssued, 1);
    assert.equal((await fulcioCalls()) - before, 1);
    await createDistVerifier({ trustMaterial: trust.trustMaterial }).verify(d, d.sha256, ID);
  });

  it('refreshes token and certificate before the 10-minute certificate expires', async () => {
    let skew = 0;
    const secrets: string[] = [];
    const s = await signer(undefined, { now: () => Date.now() + skew, onSecret: (x) => secrets.push(x) });
    const before = await fulcioCalls();
    await s.sign(dist('sampleproject-6.0.0.tar.gz'));
    skew = 7 * 60_000; // 3 min left: more than the 2-minute margin, keep it
    await s.sign(dist('sampleproject-6.0.1.tar.gz'));
    assert.equal(s.certificatesIssued, 1);
    skew = 9 * 60_000; // 1 min left: refresh
    const d = await s.sign(dist('sampleproject-6.0.2.tar.gz'));
    assert.equal(s.certificatesIssued, 2);
    assert.equal((await fulcioCalls()) - before, 2);
    assert.equal(secrets.length, 2);
    await createDistVerifier({ trustMaterial: trust.trustMaterial }).verify(d, d.sha256, ID);
  });

  it('adds an RFC 3161 timestamp to the bundle when the trust config names a TSA (the PEP 740 form has none)', async () => {
    assert.equal(trust.tsaURLs.length, 1, 'the world names a TSA in its trust config');
    const s = await signer(undefined, { tsaURLs: trust.tsaURLs });
    const d = await s.sign(dist('sampleproject-6.1.0.tar.gz'));
    const b = d.bundle as ReturnType<typeof bundleToJSON>;
    assert.equal(b.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
    assert.equal('timestamps' in (d.attestation as { verification_material: object }).verification_material, false);
    await createDistVerifier({ trustMaterial: trust.trustMaterial }).verify(d, d.sha256, ID);
    assert.ok((await pypiJudges(d)).ok);
  });

  it('retries a Rekor 503 and names Rekor when it keeps failing', async () => {
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 1, status: 503 });
    const s = await signer(undefined, { retries: 1 });
    await s.sign(dist('sampleproject-6.2.0.tar.gz')); // one retry absorbs one 503
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 1, status: 500 });
    const s0 = await signer(undefined, { retries: 0 });
    await assert.rejects(
      s0.sign(dist('sampleproject-6.2.1.tar.gz')),
      (e: Error & { code?: string }) => e.code === 'SIGN_TLOG' && /Rekor \(.*\) failed for sampleproject-6.2.1.tar.gz/.test(e.message),
    );
  });

  it("quotes Rekor's own reason when it refuses an entry, and names the TSA when it fails", async () => {
    await world.fault('rekor', {
      method: 'POST',
      path: '/api/v1/log/entries',
      count: 1,
      status: 400,
      body: { code: 400, message: 'verifier is not a valid key' },
    });
    const s = await signer(undefined, { tsaURLs: trust.tsaURLs });
    await assert.rejects(
      s.sign(dist('sampleproject-6.3.0.tar.gz')),
      (e: Error & { code?: string }) =>
        e.code === 'SIGN_TLOG' && /Rekor \(.*\) failed for sampleproject-6\.3\.0\.tar\.gz: HTTP 400.*: verifier is not a valid key$/.test(e.message),
    );
    await world.fault('tsa', { method: 'POST', path: '/api/v1/timestamp', count: 1, status: 500 });
    await assert.rejects(
      s.sign(dist('sampleproject-6.3.1.tar.gz')),
      (e: Error & { code?: string }) =>
        e.code === 'SIGN_TSA' && /the timestamp authority \(.*\) failed for sampleproject-6\.3\.1\.tar\.gz: HTTP 500/.test(e.message),
    );
  });

  it('fetches the existing entry when a retried POST meets the entry its lost answer made (409 + Location)', async () => {
    const before = await world.stats('rekor');
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 1, truncate: true });
    const s = await signer(undefined, { retries: 1 });
    const d = await s.sign(dist('sampleproject-6.4.0.tar.gz'));
    const after = await world.stats('rekor');
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    assert.equal(delta('POST /api/v1/log/entries'), 2, 'the cut answer was retried once');
    assert.equal(delta('GET /api/v1/log/entries/{uuid}'), 1, 'the 409 led to one GET of the entry');
    await createDistVerifier({ trustMaterial: trust.trustMaterial }).verify(d, d.sha256, ID);
    assert.ok((await pypiJudges(d)).ok);
  });

  it("waits as long as Rekor's Retry-After asks, not the shorter backoff", async () => {
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 1, status: 429, retryAfter: 1 });
    const s = await signer(undefined, { retries: 1 });
    await s.sign(dist('sampleproject-6.5.0.tar.gz')); // the certificate is fetched first: time only the signature
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 1, status: 429, retryAfter: 1 });
    const started = performance.now();
    await s.sign(dist('sampleproject-6.5.1.tar.gz'));
    // The first backoff without a hint is at most 500 ms (src/http/retry.ts); Retry-After: 1 is 1000 ms.
    assert.ok(performance.now() - started >= 1000, `signed after ${Math.round(performance.now() - started)} ms`);
  });

  it('logs 32 dists signed at once on our pool, not through a library pool of 15', async () => {
    const s = await signer();
    await s.sign(dist('sampleproject-6.6.0.tar.gz')); // the certificate first, so all 32 start together
    await world.resetStats('rekor');
    // Rekor holds the first 16 entries until 16 are open at once, so they overlap however fast it
    // answers; a pool of 15 never gets there and is let go at the fault's cap, with a peak of 15.
    await world.fault('rekor', { method: 'POST', path: '/api/v1/log/entries', count: 16, holdUntilOpen: 16 });
    await Promise.all(Array.from({ length: 32 }, (_, i) => s.sign(dist(`sampleproject-6.6.${i + 1}.tar.gz`))));
    const peak = (await world.peak('rekor'))['POST /api/v1/log/entries'] ?? 0;
    assert.ok(peak > 15, `at most ${peak} Rekor requests were open at once`);
  });

  it('surfaces a missing id-token permission without calling Fulcio', async () => {
    const before = await fulcioCalls();
    const s = createDistSigner({ identity: createGitHubIdentityProvider({ http, env: {} }), fulcioURL: trust.fulcioURL, rekorURL: trust.rekorURL, http });
    await assert.rejects(s.sign(dist('sampleproject-7.0.0.tar.gz')), (e: IdentityError) => e.code === 'OIDC_PERMISSION' && /id-token: write/.test(e.message));
    assert.equal(await fulcioCalls(), before);
  });

  it('names Fulcio when it refuses, and retries on the next sign()', async () => {
    const s = createDistSigner({
      identity: createGitHubIdentityProvider({ http, env: world.env }),
      fulcioURL: `${trust.rekorURL}/nope`,
      rekorURL: trust.rekorURL,
      http,
      retries: 0,
    });
    await assert.rejects(
      s.sign(dist('sampleproject-8.0.0.tar.gz')),
      (e: Error & { code?: string }) => e.code === 'SIGN_CERTIFICATE' && /Fulcio \(.*\) did not issue a signing certificate/.test(e.message),
    );
    await assert.rejects(s.sign(dist('sampleproject-8.0.0.tar.gz')), (e: Error & { code?: string }) => e.code === 'SIGN_CERTIFICATE');
  });
});
