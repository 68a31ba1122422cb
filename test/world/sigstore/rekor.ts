// An in-memory Rekor v1 that a strict verifier accepts (replaces @sigstore/mock's rekorHandler, see
// sigstore-js.md §4.2): canonical bodies of the kinds clients log (rekor-entry.ts), a real RFC 6962 tree
// seeded with dummy leaves so audit paths are non-empty, SETs, and checkpoints as signed notes whose
// signer name is the log's host:port (sigstore-js requires it to be a substring of the tlog baseUrl).
// Sharded like public-good: entry IDs carry the tree ID, and a logIndex is global (shard offset plus
// the index in the shard's tree, which the inclusion proof holds).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { json as canonicalJSON } from '@sigstore/core';
import { json, type Reply, type Route, type WorldRequest } from '../faults.ts';
import { MerkleTree, leafHash } from './merkle.ts';
import { toPEM } from './pem.ts';
import { consumedMediaType, int64Param, patternParam, patternRefusal } from './openapi-query.ts';
import { bindProposedEntry, canonicalBody, EntryError, insertProposedEntry, LOGGED_KINDS, type ProposedEntry } from './rekor-entry.ts';
import { bindIndexQuery, RekorIndex } from './rekor-index.ts';
import { bindingRefusal, operation } from './openapi-operation.ts';
import { readSearchLogQuery, type SearchLogQuery } from './rekor-search.ts';

const SEED_LEAVES = 6;
// The frozen shard's size: entries of the active shard have a global logIndex this much larger than
// their index in the shard's own tree (the inclusion proof's), as on public-good.
const INACTIVE_SHARD_LEAVES = 37;
const ENTRY_ID = /^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/;
const MAX_SEARCH_QUERIES = 10;
const JSON_ONLY = ['application/json'];
/** getPublicKey's producers, as the route lists them: its own, then the API's default. */
const PUBLIC_KEY_PRODUCES = ['application/x-pem-file', 'application/json'];

/** An EntryError as rekor-server answers it; anything else is the world's own fault, thrown on. */
function refusal(err: unknown): Reply {
  if (!(err instanceof EntryError)) throw err;
  return json(err.status, { code: err.code, message: err.message });
}

/** go-openapi's Content-Type check of a POST: JSON only, a request without the header let through. */
function consumed(req: WorldRequest): Reply | undefined {
  const header = req.headers['content-type'];
  const consumed = consumedMediaType(typeof header === 'string' ? header : undefined, ['application/json']);
  return 'refused' in consumed ? json(consumed.refused.status, { code: consumed.refused.status, message: consumed.refused.message }) : undefined;
}

/** An entry ID whose tree ID sharding's ValidateTreeID refuses (0, or no int64), with its reason. */
class BadTreeID {
  readonly reason: string;

  constructor(reason: string) {
    this.reason = reason;
  }
}

interface Entry {
  uuid: string;
  /** global log index: the shard's offset plus `treeIndex` */
  index: number;
  treeIndex: number;
  body: Buffer;
  integratedTime: number;
}

/** One shard: its own tree, tree ID and signing key (hence log ID), and validity window. */
export class RekorShard {
  readonly publicKey: KeyObject;
  /** sha256 of the DER SubjectPublicKeyInfo, as in real Rekor. */
  readonly logID: Buffer;
  readonly treeID = BigInt(`0x${randomBytes(7).toString('hex')}`).toString();
  readonly tree = new MerkleTree();
  readonly #privateKey: KeyObject;
  /** global log index of the shard's first leaf */
  readonly offset: number;
  readonly validFor: { start: Date; end?: Date };

  constructor(offset: number, validFor: { start: Date; end?: Date }, seedLeaves: number) {
    this.offset = offset;
    this.validFor = validFor;
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.publicKey = publicKey;
    this.#privateKey = privateKey;
    this.logID = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest();
    for (let i = 0; i < seedLeaves; i++) this.tree.append(randomBytes(32));
  }

  /** The entry ID real Rekor hands out: the tree ID (16 hex digits) then the leaf hash. */
  entryID(uuid: string): string {
    return `${BigInt(this.treeID).toString(16).padStart(16, '0')}${uuid}`;
  }

  sign(data: Buffer | string): Buffer {
    return sign('sha256', Buffer.from(data), this.#privateKey);
  }

  /** A signed note over the tree head of `size` leaves, as Rekor v1 signs its checkpoints. */
  checkpoint(origin: string, size = this.tree.size): string {
    const note = `${origin} - ${this.treeID}\n${size}\n${this.tree.root(size).toString('base64')}\n` + `Timestamp: ${BigInt(Date.now()) * 1_000_000n}\n`;
    const hinted = Buffer.concat([this.logID.subarray(0, 4), this.sign(note)]).toString('base64');
    return `${note}\n\u2014 ${origin} ${hinted}\n`;
  }

  head(origin: string) {
    return { rootHash: this.tree.root().toString('hex'), treeSize: this.tree.size, signedTreeHead: this.checkpoint(origin), treeID: this.treeID };
  }
}

/**
 * Rekor v1 with two shards, as the trusted root lists them: a frozen one (validity window closed
 * before the world started) and the active one, whose entries continue the global log index.
 */
export class RekorLog {
  readonly shards: RekorShard[];
  /** host:port, known once the server listens; it names the checkpoint signer. */
  origin = '';
  readonly #byUUID = new Map<string, Entry>();
  readonly #byIndex = new Map<number, Entry>();
  /** the search index (searchIndex), which rekor-server keeps in Redis */
  readonly #index = new RekorIndex();

  constructor(start: Date) {
    const frozen = new RekorShard(0, { start: new Date(start.getTime() - 30 * 86_400_000), end: start }, INACTIVE_SHARD_LEAVES);
    this.shards = [frozen, new RekorShard(frozen.tree.size, { start }, SEED_LEAVES)];
  }

  get active(): RekorShard {
    return this.shards.at(-1)!;
  }

  /** The active shard's key, as `GET /api/v1/log/publicKey` serves it. */
  get publicKey(): KeyObject {
    return this.active.publicKey;
  }

  get size(): number {
    return this.active.offset + this.active.tree.size;
  }

  routes(): Route[] {
    // Each operation produces JSON (getPublicKey its PEM too), negotiated as go-openapi does.
    const json_ = (handle: (req: WorldRequest) => Reply) => (req: WorldRequest) => operation(req, JSON_ONLY, () => handle(req));
    const posted = (handle: (req: WorldRequest) => Reply) => (req: WorldRequest) => (req.body.length > 0 ? consumed(req) : undefined) ?? json_(handle)(req);
    return [
      { method: 'POST', path: '/api/v1/log/entries', handle: posted((req) => this.#create(req.body)) },
      { method: 'POST', path: '/api/v1/log/entries/retrieve', handle: posted((req) => this.#search(req.body)) },
      { method: 'POST', path: '/api/v1/index/retrieve', handle: posted((req) => this.#searchIndex(req.body)) },
      {
        method: 'GET',
        path: /^\/api\/v1\/log\/entries\/([^/]+)$/,
        name: '/api/v1/log/entries/{uuid}',
        handle: json_((req) => this.#entryByID(decodeURIComponent(req.params[0] ?? ''))),
      },
      {
        method: 'GET',
        path: '/api/v1/log/entries',
        handle: json_((req) => {
          const index = int64Param(req.url.searchParams, 'logIndex', { min: 0n, required: true });
          return 'refused' in index ? bindingRefusal(index.refused) : this.#reply(this.#byIndex.get(Number(index.value)));
        }),
      },
      { method: 'GET', path: '/api/v1/log/proof', handle: json_((req) => this.#consistencyProof(req.url.searchParams)) },
      {
        method: 'GET',
        path: '/api/v1/log/publicKey',
        handle: (req) => operation(req, PUBLIC_KEY_PRODUCES, (format) => this.#publicKey(req.url.searchParams, format), true),
      },
      {
        method: 'GET',
        path: '/api/v1/log',
        handle: json_(() =>
          json(200, {
            ...this.active.head(this.origin),
            inactiveShards: this.shards.slice(0, -1).map((s) => s.head(this.origin)),
          }),
        ),
      },
    ];
  }

  /** GET /api/v1/log/entries/{entryUUID}: the path's pattern bound, then retrieveLogEntry. */
  #entryByID(id: string): Reply {
    if (!ENTRY_ID.test(id)) return bindingRefusal(patternRefusal('entryUUID', 'path', ENTRY_ID));
    const found = this.#retrieve(id);
    if (!(found instanceof BadTreeID)) return this.#reply(found);
    return json(400, { code: 400, message: `validation error: ${found.reason}` });
  }

  /** POST /api/v1/index/retrieve: the query bound, then the index searched. */
  #searchIndex(raw: Buffer): Reply {
    const bound = bindIndexQuery(raw);
    return 'refused' in bound ? bindingRefusal(bound.refused) : this.#index.search(bound.query);
  }

  /** A checkpoint of the active shard over its first `size` leaves. */
  checkpoint(size: number): string {
    return this.active.checkpoint(this.origin, size);
  }

  /** GET /api/v1/log/proof: rekor-server's GetLogProofHandler over trillian's GetConsistencyProof. */
  #consistencyProof(query: URLSearchParams): Reply {
    const first = int64Param(query, 'firstSize', { min: 1n, fallback: 1n });
    if ('refused' in first) return bindingRefusal(first.refused);
    const last = int64Param(query, 'lastSize', { min: 1n, required: true });
    if ('refused' in last) return bindingRefusal(last.refused);
    const treeID = patternParam(query, 'treeID', /^[0-9]+$/);
    if ('refused' in treeID) return bindingRefusal(treeID.refused);
    const [m, n] = [first.value!, last.value!];
    if (m > n) return json(400, { code: 400, message: `firstSize(${m}) must be less than lastSize(${n})` });
    const shard = this.#shardOf(treeID.value);
    if (!(shard instanceof RekorShard)) return shard;
    const { tree } = shard;
    // trillian answers a size past its tree with no proof, and rekor-server refuses that.
    if (n > BigInt(tree.size))
      return json(400, { code: 400, message: `the tree size requested(${n}) was greater than what is currently observable(${tree.size})` });
    const hashes = tree.consistency(Number(m), Number(n)).map((h) => h.toString('hex'));
    // The root is the tree's current one, whatever lastSize asked for: trillian's latest signed root.
    return json(200, { hashes, rootHash: tree.root().toString('hex') });
  }

  /**
   * GET /api/v1/log/publicKey: the key of the shard `treeID` names, the active one's without it;
   * sharding's PublicKey refuses a tree ID it has no shard for, or no int64, and the handler answers
   * either with a bare 400. Either goes out as `format`: the PEM producer writes the PEM (and the
   * refusal's JSON) as it is, the JSON one the PEM as a JSON string.
   */
  #publicKey(query: URLSearchParams, format: string): Reply {
    const treeID = patternParam(query, 'treeID', /^[0-9]+$/);
    if ('refused' in treeID) return treeID.refused;
    const id = treeID.value === undefined ? undefined : BigInt(treeID.value);
    const shard = id === undefined ? this.active : this.shards.find((s) => BigInt(s.treeID) === id);
    const headers = { 'content-type': format };
    if (!shard) return { status: 400, headers, body: JSON.stringify({ code: 400, message: 'Bad Request' }) };
    const pem = toPEM(shard.publicKey.export({ type: 'spki', format: 'der' }), 'PUBLIC KEY');
    return { status: 200, headers, body: format === 'application/x-pem-file' ? pem : JSON.stringify(pem) };
  }

  /** The shard a treeID names (the active one when none is given), or rekor-server's refusal. */
  #shardOf(treeID: string | undefined): RekorShard | Reply {
    if (treeID === undefined) return this.active;
    const id = BigInt(treeID);
    if (id >= 2n ** 63n) return json(400, { code: 400, message: `invalid tree ID specified: ${treeID}` });
    return this.shards.find((s) => BigInt(s.treeID) === id) ?? json(400, { code: 400, message: `no log range found for tree ID ${id}` });
  }

  #create(raw: Buffer): Reply {
    let proposed: ProposedEntry;
    try {
      proposed = bindProposedEntry(raw);
    } catch (err) {
      return bindingRefusal(refusal(err));
    }
    let body: object;
    let indexKeys: string[];
    try {
      ({ body, indexKeys } = insertProposedEntry(proposed));
    } catch (err) {
      return refusal(err);
    }
    const bytes = Buffer.from(canonicalJSON.canonicalize(body));
    const uuid = leafHash(bytes).toString('hex');
    const shard = this.active;
    if (this.#byUUID.has(uuid)) {
      const id = shard.entryID(uuid);
      return json(
        409,
        { code: 409, message: `an equivalent entry already exists in the transparency log with UUID ${id}` },
        { location: `/api/v1/log/entries/${id}` },
      );
    }
    const treeIndex = shard.tree.append(bytes);
    const entry: Entry = { uuid, index: shard.offset + treeIndex, treeIndex, body: bytes, integratedTime: Math.floor(Date.now() / 1000) };
    this.#byUUID.set(uuid, entry);
    this.#byIndex.set(entry.index, entry);
    this.#index.add(indexKeys, shard.entryID(uuid));
    // Real Rekor names the new entry in both Location and ETag; sigstore-go (cosign) reads the entry
    // from the answer by its ETag.
    const id = shard.entryID(uuid);
    return { ...this.#reply(entry), status: 201, headers: { location: `/api/v1/log/entries/${id}`, etag: id } };
  }

  /**
   * sharding's reading of an entry ID (tree ID then UUID) or a bare UUID (every shard), as
   * retrieveLogEntry looks one up; an entry ID whose tree ID is 0 or no int64 is refused.
   */
  #retrieve(id: string): Entry | undefined | BadTreeID {
    const uuid = id.slice(-64).toLowerCase();
    if (id.length === 64) return this.#byUUID.get(uuid);
    const tree = id.slice(0, 16);
    const treeID = BigInt(`0x${tree}`);
    if (treeID >= 2n ** 63n) return new BadTreeID(`invalid TreeID: ${tree}: strconv.ParseInt: parsing "${tree}": value out of range`);
    if (treeID === 0n) return new BadTreeID(`invalid TreeID: ${tree} must be positive`);
    // Every entry is in the active shard: the frozen one holds only the leaves it was seeded with.
    return treeID === BigInt(this.active.treeID) ? this.#byUUID.get(uuid) : undefined;
  }

  /** POST /api/v1/log/entries/retrieve: rekor-server's SearchLogQueryHandler. */
  #search(raw: Buffer): Reply {
    let query: SearchLogQuery;
    try {
      query = readSearchLogQuery(raw);
    } catch (err) {
      return bindingRefusal(refusal(err));
    }
    const total = query.entryUUIDs.length + query.entries.length + query.logIndexes.length;
    if (total > MAX_SEARCH_QUERIES) return json(422, { code: 422, message: `more than max allowed ${MAX_SEARCH_QUERIES} entries in request` });
    const found = this.#searchByID(query);
    if (!Array.isArray(found)) return found;
    // A null index is Go's nil pointer, which the handler reads as 0.
    for (const index of query.logIndexes) found.push(this.#byIndex.get(Number(index ?? 0n)));
    return json(
      200,
      found.filter((entry) => entry !== undefined).map((entry) => this.#logEntry(entry)),
    );
  }

  /**
   * The entries that entry IDs name (in their order), then those whose leaf hash a UUID or a proposed
   * entry gives; or the refusal of an entry ID with a bad tree ID, or of a proposed entry.
   */
  #searchByID(query: SearchLogQuery): Array<Entry | undefined> | Reply {
    const found: Array<Entry | undefined> = [];
    const hashes: string[] = [];
    for (const id of query.entryUUIDs) {
      if (id.length === 64) {
        hashes.push(id.toLowerCase());
        continue;
      }
      const entry = this.#retrieve(id);
      if (entry instanceof BadTreeID) return json(400, { code: 400, message: `invalid entryID ${id}` });
      found.push(entry);
    }
    for (const proposed of query.entries) {
      // A kind the world does not take cannot be in its log: it is looked for, and not found.
      if (!LOGGED_KINDS.includes(String(proposed.kind)) && proposed.kind !== 'ProposedEntry') continue;
      try {
        hashes.push(leafHash(Buffer.from(canonicalJSON.canonicalize(canonicalBody(proposed)))).toString('hex'));
      } catch (err) {
        return refusal(err);
      }
    }
    for (const hash of hashes) found.push(this.#byUUID.get(hash));
    return found;
  }

  // Real Rekor answers reads with a proof against the current tree head, so proofs grow as the log does.
  #reply(entry: Entry | undefined): Reply {
    // rekor-server answers an entry it does not hold with a bare 404.
    return entry ? json(200, this.#logEntry(entry)) : { status: 404 };
  }

  /** An entry as every read serves it, by its entry ID. The SET signs the global logIndex; the inclusion proof holds the index in the shard's tree. */
  #logEntry(entry: Entry): Record<string, unknown> {
    const shard = this.active;
    const logID = shard.logID.toString('hex');
    const body = entry.body.toString('base64');
    const { integratedTime, index: logIndex } = entry;
    // The SET signs exactly these four fields, canonicalized (what verifiers rebuild).
    const promise = canonicalJSON.canonicalize({ body, integratedTime, logID, logIndex });
    const size = shard.tree.size;
    return {
      [shard.entryID(entry.uuid)]: {
        body,
        integratedTime,
        logID,
        logIndex,
        verification: {
          signedEntryTimestamp: shard.sign(promise).toString('base64'),
          inclusionProof: {
            logIndex: entry.treeIndex,
            treeSize: size,
            rootHash: shard.tree.root(size).toString('hex'),
            hashes: shard.tree.proof(entry.treeIndex, size).map((h) => h.toString('hex')),
            checkpoint: shard.checkpoint(this.origin, size),
          },
        },
      },
    };
  }
}
