// The world accepts what real Sigstore accepts, proven with clients nobody here wrote: the incumbent's
// own pipeline (sigstore-python's SigningContext + pypi-attestations' Attestation.sign), cosign 3's
// attest-blob and sigstore-go's signer sign against it and the PyPI stand-in accepts what they made;
// openssl's RFC 3161 client gets a timestamp it verifies against the TSA chain. Fulcio takes both request forms with Fulcio's
// errors, issues leaf → intermediate → root with unique serials, and Rekor is sharded like public-good.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { assertPyPIAccepts, DEFAULT_IDENTITY, PUBLISH_PREDICATE_TYPE, twineUploadWithAttestations } from '../../test/helpers/verifiers.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { toPEM } from '../../test/world/sigstore/pem.ts';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const VENV = join(ROOT, '.venv/bin');
const COSIGN = join(ROOT, '.tools/bin/cosign');
const PROJECT = 'incumbent-project';

let world: World;
let pypi: ReturnType<typeof pypiControl>;
let work: string;
let trustedRoot: any;

before(async () => {
  world = await startWorld();
  pypi = pypiControl(world);
  await pypi.trust({ project: PROJECT });
  work = await scratchDir('real-clients-');
  trustedRoot = JSON.parse(await readFile(world.env.WORLD_TRUSTED_ROOT!, 'utf8'));
});
after(() => world?.stop());

const der = (b64: string) => Buffer.from(b64, 'base64');

async function signingCert(body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${world.urls.fulcio}/api/v2/signingCert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function csr(name: string): Promise<string> {
  const key = join(work, `${name}.key`);
  await exec('openssl', ['ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', key]);
  const { stdout } = await exec('openssl', ['req', '-new', '-key', key, '-subj', '/O=client', '-sha256']);
  return stdout;
}

describe('Fulcio', () => {
  test('issues leaf → intermediate → root for a CSR with the token in the Authorization header, each with its own serial', async () => {
    const token = await world.idToken('sigstore');
    const serials = new Set<string>();
    const [intermediate, root] = trustedRoot.certificateAuthorities[0].certChain.certificates.map(
      (c: { rawBytes: string }) => new X509Certificate(der(c.rawBytes)),
    );
    assert.ok(
      intermediate.checkIssued(root) && intermediate.verify(root.publicKey) && intermediate.ca,
      'the trusted root lists the intermediate, then the root',
    );
    for (let i = 0; i < 2; i++) {
      const res = await signingCert({ certificateSigningRequest: Buffer.from(await csr(`csr-${i}`)).toString('base64') }, { authorization: `Bearer ${token}` });
      assert.equal(res.status, 200);
      const chain = ((await res.json()) as any).signedCertificateEmbeddedSct.chain.certificates.map((pem: string) => new X509Certificate(pem));
      assert.equal(chain.length, 3);
      assert.ok(chain[0].verify(chain[1].publicKey) && chain[1].verify(chain[2].publicKey));
      assert.equal(chain[1].fingerprint256, intermediate.fingerprint256);
      assert.equal(chain[2].fingerprint256, root.fingerprint256);
      serials.add(chain[0].serialNumber).add(chain[1].serialNumber).add(chain[2].serialNumber);
    }
    assert.equal(serials.size, 4, 'two leaves with serials of their own, and the CA certificates');
  });

  test("refuses bad requests with Fulcio's gRPC errors", async () => {
    const token = await world.idToken('sigstore');
    const refused = async (res: Response, message: string) => {
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { code: 3, message, details: [] });
    };
    const pem = await csr('bad');
    await refused(await signingCert({ certificateSigningRequest: Buffer.from(pem).toString('base64') }), 'There was an error processing the identity token');
    const body = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    body[body.length - 3]! ^= 0xff; // inside the signature
    await refused(
      await signingCert(
        { certificateSigningRequest: Buffer.from(toPEM(body, 'CERTIFICATE REQUEST')).toString('base64') },
        { authorization: `Bearer ${token}` },
      ),
      'The signature supplied in the request could not be verified',
    );
    await refused(
      await signingCert({ certificateSigningRequest: Buffer.from('not a CSR').toString('base64') }, { authorization: `Bearer ${token}` }),
      'The certificate signing request could not be parsed',
    );
    await refused(
      await signingCert({ credentials: { oidcIdentityToken: token }, publicKeyRequest: { publicKey: { content: 'nope' }, proofOfPossession: '' } }),
      'The public key supplied in the request could not be parsed',
    );
  });
});

describe('Rekor', () => {
  test('lists two shards in the trusted root: distinct log ids, the older one closed', () => {
    const [frozen, active] = trustedRoot.tlogs;
    assert.equal(trustedRoot.tlogs.length, 2);
    assert.notEqual(frozen.logId.keyId, active.logId.keyId);
    assert.ok(frozen.publicKey.validFor.end && Date.parse(frozen.publicKey.validFor.end) <= Date.parse(active.publicKey.validFor.start));
    assert.equal(active.publicKey.validFor.end, undefined);
  });
});

describe('the incumbent pipeline (sigstore-python SigningContext + Attestation.sign)', () => {
  let dists: string[];

  before(async () => {
    const dir = join(work, 'incumbent');
    dists = [await buildWheel(dir, { name: PROJECT, version: '1.0.0' }), await buildSdist(dir, { name: PROJECT, version: '1.0.0' })];
    const { stdout } = await exec(
      join(VENV, 'python'),
      [join(ROOT, 'test/world/sign_incumbent.py'), '--trust-config', world.env.WORLD_TRUST_CONFIG!, ...dists],
      {
        env: { ...process.env, SIGSTORE_ID_TOKEN: await world.idToken('sigstore') },
      },
    ).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
    assert.equal(stdout, '');
  });

  test('signs against the world, on the active shard, with a global log index unlike the proof index', async () => {
    const activeLogId = der(trustedRoot.tlogs[1].logId.keyId).toString('base64');
    for (const dist of dists) {
      const attestation = JSON.parse(await readFile(`${dist}.publish.attestation`, 'utf8'));
      const [entry] = attestation.verification_material.transparency_entries;
      assert.equal(entry.logId.keyId, activeLogId);
      assert.notEqual(entry.logIndex, entry.inclusionProof.logIndex);
      const chain = new X509Certificate(der(attestation.verification_material.certificate));
      assert.equal(chain.issuer, 'O=local world\nCN=sigstore-intermediate');
    }
  });

  test('twine uploads the attestations and the PyPI stand-in accepts them', async () => {
    const token = await pypi.mintToken();
    const files = [...dists, ...dists.map((d) => `${d}.publish.attestation`)];
    await twineUploadWithAttestations(pypi.uploadUrl, token, files);
    const uploaded = await pypi.files(PROJECT);
    assert.equal(uploaded.length, 2);
    for (const f of uploaded) assert.equal(f.has_provenance, true, f.filename);
  });
});

const CERT_ANY = ['--certificate-identity-regexp', '.*', '--certificate-oidc-issuer-regexp', '.*'];

/**
 * The environment cosign's verification without a bundle reads its trust from: the world's Fulcio
 * chain, its active Rekor shard's key and its CT log's key, each from the trusted root, as PEM files.
 */
async function legacyTrust(dir: string): Promise<NodeJS.ProcessEnv> {
  const last = (list: Array<{ publicKey: { rawBytes: string } }>) => toPEM(der(list.at(-1)!.publicKey.rawBytes), 'PUBLIC KEY');
  const chain = trustedRoot.certificateAuthorities.at(-1).certChain.certificates as Array<{ rawBytes: string }>;
  const files = { SIGSTORE_ROOT_FILE: 'fulcio.pem', SIGSTORE_REKOR_PUBLIC_KEY: 'rekor.pub', SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: 'ctlog.pub' };
  await Promise.all([
    writeFile(join(dir, files.SIGSTORE_ROOT_FILE), chain.map((c) => toPEM(der(c.rawBytes), 'CERTIFICATE')).join('')),
    writeFile(join(dir, files.SIGSTORE_REKOR_PUBLIC_KEY), last(trustedRoot.tlogs)),
    writeFile(join(dir, files.SIGSTORE_CT_LOG_PUBLIC_KEY_FILE), last(trustedRoot.ctlogs)),
  ]);
  return { ...process.env, HOME: dir, ...Object.fromEntries(Object.entries(files).map(([name, file]) => [name, join(dir, file)])) };
}

describe("cosign 3 sign-blob, then verify-blob without a bundle: the entry found in the world's Rekor by its proposed hashedrekord entry", () => {
  test('verify-blob --signature --certificate --rekor-url verifies the artifact', async () => {
    const dir = join(work, 'cosign-blob');
    await mkdir(dir, { recursive: true });
    const blob = join(dir, 'artifact.txt');
    const config = JSON.parse(await readFile(world.env.WORLD_TRUST_CONFIG!, 'utf8'));
    await Promise.all([writeFile(blob, 'an artifact signed by cosign\n'), writeFile(join(dir, 'signing_config.json'), JSON.stringify(config.signingConfig))]);
    const bundlePath = join(dir, 'artifact.sigstore.json');
    await exec(
      COSIGN,
      [
        'sign-blob',
        '--yes',
        '--identity-token',
        await world.idToken('sigstore'),
        '--signing-config',
        join(dir, 'signing_config.json'),
        '--trusted-root',
        world.env.WORLD_TRUSTED_ROOT!,
        '--bundle',
        bundlePath,
        blob,
      ],
      { env: { ...process.env, HOME: dir } },
    ).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
    const b = JSON.parse(await readFile(bundlePath, 'utf8'));
    assert.equal(b.verificationMaterial.tlogEntries[0].kindVersion.kind, 'hashedrekord');
    const [signature, certificate] = [join(dir, 'artifact.sig'), join(dir, 'artifact.pem')];
    await writeFile(signature, b.messageSignature.signature);
    await writeFile(certificate, toPEM(der(b.verificationMaterial.certificate.rawBytes), 'CERTIFICATE'));
    const verify = (file: string) =>
      exec(COSIGN, ['verify-blob', '--signature', signature, '--certificate', certificate, '--rekor-url', world.urls.rekor!, ...CERT_ANY, file], {
        env: trust,
      });
    const trust = await legacyTrust(dir);
    const { stderr } = await verify(blob).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
    assert.match(stderr, /Verified OK/);
    // Another artifact under the same signature: the proposed entry's signature does not verify, and
    // the search refuses it as rekor-server does.
    const other = join(dir, 'other.txt');
    await writeFile(other, 'another artifact\n');
    await assert.rejects(verify(other), (e: { stderr: string }) =>
      /searching log query: .*\[400\].*verifying signature: invalid signature when validating ASN\.1 encoded signature/.test(e.stderr),
    );
  });
});

/** A wheel in `dir`, the world's signing config beside it, and the PyPI publish statement about the wheel, for a client to sign. */
async function wheelToSign(dir: string, name: string): Promise<{ dist: string; signingConfig: string; statement: string }> {
  const dist = await buildWheel(dir, { name, version: '1.0.0' });
  const config = JSON.parse(await readFile(world.env.WORLD_TRUST_CONFIG!, 'utf8'));
  const signingConfig = join(dir, 'signing_config.json');
  const statement = join(dir, 'statement.json');
  const digest = createHash('sha256')
    .update(await readFile(dist))
    .digest('hex');
  await Promise.all([
    writeFile(signingConfig, JSON.stringify(config.signingConfig)),
    writeFile(
      statement,
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: basename(dist), digest: { sha256: digest } }],
        predicateType: PUBLISH_PREDICATE_TYPE,
        predicate: null,
      }),
    ),
  ]);
  return { dist, signingConfig, statement };
}

describe('cosign 3 attest-blob with a signing config pointing at the world', () => {
  let dist: string;
  let bundle: string;

  before(async () => {
    const dir = join(work, 'cosign');
    // An in-toto v1 statement of its own: with --predicate, cosign writes a v0.1 statement, which
    // PEP 740 does not allow.
    const { signingConfig, statement, ...made } = await wheelToSign(dir, 'cosign-project');
    dist = made.dist;
    bundle = `${dist}.sigstore.json`;
    await exec(
      COSIGN,
      [
        'attest-blob',
        '--yes',
        '--statement',
        statement,
        '--identity-token',
        await world.idToken('sigstore'),
        '--signing-config',
        signingConfig,
        '--trusted-root',
        world.env.WORLD_TRUSTED_ROOT!,
        '--bundle',
        bundle,
      ],
      { env: { ...process.env, HOME: dir } },
    ).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
  });

  test("makes a bundle with the world's timestamp and Rekor v1 entry", async () => {
    const b = JSON.parse(await readFile(bundle, 'utf8'));
    assert.equal(b.verificationMaterial.tlogEntries.length, 1);
    assert.equal(b.verificationMaterial.tlogEntries[0].kindVersion.kind, 'dsse');
    assert.equal(b.verificationMaterial.timestampVerificationData.rfc3161Timestamps.length, 1);
  });

  test("PyPI's verifier (the stand-in's pypi-attestations check) accepts it for the publisher", async () => {
    const verified = await assertPyPIAccepts(world, ['--bundle', bundle, '--dist', dist]);
    assert.equal(verified.predicate_type, PUBLISH_PREDICATE_TYPE);
  });
  // cosign's verification of a signature and certificate without a bundle (deprecated, still in use)
  // finds the entry in the log by what it would have logged: searchLogQuery with the proposed entry.
  test("cosign verify-blob-attestation without a bundle finds the entry by its proposed dsse entry (and an intoto one) in the world's Rekor", async () => {
    const dir = join(work, 'cosign');
    const b = JSON.parse(await readFile(bundle, 'utf8'));
    const envelope = join(dir, 'envelope.json');
    const certificate = join(dir, 'leaf.pem');
    await writeFile(envelope, JSON.stringify(b.dsseEnvelope));
    await writeFile(certificate, toPEM(der(b.verificationMaterial.certificate.rawBytes), 'CERTIFICATE'));
    const before = (await world.stats('rekor')).requests['POST /api/v1/log/entries/retrieve'] ?? 0;
    const { stderr } = await exec(
      COSIGN,
      [
        'verify-blob-attestation',
        '--signature',
        envelope,
        '--certificate',
        certificate,
        '--rekor-url',
        world.urls.rekor!,
        '--type',
        PUBLISH_PREDICATE_TYPE,
        ...CERT_ANY,
        dist,
      ],
      { env: await legacyTrust(dir) },
    ).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
    assert.match(stderr, /Verified OK/);
    assert.equal((await world.stats('rekor')).requests['POST /api/v1/log/entries/retrieve'], before + 1);
  });

  // Other TUF clients than the action's tuf-js: go-tuf (in sigstore-go) and python-tuf (in sigstore-python),
  // each seeded with the world's initial root only, read trusted_root.json from the world's repository.
  test("sigstore-go and sigstore-python verify it with the trust they read from the world's TUF repository", async () => {
    const home = await scratchDir('tuf-clients-');
    const tuf = world.env.WORLD_TUF_URL!;
    const initialRoot = world.env.PYPI_PUBLISH_SIGSTORE_TUF_ROOT!;
    const env = { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, 'cache'), XDG_DATA_HOME: join(home, 'data') };
    const go = await exec(
      join(ROOT, '.tools/bin/sigstore-go-verification'),
      [
        '-tufRootURL',
        tuf,
        '-tufTrustedRoot',
        initialRoot,
        '-expectedIssuer',
        'https://token.actions.githubusercontent.com',
        '-expectedSAN',
        DEFAULT_IDENTITY,
        '-artifact',
        dist,
        bundle,
      ],
      { env, cwd: home },
    );
    assert.match(go.stdout + go.stderr, /Verification successful!/);
    await exec(join(VENV, 'sigstore'), ['--instance', tuf, 'trust-instance', initialRoot], { env });
    const verified = await exec(
      join(VENV, 'sigstore'),
      [
        '--instance',
        tuf,
        'verify',
        'identity',
        '--bundle',
        bundle,
        '--cert-identity',
        DEFAULT_IDENTITY,
        '--cert-oidc-issuer',
        'https://token.actions.githubusercontent.com',
        dist,
      ],
      { env },
    );
    assert.match(verified.stdout + verified.stderr, /^OK: /m);
    const asked = (await world.stats('tuf')).requests['GET /{metadata}'] ?? 0;
    assert.ok(asked >= 8, `both clients fetched the metadata and the target (${asked} requests)`);
  });
});

// sigstore-go's signer reads the world's signing config as it reads public-good's: it picks Fulcio,
// Rekor and the TSA by API version, validity and selector (root.SelectService), signs a DSSE
// envelope, and verifies the bundle it made against the trusted root before it prints it.
describe("sigstore-go's signer with the world's signing config and trusted root", () => {
  let dist: string;
  let bundle: string;
  const asked = { fulcio: 0, rekor: 0, tsa: 0 };
  const calls = async () => ({
    fulcio: (await world.stats('fulcio')).requests['POST /api/v2/signingCert'] ?? 0,
    rekor: (await world.stats('rekor')).requests['POST /api/v1/log/entries'] ?? 0,
    tsa: (await world.stats('tsa')).requests['POST /api/v1/timestamp'] ?? 0,
  });

  before(async () => {
    const dir = join(work, 'sigstore-go');
    const { signingConfig, statement, ...made } = await wheelToSign(dir, 'sigstore-go-project');
    dist = made.dist;
    const before = await calls();
    const args = ['-id-token', await world.idToken('sigstore'), '-in-toto', '-tsa', '-rekor'];
    const { stdout } = await exec(
      join(ROOT, '.tools/bin/sigstore-go-signing'),
      [...args, '-signing-config', signingConfig, '-trusted-root', world.env.WORLD_TRUSTED_ROOT!, statement],
      { env: { ...process.env, HOME: dir } },
    ).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
    // It prints the public key it made, then the bundle as one line of JSON.
    bundle = `${dist}.sigstore.json`;
    await writeFile(bundle, stdout.trim().split('\n').at(-1)!);
    const after = await calls();
    for (const k of Object.keys(asked) as Array<keyof typeof asked>) asked[k] = after[k] - before[k];
  });

  test('asks each service its signing config names once, and the bundle holds their answers', async () => {
    assert.deepEqual(asked, { fulcio: 1, rekor: 1, tsa: 1 });
    const b = JSON.parse(await readFile(bundle, 'utf8'));
    assert.equal(b.mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');
    assert.equal(b.verificationMaterial.tlogEntries[0].kindVersion.kind, 'dsse');
    assert.equal(b.verificationMaterial.timestampVerificationData.rfc3161Timestamps.length, 1);
  });

  test("PyPI's verifier (the stand-in's pypi-attestations check) accepts it for the publisher", async () => {
    const verified = await assertPyPIAccepts(world, ['--bundle', bundle, '--dist', dist]);
    assert.equal(verified.predicate_type, PUBLISH_PREDICATE_TYPE);
  });

  test('cosign verify-blob-attestation accepts it against the trusted root', async () => {
    const { stderr } = await exec(COSIGN, [
      'verify-blob-attestation',
      '--bundle',
      bundle,
      '--trusted-root',
      world.env.WORLD_TRUSTED_ROOT!,
      '--type',
      PUBLISH_PREDICATE_TYPE,
      '--certificate-identity',
      DEFAULT_IDENTITY,
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      dist,
    ]).catch((e: { stdout: string; stderr: string }) => assert.fail(`${e.stdout}${e.stderr}`));
    assert.match(stderr, /Verified OK/);
  });
});

describe("the TSA answers openssl's RFC 3161 client", () => {
  test('openssl ts -query → application/timestamp-reply that openssl ts -verify accepts against the chain', async () => {
    const dir = join(work, 'openssl-ts');
    await mkdir(dir, { recursive: true });
    const data = join(dir, 'data.txt');
    await writeFile(data, 'timestamp me\n');
    const [leaf, tsaRoot] = trustedRoot.timestampAuthorities[0].certChain.certificates.map((c: { rawBytes: string }) => toPEM(der(c.rawBytes)));
    await Promise.all([writeFile(join(dir, 'leaf.pem'), leaf), writeFile(join(dir, 'root.pem'), tsaRoot)]);
    const { stdout: query } = await exec('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert'], { encoding: 'buffer' });
    const res = await fetch(`${world.urls.tsa}/api/v1/timestamp`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: query });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/timestamp-reply');
    await writeFile(join(dir, 'reply.tsr'), Buffer.from(await res.arrayBuffer()));
    const { stdout: text } = await exec('openssl', ['ts', '-reply', '-in', join(dir, 'reply.tsr'), '-text']);
    assert.match(text, /Status: Granted/);
    assert.match(text, /Nonce: 0x/);
    // openssl's check of the reply against `file`'s digest, with the TSA chain.
    const verifyReply = (file: string) =>
      exec('openssl', ['ts', '-verify', '-data', file, '-in', join(dir, 'reply.tsr'), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'leaf.pem')]);
    const { stdout: verdict } = await verifyReply(data);
    assert.match(verdict, /Verification: OK/);
    await writeFile(join(dir, 'other.txt'), 'something else\n');
    await assert.rejects(verifyReply(join(dir, 'other.txt')));
  });

  test('refuses a SHA-1 query as the timestamp authority does', async () => {
    const dir = join(work, 'openssl-ts');
    const { stdout: query } = await exec('openssl', ['ts', '-query', '-data', join(dir, 'data.txt'), '-sha1'], { encoding: 'buffer' });
    const res = await fetch(`${world.urls.tsa}/api/v1/timestamp`, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: query });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: 400, message: 'Weak hash algorithm in timestamp request' });
  });
});
