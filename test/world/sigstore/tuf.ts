// The world's TUF repository, shaped like public-good's (tuf-repo-cdn.sigstore.dev): root, targets,
// snapshot and timestamp roles, each with its own ECDSA P-256 key (keytype "ecdsa", scheme
// "ecdsa-sha2-nistp256", PEM public keys), consistent snapshots (`N.root.json`, `N.snapshot.json`,
// `N.targets.json`, an unversioned `timestamp.json`, targets at `targets/<sha256>.<name>`), and the two
// targets Sigstore clients read: `trusted_root.json` and `signing_config.v0.2.json`. Signatures are
// over the OLPC canonical JSON of `signed`, hex-encoded (TUF spec §4.2).
//
// A test changes what the repository serves through `POST /_world/signing-config` (a new signing
// config): the targets, snapshot and timestamp roles get a new version, as when public-good publishes
// a new endpoint, and a client with a fresh cache sees it, with no code change on its side.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { json, type Reply, type Route } from '../faults.ts';

const SPEC_VERSION = '1.0.31';
const DAY_MS = 86_400_000;
const TRUSTED_ROOT = 'trusted_root.json';
const SIGNING_CONFIG = 'signing_config.v0.2.json';

/** OLPC canonical JSON (what TUF signs): sorted keys, no whitespace, strings escaping only `"` and `\`. */
export function canonicalJSON(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('canonical JSON has integers only');
    return String(value);
  }
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .filter((k) => object[k] !== undefined)
    .map((k) => `${canonicalJSON(k)}:${canonicalJSON(object[k])}`)
    .join(',')}}`;
}

interface RoleKey {
  id: string;
  privateKey: KeyObject;
  /** the key as root.json lists it */
  listed: { keytype: string; scheme: string; keyval: { public: string } };
}

function roleKey(): RoleKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const listed = { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: publicKey.export({ type: 'spki', format: 'pem' }).toString() } };
  return { id: createHash('sha256').update(canonicalJSON(listed)).digest('hex'), privateKey, listed };
}

const expires = (ms: number): string => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const fileInfo = (bytes: Buffer) => ({ length: bytes.length, hashes: { sha256: sha256(bytes) } });

function signedMetadata(signed: object, key: RoleKey): Buffer {
  const sig = sign('sha256', Buffer.from(canonicalJSON(signed)), key.privateKey).toString('hex');
  return Buffer.from(`${JSON.stringify({ signed, signatures: [{ keyid: key.id, sig }] }, null, 2)}\n`);
}

export interface TufRepository {
  /** The initial root (1.root.json), what a client is seeded with. */
  root: Buffer;
  routes(): Route[];
  /** Publishes a new signing config: new targets, snapshot and timestamp versions. */
  publishSigningConfig(config: object): void;
}

export function createTufRepository(trustedRoot: object, signingConfig: object): TufRepository {
  const keys = { root: roleKey(), targets: roleKey(), snapshot: roleKey(), timestamp: roleKey() };
  const role = (k: RoleKey) => ({ keyids: [k.id], threshold: 1 });
  const root = signedMetadata(
    {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version: 1,
      expires: expires(365 * DAY_MS),
      consistent_snapshot: true,
      keys: Object.fromEntries(Object.values(keys).map((k) => [k.id, k.listed])),
      roles: { root: role(keys.root), targets: role(keys.targets), snapshot: role(keys.snapshot), timestamp: role(keys.timestamp) },
    },
    keys.root,
  );

  const files = new Map<string, Buffer>([['/1.root.json', root]]);
  let version = 0;
  let timestamp: Buffer = Buffer.alloc(0);
  const trustedRootBytes = Buffer.from(`${JSON.stringify(trustedRoot, null, 2)}\n`);

  function publish(config: object): void {
    version++;
    const targets = new Map([
      [TRUSTED_ROOT, trustedRootBytes],
      [SIGNING_CONFIG, Buffer.from(`${JSON.stringify(config, null, 2)}\n`)],
    ]);
    for (const [name, bytes] of targets) files.set(`/targets/${sha256(bytes)}.${name}`, bytes);
    const targetsMeta = signedMetadata(
      {
        _type: 'targets',
        spec_version: SPEC_VERSION,
        version,
        expires: expires(90 * DAY_MS),
        targets: Object.fromEntries([...targets].map(([name, bytes]) => [name, fileInfo(bytes)])),
      },
      keys.targets,
    );
    files.set(`/${version}.targets.json`, targetsMeta);
    const snapshot = signedMetadata(
      {
        _type: 'snapshot',
        spec_version: SPEC_VERSION,
        version,
        expires: expires(21 * DAY_MS),
        meta: { 'targets.json': { version } },
      },
      keys.snapshot,
    );
    files.set(`/${version}.snapshot.json`, snapshot);
    timestamp = signedMetadata(
      {
        _type: 'timestamp',
        spec_version: SPEC_VERSION,
        version,
        expires: expires(7 * DAY_MS),
        meta: { 'snapshot.json': { version, ...fileInfo(snapshot) } },
      },
      keys.timestamp,
    );
  }
  publish(signingConfig);

  const serve = (path: string): Reply => {
    const body = path === '/timestamp.json' ? timestamp : files.get(path);
    return body ? { status: 200, headers: { 'content-type': 'application/octet-stream' }, body } : { status: 404, body: 'Not Found' };
  };

  return {
    root,
    publishSigningConfig: publish,
    routes: () => [
      {
        method: 'POST',
        path: '/_world/signing-config',
        control: true,
        handle: (req) => {
          let config: unknown;
          try {
            config = JSON.parse(req.body.toString('utf8'));
          } catch {
            return json(400, { message: 'the signing config must be JSON' });
          }
          if (typeof config !== 'object' || config === null) return json(400, { message: 'the signing config must be a JSON object' });
          publish(config);
          return json(200, { version });
        },
      },
      {
        method: 'GET',
        path: /^\/([0-9]+\.(?:root|targets|snapshot)\.json|timestamp\.json|targets\/[0-9a-f]{64}\.[\w.]+)$/,
        name: '/{metadata}',
        handle: (req) => serve(req.url.pathname),
      },
    ],
  };
}
