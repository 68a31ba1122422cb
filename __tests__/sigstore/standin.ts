// A minimal loopback Sigstore + GitHub-OIDC stand-in, used only until the shared local world
// (test/helpers/world.ts) exists. Built from @sigstore/mock's exported CA / CT-log pieces plus a small
// in-memory Rekor v1 that fixes what the stock mock gets wrong for verifiers (docs/sigstore-js.md §4.2):
// canonical dsse 0.0.1 bodies, a real RFC 6962 tree (indexes from 1, non-empty proofs), 64-column PEMs.
// No TSA: PEP 740 attestations carry no timestamps; the SET is the time source.
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ClientTrustConfig, HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock';

export type Claims = Record<string, unknown>;

export interface World {
  env: Record<string, string>;
  /** a new ACTIONS_ID_TOKEN_REQUEST_TOKEN whose JWTs carry the default claims overridden by `claims` (null removes) */
  scenario(claims: Claims): Promise<string>;
  /** request counts per route of one service */
  stats(service: 'fulcio' | 'rekor' | 'oidc'): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export const DEFAULT_CLAIMS: Claims = {
  iss: 'https://token.actions.githubusercontent.com',
  aud: 'sigstore',
  sub: 'repo:octo-org/sampleproject:ref:refs/tags/v1.0.0',
  repository: 'octo-org/sampleproject',
  repository_id: '4242',
  repository_owner: 'octo-org',
  repository_owner_id: '1001',
  repository_visibility: 'public',
  workflow: 'Release',
  workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
  workflow_sha: 'a'.repeat(40),
  job_workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
  job_workflow_sha: 'a'.repeat(40),
  ref: 'refs/tags/v1.0.0',
  sha: 'a'.repeat(40),
  event_name: 'push',
  run_id: '77',
  run_attempt: '1',
  runner_environment: 'github-hosted',
};

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function pem64(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

// --- RFC 6962 Merkle tree ------------------------------------------------------------------------
const leafHash = (d: Buffer) => createHash('sha256').update(Buffer.from([0])).update(d).digest();
const nodeHash = (l: Buffer, r: Buffer) => createHash('sha256').update(Buffer.from([1])).update(l).update(r).digest();
function largestPow2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  const k = largestPow2Below(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function auditPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = largestPow2Below(leaves.length);
  return m < k ? [...auditPath(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...auditPath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

// Sorted-key JSON, the canonical form Rekor stores and signs.
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

class RekorV1 {
  leaves: Buffer[] = [leafHash(Buffer.from('standin genesis'))];
  bodies = new Map<string, { index: number; body: Buffer; time: number }>();
  host: string;
  key: { privateKey: KeyObject; publicKey: KeyObject };
  spki: Buffer;
  logID: Buffer;
  treeID = 1_000_000 + Math.floor(Math.random() * 1e6);
  constructor(host: string) {
    this.host = host;
    this.key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.spki = this.key.publicKey.export({ format: 'der', type: 'spki' });
    this.logID = createHash('sha256').update(this.spki).digest();
  }
  // dsse 0.0.1 as real Rekor canonicalizes it: hashes + signatures with verifiers, not the proposed content.
  dsseBody(proposed: { spec?: { proposedContent?: { envelope?: string; verifiers?: string[] } } }): Buffer {
    const pc = proposed.spec?.proposedContent;
    if (!pc?.envelope || !pc.verifiers?.length) throw new Error('dsse entry needs proposedContent.envelope and verifiers');
    const env = JSON.parse(pc.envelope) as { payload: string; signatures: { sig: string }[] };
    const verifier = Buffer.from(pem64(Buffer.from(new X509Certificate(Buffer.from(pc.verifiers[0]!, 'base64')).raw))).toString('base64');
    return Buffer.from(
      canonical({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(pc.envelope).digest('hex') },
          payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(Buffer.from(env.payload, 'base64')).digest('hex') },
          signatures: env.signatures.map((s) => ({ signature: s.sig, verifier })),
        },
      }),
    );
  }
  entry(uuid: string): Record<string, unknown> {
    const { index, body, time } = this.bodies.get(uuid)!;
    const size = this.leaves.length;
    const root = mth(this.leaves);
    const note = `${this.host} - ${this.treeID}\n${size}\n${root.toString('base64')}\nTimestamp: ${Date.now() * 1_000_000}\n`;
    const sig = Buffer.concat([this.logID.subarray(0, 4), cryptoSign('sha256', Buffer.from(note), this.key.privateKey)]);
    const set = cryptoSign('sha256', Buffer.from(canonical({ body: body.toString('base64'), integratedTime: time, logID: this.logID.toString('hex'), logIndex: index })), this.key.privateKey);
    return {
      [uuid]: {
        body: body.toString('base64'),
        integratedTime: time,
        logID: this.logID.toString('hex'),
        logIndex: index,
        verification: {
          inclusionProof: {
            logIndex: index,
            treeSize: size,
            rootHash: root.toString('hex'),
            hashes: auditPath(index, this.leaves).map((h) => h.toString('hex')),
            checkpoint: `${note}\n\u2014 ${this.host} ${sig.toString('base64')}\n`,
          },
          signedEntryTimestamp: set.toString('base64'),
        },
      },
    };
  }
  add(proposed: unknown): { status: number; uuid: string } {
    const body = this.dsseBody(proposed as never);
    const uuid = leafHash(body).toString('hex');
    if (this.bodies.has(uuid)) return { status: 409, uuid };
    this.bodies.set(uuid, { index: this.leaves.length, body, time: Math.floor(Date.now() / 1000) });
    this.leaves.push(leafHash(body));
    return { status: 201, uuid };
  }
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStandin(): Promise<World> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sigstore-standin-'));
  const counts: Record<string, Record<string, number>> = { fulcio: {}, rekor: {}, oidc: {} };
  const count = (svc: string, route: string) => {
    counts[svc]![route] = (counts[svc]![route] ?? 0) + 1;
  };

  // OIDC: request token → claims; JWTs are HS256 with a throwaway key (the mock Fulcio only decodes them).
  const scenarios = new Map<string, Claims>();
  const jwtKey = randomBytes(32);
  const oidc = await listen(async (req, res) => {
    const u = new URL(req.url!, 'http://x');
    count('oidc', `${req.method} ${u.pathname}`);
    const bearer = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer ? scenarios.get(bearer) : undefined;
    if (req.method !== 'GET' || u.pathname !== '/token') return void res.writeHead(404).end();
    if (!claims) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad request token"}');
    const now = Math.floor(Date.now() / 1000);
    const full: Claims = { ...DEFAULT_CLAIMS, aud: u.searchParams.get('audience') ?? 'sigstore', iat: now, nbf: now, exp: now + 300, jti: randomBytes(8).toString('hex') };
    for (const [k, v] of Object.entries(claims)) v === null ? delete full[k] : (full[k] = v);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(full));
    const sig = createHmac('sha256', jwtKey).update(`${head}.${body}`).digest('base64url');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value: `${head}.${body}.${sig}` }));
  });

  // Fulcio: the mock CA (separate CA and CT log keys), 64-column PEMs.
  const ctlog = await initializeCTLog(generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  const ca = await initializeCA(generateKeyPairSync('ec', { namedCurve: 'P-256' }), ctlog);
  const fulcioFn = fulcioHandler(ca, { strict: true } as never);
  const fulcio = await listen(async (req, res) => {
    count('fulcio', `${req.method} ${new URL(req.url!, 'http://x').pathname}`);
    if (req.method !== 'POST' || req.url !== fulcioFn.path) return void res.writeHead(404).end();
    const r = await fulcioFn.fn(await readBody(req));
    let out = r.response as string;
    if (r.statusCode === 201) {
      const j = JSON.parse(out);
      j.signedCertificateEmbeddedSct.chain.certificates = j.signedCertificateEmbeddedSct.chain.certificates.map((p: string) => pem64(Buffer.from(new X509Certificate(p).raw)));
      out = JSON.stringify(j);
    }
    res.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'text/plain' }).end(out);
  });

  let rekorLog: RekorV1 | undefined;
  const rekor = await listen(async (req, res) => {
    const u = new URL(req.url!, 'http://x');
    count('rekor', `${req.method} ${u.pathname.replace(/[0-9a-f]{64}$/, ':uuid')}`);
    const log = rekorLog!;
    try {
      if (req.method === 'POST' && u.pathname === '/api/v1/log/entries') {
        const { status, uuid } = log.add(JSON.parse(await readBody(req)));
        if (status === 409) return void res.writeHead(409, { location: `/api/v1/log/entries/${uuid}`, 'content-type': 'application/json' }).end('{"message":"entry already exists"}');
        return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(log.entry(uuid)));
      }
      const m = /^\/api\/v1\/log\/entries\/([0-9a-f]{64})$/.exec(u.pathname);
      if (req.method === 'GET' && m && log.bodies.has(m[1]!)) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(log.entry(m[1]!)));
      res.writeHead(404).end();
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (err as Error).message }));
    }
  });
  rekorLog = new RekorV1(new URL(rekor.url).host);

  const start = new Date(Date.now() - 60_000);
  const ctSpki = Buffer.from(ctlog.publicKey);
  const root = TrustedRoot.fromJSON({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  });
  root.certificateAuthorities.push({
    subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
    uri: fulcio.url,
    certChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer, ca.rootCertificate.byteOffset, ca.rootCertificate.byteLength) }] },
    validFor: { start, end: undefined },
    operator: 'standin',
  });
  root.tlogs.push({
    baseUrl: rekor.url,
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: { rawBytes: rekorLog.spki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start, end: undefined } },
    logId: { keyId: rekorLog.logID },
    checkpointKeyId: undefined,
    operator: 'standin',
  });
  root.ctlogs.push({
    baseUrl: 'http://127.0.0.1/ct',
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: { rawBytes: ctSpki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start, end: undefined } },
    logId: { keyId: createHash('sha256').update(ctSpki).digest() },
    checkpointKeyId: undefined,
    operator: 'standin',
  });
  const rootJSON = TrustedRoot.toJSON(root);
  const svc = (url: string) => ({ url, majorApiVersion: 1, validFor: { start: start.toISOString() }, operator: 'standin' });
  const trustConfig = ClientTrustConfig.toJSON(
    ClientTrustConfig.fromJSON({
      mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
      trustedRoot: rootJSON,
      signingConfig: {
        mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
        caUrls: [svc(fulcio.url)],
        oidcUrls: [],
        rekorTlogUrls: [svc(rekor.url)],
        rekorTlogConfig: { selector: 'ANY' },
        tsaUrls: [],
        tsaConfig: { selector: 'ANY' },
      },
    }),
  );
  await writeFile(path.join(dir, 'trusted_root.json'), JSON.stringify(rootJSON, null, 2));
  await writeFile(path.join(dir, 'trust_config.json'), JSON.stringify(trustConfig, null, 2));

  const defaultToken = randomBytes(16).toString('hex');
  scenarios.set(defaultToken, {});
  return {
    env: {
      WORLD_DIR: dir,
      WORLD_TRUSTED_ROOT: path.join(dir, 'trusted_root.json'),
      PYPI_PUBLISH_TRUST_CONFIG: path.join(dir, 'trust_config.json'),
      ACTIONS_ID_TOKEN_REQUEST_URL: `${oidc.url}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: defaultToken,
      WORLD_OIDC_URL: oidc.url,
      WORLD_FULCIO_URL: fulcio.url,
      WORLD_REKOR_URL: rekor.url,
    },
    async scenario(claims) {
      const t = randomBytes(16).toString('hex');
      scenarios.set(t, claims);
      return t;
    },
    async stats(service) {
      return { ...counts[service] };
    },
    async stop() {
      for (const s of [oidc, fulcio, rekor]) {
        s.server.closeAllConnections();
        await new Promise((r) => s.server.close(r));
      }
    },
  };
}
