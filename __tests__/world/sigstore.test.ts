// A PEP 740-style DSSE bundle signed with @sigstore/sign against the world must verify with
// @sigstore/verify (trusted_root.json), with sigstore-python's CLI (trust_config.json), and as a
// pypi-attestations Attestation; tampering must be rejected by all of them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { bundleFromJSON, bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness } from '@sigstore/sign';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { assertPyPIAccepts, DEFAULT_EXPECTED, DEFAULT_IDENTITY, PUBLISH_PREDICATE_TYPE, sigstoreVerifyIdentity } from '../../test/helpers/verifiers.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { generalizedTime, int, oid, setOf } from '../../test/world/sigstore/der.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PYTHON = join(ROOT, '.venv/bin/python');
const DIST = 'sampleproject-1.0.0.tar.gz';

let world: World;
let dist: string;
let bundlePath: string;
let bundle: SerializedBundle;

async function sign(world: World, artifact: Buffer, name: string): Promise<SerializedBundle> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256: createHash('sha256').update(artifact).digest('hex') } }],
    predicateType: 'https://docs.pypi.org/attestations/publish/v1',
    predicate: null,
  };
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({ fulcioBaseURL: world.env.WORLD_FULCIO_URL!, identityProvider: { getToken: () => world.idToken('sigstore') } }),
    witnesses: [
      new RekorWitness({ rekorBaseURL: world.env.WORLD_REKOR_URL!, entryType: 'dsse', fetchOnConflict: true }),
      new TSAWitness({ tsaBaseURL: world.env.WORLD_TSA_URL! }),
    ],
  });
  const signed = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });
  return bundleToJSON(signed);
}

async function jsVerify(serialized: SerializedBundle): Promise<void> {
  const root = TrustedRoot.fromJSON(JSON.parse(await readFile(world.env.WORLD_TRUSTED_ROOT!, 'utf8')));
  // Two verified times: the Rekor SET and the RFC 3161 token, so both services are exercised.
  const verifier = new Verifier(toTrustMaterial(root), { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 2 });
  verifier.verify(toSignedEntity(bundleFromJSON(serialized)), { subjectAlternativeName: DEFAULT_IDENTITY, extensions: { issuer: DEFAULT_EXPECTED.issuer } });
}

const cliVerify = (bundleFile: string, artifact: string) => sigstoreVerifyIdentity(world, bundleFile, artifact);

function tampered(serialized: SerializedBundle): SerializedBundle {
  const copy = structuredClone(serialized);
  const envelope = copy.dsseEnvelope!;
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
  // The subject still matches the file, so only the signature check can catch it.
  statement.predicate = { tampered: true };
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  return copy;
}

before(async () => {
  world = await startWorld({ pypi: false });
  dist = join(world.dir, DIST);
  await writeFile(dist, 'not really a tarball, only its digest matters\n');
  bundle = await sign(world, await readFile(dist), DIST);
  bundlePath = `${dist}.sigstore.json`;
  await writeFile(bundlePath, JSON.stringify(bundle));
});
after(() => world?.stop());

describe('a DSSE bundle signed against the world', () => {
  test('has the shape PyPI expects', () => {
    assert.equal(bundle.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    assert.deepEqual(entry.kindVersion, { kind: 'dsse', version: '0.0.1' });
    assert.ok(entry.inclusionPromise, 'SET present');
    assert.ok(Number(entry.inclusionProof!.logIndex) > 0 && entry.inclusionProof!.hashes.length > 0, 'non-trivial proof');
    assert.equal(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length, 1);
  });

  test('verifies with @sigstore/verify and trusted_root.json', async () => {
    await jsVerify(bundle);
  });

  test('verifies with the sigstore CLI and trust_config.json', async () => {
    const { stderr } = await cliVerify(bundlePath, dist);
    assert.match(stderr, /OK:/);
  });

  // sigstore-python skips a timestamp it cannot verify (the Rekor time suffices), so the CLI's OK
  // above says nothing about the TSA's token: ask its timestamp check directly.
  test('carries an RFC 3161 token that sigstore-python verifies against the TSA chain', async () => {
    const check = [
      'import sys',
      'from sigstore.models import Bundle, TrustedRoot',
      'from sigstore.verify import Verifier',
      'v = Verifier(trusted_root=TrustedRoot.from_file(sys.argv[1]))',
      'print(len(v._verify_timestamp_authority(Bundle.from_json(open(sys.argv[2], "rb").read()))))',
    ].join('\n');
    const { stdout } = await run(PYTHON, ['-c', check, world.env.WORLD_TRUSTED_ROOT!, bundlePath]);
    assert.equal(stdout.trim(), '1');
  });

  test('converts to a PEP 740 attestation that pypi-attestations verifies', async () => {
    const verified = await assertPyPIAccepts(world, ['--bundle', bundlePath, '--dist', dist]);
    assert.equal(verified.predicate_type, PUBLISH_PREDICATE_TYPE);
  });

  test('is rejected everywhere once the payload is tampered with', async () => {
    const bad = tampered(bundle);
    await assert.rejects(jsVerify(bad), /signature|hash/i);
    const badPath = join(world.dir, 'tampered.sigstore.json');
    await writeFile(badPath, JSON.stringify(bad));
    await assert.rejects(cliVerify(badPath, dist), /signature/i);
  });

  test('is rejected for another identity', async () => {
    const root = TrustedRoot.fromJSON(JSON.parse(await readFile(world.env.WORLD_TRUSTED_ROOT!, 'utf8')));
    const verifier = new Verifier(toTrustMaterial(root));
    assert.throws(
      () =>
        verifier.verify(toSignedEntity(bundleFromJSON(bundle)), {
          subjectAlternativeName: DEFAULT_IDENTITY.replace('release.yml', 'other.yml'),
          extensions: { issuer: DEFAULT_EXPECTED.issuer },
        }),
      /identity|SAN|subject/i,
    );
  });
});

describe('the TSA', () => {
  test('encodes DER integers, OIDs and times as X.690 says', () => {
    const hex = (b: Buffer) => b.toString('hex');
    assert.equal(hex(int(0)), '020100');
    assert.equal(hex(int(127)), '02017f');
    assert.equal(hex(int(128)), '02020080');
    assert.equal(hex(int(1234567890)), '0204499602d2');
    assert.equal(hex(int(Buffer.from('000081', 'hex'))), '0202' + '0081');
    assert.equal(hex(int(Buffer.from('0000', 'hex'))), '020100');
    assert.equal(hex(oid('1.2.840.113549')), '06062a864886f70d'); // X.690's rsadsi example
    assert.equal(hex(oid('2.16.840.1.101.3.4.2.1')), '0609608648016503040201'); // SHA-256, as every signature carries it
    assert.equal(hex(oid('2.999.3')), '0603883703'); // X.690 §8.19.5: a first subidentifier over 127
    assert.throws(() => oid('1.2.'), /not an object identifier/);
    assert.throws(() => int(Buffer.alloc(0)), /at least one byte/);
    assert.equal(
      generalizedTime(new Date(Date.UTC(2026, 10, 22, 4, 5, 6, 120)))
        .subarray(2)
        .toString(),
      '20261122040506.12Z',
    );
    assert.equal(
      generalizedTime(new Date(Date.UTC(2026, 10, 22, 4, 5, 6, 0)))
        .subarray(2)
        .toString(),
      '20261122040506Z',
    );
    assert.equal(hex(setOf(int(2), int(1))), '3106' + '020101' + '020102', 'a SET OF is sorted');
  });

  // Stock @sigstore/mock tokens failed to parse ~10% of the time (genTime ".12Z"); 50 in a row would
  // all pass by luck with probability ~0.5%.
  test("refuses a policy that is not an object identifier with the timestamp authority's 400", async () => {
    const res = await fetch(`${world.env.WORLD_TSA_URL}/api/v1/timestamp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ artifactHash: randomBytes(32).toString('base64'), hashAlgorithm: 'sha256', tsaPolicyOID: '1.2.x' }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: 400, message: 'OID should be comprised of at most 128 components' });
  });

  test('issues tokens whose genTime @sigstore/core can parse, every time', async () => {
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${world.env.WORLD_TSA_URL}/api/v1/timestamp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ artifactHash: randomBytes(32).toString('base64'), hashAlgorithm: 'sha256' }),
      });
      assert.equal(res.status, 200);
      const { signingTime } = RFC3161Timestamp.parse(Buffer.from(await res.arrayBuffer()));
      assert.ok(Math.abs(signingTime.getTime() - Date.now()) < 60_000);
    }
  });
});
