// Fake services for running the engine in-process (src/engine/publish.ts), through the interfaces it
// is given in production: an index (the HTTP client that carries the exchange, the simple index and
// the uploads), an OIDC identity, and a Sigstore signer and verifier. Each records what it was asked,
// so a test can say what the engine did, and can be told to fail in the ways the engine must handle.
// They answer as warehouse does where the engine relies on the words ("File already exists").
import type { PublishConfig } from '../../src/config/types.ts';
import { publish } from '../../src/engine/publish.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/http/client.ts';
import type { Runtime } from '../../src/engine/runtime.ts';
import type { Services, SigstoreServices } from '../../src/engine/services.ts';
import type { DistSigner, DistVerifier, IdentityProvider, PublisherIdentity, SignedDist } from '../../src/sigstore/types.ts';

/** The claims of the default publisher: a workflow called directly (not reusable). */
export const CLAIMS = {
  repository: 'octo-org/sampleproject',
  workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
  job_workflow_ref: 'octo-org/sampleproject/.github/workflows/release.yml@refs/tags/v1.0.0',
  ref: 'refs/tags/v1.0.0',
  sha: 'a'.repeat(40),
};

/** Where the fake index takes uploads (no server listens there: the fake index answers instead). */
export const FAKE_UPLOAD_URL = 'http://127.0.0.1:9/legacy/';

/** The action's defaults for a Trusted Publishing run over the dists in `dir`, 4 uploads at once, quiet. */
export function engineConfig(dir: string, overrides: Partial<PublishConfig> = {}): PublishConfig {
  return {
    user: '__token__',
    password: '',
    mode: 'trusted-publishing',
    repositoryUrl: new URL(FAKE_UPLOAD_URL),
    packagesDir: [dir],
    verifyMetadata: true,
    skipExisting: false,
    verbose: false,
    printHash: false,
    attestations: true,
    buildAttestations: 'auto',
    uploadConcurrency: 4,
    ...overrides,
  };
}

export const jwt = (claims: object): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

export interface UploadSeen {
  filename: string;
  authorization: string;
  attestations: boolean;
}

/** What the fake index answers to an upload, instead of storing it. */
export type UploadAnswer = { status: number; message: string } | undefined;

export interface FakeIndexOptions {
  /** Files the simple index lists before the run, by project. */
  listed?: Record<string, Array<{ filename: string; sha256: string }>>;
  /** Called at the start of each upload; may answer for it (a refusal) and may advance a mocked clock. */
  onUpload?: (filename: string, n: number) => UploadAnswer | Promise<UploadAnswer>;
  /** The mint endpoint's answer (default: a fresh token). */
  mint?: (n: number) => { status: number; body: string };
  /** The Integrity API's answer for a file (default: a 404 page, an index without the Integrity API). */
  provenance?: (filename: string) => { status: number; body: string };
  /** Awaited before the audience is answered (default: answered at once). */
  audience?: () => Promise<void>;
}

export interface FakeIndex extends HttpClient {
  /** In order: `start <file>` and `end <file>` of each upload, `mint`, `audience`, `list <project>`, `read-back <file>`. */
  events: string[];
  uploads: UploadSeen[];
  /** Tokens issued by the mint endpoint, in order. */
  tokens: string[];
  closed: boolean;
}

/** An answer as the action's HTTP client returns it; header names lower-case. */
export function fakeResponse(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    statusText: status < 300 ? 'OK' : 'Error',
    headers,
    body: Buffer.from(body),
    truncated: false,
    attempts: 1,
    header: (name) => headers[name.toLowerCase()],
    text: () => body,
  };
}

/** An HttpClient that gives every request the same answer (header names lower-case). */
export function answering(status: number, body: string, headers: Record<string, string> = {}): HttpClient {
  return { send: async () => fakeResponse(status, body, headers), close: async () => {} };
}

async function readBody(req: HttpRequest): Promise<Buffer> {
  const body = req.body?.();
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string' || Buffer.isBuffer(body)) return Buffer.from(body);
  const chunks: Buffer[] = [];
  // File chunks come from a ring of reused buffers: copied as they arrive.
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Several turns of the event loop, so that uploads sent at once are seen to overlap. */
const aWhile = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

export function fakeIndex(opts: FakeIndexOptions = {}): FakeIndex {
  const listed = new Map(Object.entries(opts.listed ?? {}).map(([p, files]) => [p, [...files]]));
  const index: FakeIndex = {
    events: [],
    uploads: [],
    tokens: [],
    closed: false,
    async send(req) {
      const url = new URL(req.url);
      if (url.pathname.endsWith('/_/oidc/audience')) {
        await opts.audience?.();
        index.events.push('audience');
        return fakeResponse(200, '{"audience":"pypi"}');
      }
      if (url.pathname.endsWith('/_/oidc/mint-token')) return mint(req);
      const integrity = /\/integrity\/[^/]+\/[^/]+\/([^/]+)\/provenance$/.exec(url.pathname)?.[1];
      if (integrity && req.method === 'GET') {
        index.events.push(`read-back ${decodeURIComponent(integrity)}`);
        const answer = opts.provenance?.(decodeURIComponent(integrity)) ?? { status: 404, body: 'not found' };
        return fakeResponse(answer.status, answer.body, { 'content-type': 'application/json' });
      }
      const project = /\/simple\/([^/]+)\/$/.exec(url.pathname)?.[1];
      if (project) {
        index.events.push(`list ${project}`);
        const files = listed.get(decodeURIComponent(project));
        if (!files) return fakeResponse(404, 'not found');
        return fakeResponse(
          200,
          JSON.stringify({ files: files.map((f) => ({ filename: f.filename, url: `${url.origin}/files/${f.filename}`, hashes: { sha256: f.sha256 } })) }),
          { 'content-type': 'application/vnd.pypi.simple.v1+json' },
        );
      }
      return upload(req);
    },
    async close() {
      index.closed = true;
    },
  };
  let mints = 0;
  async function mint(req: HttpRequest): Promise<HttpResponse> {
    const n = mints++;
    index.events.push('mint');
    await readBody(req);
    if (opts.mint) return fakeResponse(opts.mint(n).status, opts.mint(n).body);
    const token = `pypi-fake-token-${n}`;
    index.tokens.push(token);
    return fakeResponse(200, JSON.stringify({ success: true, token }));
  }
  let uploads = 0;
  async function upload(req: HttpRequest): Promise<HttpResponse> {
    // The form's fields and the file's header come first, before any of the file is read: an upload
    // is seen to start as soon as it is sent, and uploads sent at once all start before any ends.
    const form = req.body?.() as AsyncIterable<Uint8Array> | undefined;
    if (!form) return fakeResponse(400, 'an upload without a body');
    const chunks = form[Symbol.asyncIterator]();
    let body = Buffer.from((await chunks.next()).value ?? []).toString('latin1');
    const filename = /name="content"; filename="([^"]+)"/.exec(body)?.[1] ?? '?';
    index.events.push(`start ${filename}`);
    const answer = await opts.onUpload?.(filename, uploads++);
    await aWhile();
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) body += Buffer.from(c.value).toString('latin1');
    index.events.push(`end ${filename}`);
    index.uploads.push({
      filename,
      authorization: Buffer.from((req.headers?.['authorization'] ?? '').replace(/^Basic /, ''), 'base64').toString(),
      attestations: body.includes('name="attestations"'),
    });
    if (answer) return fakeResponse(answer.status, JSON.stringify({ message: answer.message }));
    return fakeResponse(200, 'OK');
  }
  return index;
}

export interface FakeSigstore {
  /** How often the stack was loaded and certificates were asked for. */
  loads: number;
  certificates: number;
  signed: string[];
  verified: string[];
}

export interface FakeSigstoreOptions {
  /** Loading the stack fails (a trust root that cannot be loaded). */
  loadError?: Error;
  /** Refuse to sign / fail to verify these files. */
  signError?: (filename: string) => Error | undefined;
  verifyError?: (filename: string) => Error | undefined;
}

/** The PEP 740 attestation the fake signer makes for a file: its statement names the file and PyPI's publish predicate. */
export function fakeAttestation(filename: string, signature = `signed ${filename}`): object {
  const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: filename }], predicateType: 'https://docs.pypi.org/attestations/publish/v1' };
  return {
    version: 1,
    verification_material: { certificate: Buffer.from('a certificate').toString('base64'), transparency_entries: [{ logIndex: '1' }] },
    envelope: { statement: Buffer.from(JSON.stringify(statement)).toString('base64'), signature: Buffer.from(signature).toString('base64') },
  };
}

/** The same JSON with every object's keys in reverse order, as an index that re-serializes may serve it. */
export const withKeysReversed = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(withKeysReversed)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .reverse()
            .map(([k, x]) => [k, withKeysReversed(x)]),
        )
      : v;

function fakeSigner(record: FakeSigstore, opts: FakeSigstoreOptions): DistSigner {
  return {
    async certify() {
      record.certificates++;
    },
    async sign({ filename, sha256 }): Promise<SignedDist> {
      const refused = opts.signError?.(filename);
      if (refused) throw refused;
      record.signed.push(filename);
      const bundle = { verificationMaterial: { tlogEntries: [{ logIndex: String(record.signed.length) }] }, subject: { filename, sha256 } };
      return { filename, sha256, bundle, attestation: fakeAttestation(filename) };
    },
  };
}

export function fakeSigstore(opts: FakeSigstoreOptions = {}): { record: FakeSigstore; load(): Promise<SigstoreServices> } {
  const record: FakeSigstore = { loads: 0, certificates: 0, signed: [], verified: [] };
  const verifier: DistVerifier = {
    async verify(signed) {
      const failed = opts.verifyError?.(signed.filename);
      if (failed) throw failed;
      record.verified.push(signed.filename);
    },
  };
  return {
    record,
    async load() {
      record.loads++;
      if (opts.loadError) throw opts.loadError;
      return { signer: fakeSigner(record, opts), verifier, entryUrl: (i) => `https://log.example/?logIndex=${i}` };
    },
  };
}

/** An identity that issues unsigned JWTs with `claims`, recording the audiences asked for. */
export function fakeIdentity(claims: object = CLAIMS, platform?: IdentityProvider['platform']): IdentityProvider & { audiences: string[] } {
  const audiences: string[] = [];
  let n = 0;
  return {
    audiences,
    ...(platform ? { platform } : {}),
    async getToken(audience) {
      audiences.push(audience);
      return jwt({ ...claims, aud: audience, jti: `jti-${n++}` });
    },
  };
}

export interface FakeRuntime extends Runtime {
  lines: string[];
  summary: string;
  outputs: Record<string, string>;
  masked: string[];
}

/** A runtime that keeps what the engine printed; `onNotice` may throw (an error nobody expected). */
export function fakeRuntime(onNotice?: (message: string) => void): FakeRuntime {
  const rt: FakeRuntime = {
    lines: [],
    summary: '',
    outputs: {},
    masked: [],
    log: {
      info: (m) => void rt.lines.push(m),
      debug: (m) => void rt.lines.push(`debug: ${m}`),
      notice: (m, t) => {
        onNotice?.(m);
        rt.lines.push(`notice: ${t ? `${t}: ` : ''}${m}`);
      },
      warning: (m, t) => void rt.lines.push(`warning: ${t ? `${t}: ` : ''}${m}`),
      error: (m, t) => void rt.lines.push(`error: ${t ? `${t}: ` : ''}${m}`),
    },
    mask: (s) => void rt.masked.push(s),
    appendSummary: async (md) => {
      rt.summary += md;
    },
    setOutput: (name, value) => {
      rt.outputs[name] = value;
    },
  };
  return rt;
}

export function fakeServices(index: FakeIndex, identity: IdentityProvider, sigstore: { load(): Promise<SigstoreServices> }): Services {
  return { http: index, identity, sigstore: () => sigstore.load(), verifier: async () => (await sigstore.load()).verifier, close: () => index.close() };
}

/** What one in-process engine run is given: config overrides, how the fakes behave, the claims and workflow ref. */
export interface EngineSetup {
  config?: Partial<PublishConfig>;
  index?: FakeIndexOptions;
  sigstore?: FakeSigstoreOptions;
  claims?: object;
  onNotice?: (message: string) => void;
  /** GITHUB_WORKFLOW_REF (none unless given) */
  workflowRef?: string;
  /** A GitLab job: its tokens are GitLab's, and its publisher (CI_PROJECT_PATH, CI_CONFIG_PATH) this one, if any. */
  gitlab?: { publisher?: PublisherIdentity };
}

/** Runs the engine over the dists in `dir` against fresh fakes; returns the result, each file's status and reason, and the fakes. */
export async function runEngine(dir: string, setup: EngineSetup = {}) {
  const index = fakeIndex(setup.index);
  const identity = fakeIdentity(setup.claims, setup.gitlab ? 'gitlab-ci' : undefined);
  const sigstore = fakeSigstore(setup.sigstore);
  const runtime = fakeRuntime(setup.onNotice);
  const github = setup.gitlab
    ? { workspace: dir, ...(setup.gitlab.publisher ? { publisher: setup.gitlab.publisher } : {}) }
    : { workspace: dir, repository: 'octo-org/sampleproject', workflowRef: setup.workflowRef };
  const result = await publish(engineConfig(dir, setup.config), github, runtime, fakeServices(index, identity, sigstore));
  const status = Object.fromEntries(result.files.map((f) => [f.filename, f.status]));
  const reason = Object.fromEntries(result.files.map((f) => [f.filename, f.reason]));
  return { result, status, reason, index, identity, sigstore: sigstore.record, runtime };
}

/** What runEngine returns. */
export type EngineRun = Awaited<ReturnType<typeof runEngine>>;
