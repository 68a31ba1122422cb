// The world's Rekor v1, checked with an independent RFC 9162 inclusion-proof verifier (not the
// world's own Merkle code), the log's published key, SETs and checkpoints.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { consistent } from '../../test/helpers/merkle-verify.ts';
import { MerkleTree } from '../../test/world/sigstore/merkle.ts';

interface LogEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof: { logIndex: number; treeSize: number; rootHash: string; hashes: string[]; checkpoint: string };
  };
}

const H = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

// RFC 9162 §2.1.3.2, written from the spec.
function rootFromProof(leaf: Buffer, index: number, size: number, path: Buffer[]): Buffer {
  let fn = index;
  let sn = size - 1;
  let r = H(Buffer.from([0]), leaf);
  for (const p of path) {
    assert.notEqual(sn, 0, 'proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = H(Buffer.from([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = H(Buffer.from([1]), r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  assert.equal(sn, 0, 'proof too short');
  return r;
}

let world: World;
let rekor: string;
let logKey: KeyObject;
const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' });

before(async () => {
  world = await startWorld({ pypi: false });
  rekor = world.urls.rekor!;
  logKey = createPublicKey(await (await fetch(`${rekor}/api/v1/log/publicKey`)).text());
});
after(() => world?.stop());

function hashedrekord(artifact: Buffer) {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: H(artifact).toString('hex') } },
      signature: {
        content: sign('sha256', artifact, signer.privateKey).toString('base64'),
        publicKey: { content: Buffer.from(signer.publicKey.export({ type: 'spki', format: 'pem' })).toString('base64') },
      },
    },
  };
}

async function post(entry: object): Promise<Response> {
  return fetch(`${rekor}/api/v1/log/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(entry) });
}

const only = async (res: Response): Promise<[string, LogEntry]> => {
  const entries = Object.entries((await res.json()) as Record<string, LogEntry>);
  assert.equal(entries.length, 1);
  return entries[0]!;
};

function checkEntry(entry: LogEntry): void {
  const proof = entry.verification.inclusionProof;
  const root = rootFromProof(
    Buffer.from(entry.body, 'base64'),
    proof.logIndex,
    proof.treeSize,
    proof.hashes.map((h) => Buffer.from(h, 'hex')),
  );
  assert.equal(root.toString('hex'), proof.rootHash);

  const { body, integratedTime, logID, logIndex } = entry;
  const promise = JSON.stringify({ body, integratedTime, logID, logIndex }); // keys already in canonical order
  assert.ok(verify('sha256', Buffer.from(promise), logKey, Buffer.from(entry.verification.signedEntryTimestamp, 'base64')), 'SET');

  const [note, signatureLine] = proof.checkpoint.split('\n\n');
  const [origin, size, rootB64] = note!.split('\n');
  assert.ok(origin!.startsWith(`${new URL(rekor).host} - `), 'origin names host:port');
  assert.equal(Number(size), proof.treeSize);
  assert.equal(Buffer.from(rootB64!, 'base64').toString('hex'), proof.rootHash);
  const m = /^\u2014 (\S+) (\S+)\n$/.exec(signatureLine!);
  assert.ok(m, 'signature line');
  assert.equal(m[1], new URL(rekor).host);
  const sig = Buffer.from(m[2]!, 'base64');
  assert.equal(sig.subarray(0, 4).toString('hex'), logID.slice(0, 8), 'key hint = logID[:4]');
  assert.ok(verify('sha256', Buffer.from(`${note}\n`), logKey, sig.subarray(4)), 'checkpoint signature');
}

describe('Rekor v1', () => {
  test("serves the key of the shard ?treeID= names, whose checkpoints it verifies, and refuses an unknown one with rekor-server's bare 400", async () => {
    const info = (await (await fetch(`${rekor}/api/v1/log`)).json()) as { treeID: string; inactiveShards: Array<{ treeID: string; signedTreeHead: string }> };
    const frozen = info.inactiveShards[0]!;
    const keyOf = async (treeID: string) => createPublicKey(await (await fetch(`${rekor}/api/v1/log/publicKey?treeID=${treeID}`)).text());
    const frozenKey = await keyOf(frozen.treeID);
    assert.ok(!frozenKey.equals(logKey), "the frozen shard's own key");
    const [note, signatureLine] = frozen.signedTreeHead.split('\n\n');
    const sig = Buffer.from(/^\u2014 \S+ (\S+)\n$/.exec(signatureLine!)![1]!, 'base64').subarray(4);
    assert.ok(verify('sha256', Buffer.from(`${note}\n`), frozenKey, sig), "it verifies the frozen shard's checkpoint");
    assert.ok((await keyOf(info.treeID)).equals(logKey));
    assert.ok((await keyOf('')).equals(logKey), 'an empty tree ID names the active shard');
    for (const treeID of ['1', '99999999999999999999']) {
      const res = await fetch(`${rekor}/api/v1/log/publicKey?treeID=${treeID}`);
      const answer = { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
      assert.deepEqual(answer, { status: 400, type: 'application/x-pem-file', body: { code: 400, message: 'Bad Request' } }, treeID);
    }
  });

  test('inclusion proofs, SETs and checkpoints verify for several entries, also as the log grows', async () => {
    const created: [string, LogEntry][] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(hashedrekord(randomBytes(16)));
      assert.equal(res.status, 201);
      created.push(await only(res));
    }
    assert.ok(created[0]![1].logIndex > 0, 'the log is seeded, so the first entry has a non-trivial proof');
    for (const [uuid, entry] of created) {
      checkEntry(entry);
      const [, byUUID] = await only(await fetch(`${rekor}/api/v1/log/entries/${uuid}`));
      const [, byIndex] = await only(await fetch(`${rekor}/api/v1/log/entries?logIndex=${entry.logIndex}`));
      for (const fetched of [byUUID, byIndex]) {
        assert.equal(fetched.body, entry.body);
        assert.equal(fetched.verification.inclusionProof.treeSize, created.at(-1)![1].verification.inclusionProof.treeSize);
        checkEntry(fetched);
      }
    }
    const head = (await (await fetch(`${rekor}/api/v1/log`)).json()) as { treeSize: number; rootHash: string };
    assert.equal(head.treeSize, created.at(-1)![1].verification.inclusionProof.treeSize);
  });

  test('a duplicate entry is a 409 whose Location leads to the existing entry', async () => {
    const entry = hashedrekord(randomBytes(16));
    const [uuid] = await only(await post(entry));
    const dup = await post(entry);
    assert.equal(dup.status, 409);
    const location = dup.headers.get('location');
    assert.equal(location, `/api/v1/log/entries/${uuid}`);
    const [again] = await only(await fetch(new URL(location!, rekor)));
    assert.equal(again, uuid);
  });

  test('stores canonical hashedrekord bodies with a 64-column PEM key', async () => {
    const [, entry] = await only(await post(hashedrekord(randomBytes(16))));
    const body = JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8'));
    const pem = Buffer.from(body.spec.signature.publicKey.content, 'base64').toString('utf8');
    assert.ok(pem.endsWith('-----END PUBLIC KEY-----\n') && pem.split('\n').every((l: string) => l.length <= 64));
  });

  test('rejects a DSSE entry whose signature does not verify, and unknown kinds', async () => {
    const cert = Buffer.from(signer.publicKey.export({ type: 'spki', format: 'pem' })).toString('base64');
    const envelope = JSON.stringify({ payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: 'AAAA' }] });
    const res = await post({ apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope, verifiers: [cert] } } });
    assert.equal(res.status, 400);
    assert.equal((await post({ apiVersion: '0.0.2', kind: 'intoto', spec: {} })).status, 400);
    assert.equal((await fetch(`${rekor}/api/v1/log/entries/${'0'.repeat(64)}`)).status, 404);
  });
});

async function search(query: unknown): Promise<Response> {
  return fetch(`${rekor}/api/v1/log/entries/retrieve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(query) });
}

describe('Rekor v1 searches (searchLogQuery)', () => {
  test('finds an entry by entry ID, UUID, log index and proposed entry, in that order, each with a proof that verifies', async () => {
    const proposed = hashedrekord(randomBytes(16));
    const [id, created] = await only(await post(proposed));
    const res = await search({ logIndexes: [created.logIndex], entries: [proposed], entryUUIDs: [id.slice(-64), id] });
    assert.equal(res.status, 200);
    const found = (await res.json()) as Array<Record<string, LogEntry>>;
    assert.equal(found.length, 4);
    for (const entry of found) {
      assert.deepEqual(Object.keys(entry), [id]);
      assert.equal(entry[id]!.body, created.body);
      checkEntry(entry[id]!);
    }
  });

  test('finds nothing for what the log does not hold, and refuses a forged proposed entry and more than ten look-ups', async () => {
    const res = await search({ entryUUIDs: ['0'.repeat(64)], logIndexes: [999_999], entries: [hashedrekord(randomBytes(16))] });
    assert.deepEqual([res.status, await res.json()], [200, []]);
    const forged = hashedrekord(randomBytes(16));
    forged.spec.signature.content = sign('sha256', Buffer.from('something else'), signer.privateKey).toString('base64');
    const refused = await search({ entries: [forged] });
    assert.deepEqual(
      [refused.status, ((await refused.json()) as { message: string }).message],
      [400, 'verifying signature: invalid signature when validating ASN.1 encoded signature'],
    );
    const many = await search({ entryUUIDs: Array(6).fill('0'.repeat(64)), logIndexes: [1, 2, 3, 4, 5] });
    assert.deepEqual([many.status, await many.json()], [422, { code: 422, message: 'more than max allowed 10 entries in request' }]);
  });

  test('takes an IEEE P1363 signature (what WebCrypto signs) as sigstore/sigstore does, and names the encoding it refuses', async () => {
    const artifact = randomBytes(16);
    const entry = hashedrekord(artifact);
    entry.spec.signature.content = sign('sha256', artifact, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
    assert.equal((await post(entry)).status, 201);
    entry.spec.signature.content = Buffer.alloc(64, 1).toString('base64');
    assert.match(((await (await post(entry)).json()) as { message: string }).message, /invalid signature when validating IEEE_P1363 encoded signature$/);
    entry.spec.signature.content = Buffer.alloc(63, 1).toString('base64');
    assert.match(((await (await post(entry)).json()) as { message: string }).message, /ecdsa: Invalid IEEE_P1363 encoded bytes$/);
  });
});

describe('Merkle tree', () => {
  // RFC 6962 §2.1 MTH, recomputed from the leaves every time: what the cached tree must agree with.
  const mth = (leaves: Buffer[]): Buffer => {
    if (leaves.length === 0) return H();
    if (leaves.length === 1) return H(Buffer.from([0]), leaves[0]!);
    let k = 1;
    while (k * 2 < leaves.length) k *= 2;
    return H(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
  };

  test('roots and audit paths of every size agree with the spec, before and after the log grows', () => {
    const tree = new MerkleTree();
    const data: Buffer[] = [];
    for (let n = 1; n <= 70; n++) {
      data.push(randomBytes(8));
      tree.append(data[n - 1]!);
      assert.deepEqual(tree.root(), mth(data), `root of ${n}`);
      // Older sizes too: their proofs are built from subtrees cached when the tree was smaller or larger.
      for (const size of new Set([n, Math.max(1, n >> 1), Math.max(1, n - 3)])) {
        assert.deepEqual(tree.root(size), mth(data.slice(0, size)), `root of ${size} at ${n}`);
        for (let i = 0; i < size; i++) {
          assert.deepEqual(rootFromProof(data[i]!, i, size, tree.proof(i, size)), mth(data.slice(0, size)), `leaf ${i} of ${size} at ${n}`);
        }
      }
    }
  });

  test('consistency proofs between every two sizes hold (RFC 9162), and fail for another root or a cut proof', () => {
    const tree = new MerkleTree();
    const data: Buffer[] = [];
    for (let i = 0; i < 40; i++) tree.append((data[i] = randomBytes(8)));
    const root = (size: number) => mth(data.slice(0, size));
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = tree.consistency(m, n);
        assert.ok(consistent(m, n, root(m), root(n), proof), `${m} to ${n}`);
        if (m === n) continue;
        assert.ok(!consistent(m, n, root(n), root(n), proof), `${m} to ${n}, another root`);
        assert.ok(!consistent(m, n, root(m), root(n), proof.slice(0, -1)), `${m} to ${n}, cut`);
      }
    }
    assert.throws(() => tree.consistency(0, 5), RangeError);
    assert.throws(() => tree.consistency(6, 5), RangeError);
    assert.throws(() => tree.consistency(5, 41), RangeError);
  });
});
