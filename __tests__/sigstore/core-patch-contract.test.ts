// The contract src/sigstore/verify-memo.ts relies on when it patches @sigstore/core's classes and
// @sigstore/verify's SCT module at run time. These are not public APIs, so the packages are pinned
// exactly (docs/architecture.md, "Dependencies") and this suite fails, naming what moved, when an
// update changes any of it: then re-read the new versions before raising the pins.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { initializeCA, initializeCTLog, initializeTSA } from '@sigstore/mock';
import { X509Certificate, crypto as coreCrypto } from '@sigstore/core';
import sctModule from '@sigstore/verify/dist/key/sct.js';
import certificateModule from '@sigstore/verify/dist/key/certificate.js';
import { installVerifyMemo } from '../../src/sigstore/verify-memo.ts';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
const declared = { ...pkg['dependencies'], ...pkg['devDependencies'] };
const installed = (name: string) =>
  (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;

describe('the @sigstore packages the verifier memo patches', () => {
  it('every @sigstore/* dependency is pinned exactly, and the installed version is the pinned one', () => {
    const sigstore = Object.entries(declared).filter(([name]) => name.startsWith('@sigstore/'));
    assert.ok(sigstore.length >= 6);
    for (const [name, range] of sigstore) {
      assert.match(range, /^\d+\.\d+\.\d+$/, `${name} is pinned exactly (not "${range}")`);
      assert.equal(installed(name), range, `${name}: the installed version is the pinned one`);
    }
  });

  it('@sigstore/verify uses the one @sigstore/core the memo patches (no nested copy)', () => {
    const verifyDir = dirname(require.resolve('@sigstore/verify'));
    assert.equal(require.resolve('@sigstore/core', { paths: [verifyDir] }), require.resolve('@sigstore/core'));
  });

  it('@sigstore/verify calls verifySCTs through its module object, and clones the certificate there', () => {
    const keyIndex = readFileSync(require.resolve('@sigstore/verify/dist/key/index.js'), 'utf8');
    assert.match(keyIndex, /\(0, sct_1\.verifySCTs\)\(/, 'key/index.js calls sct_1.verifySCTs (the memo replaces that property)');
    const sct = readFileSync(require.resolve('@sigstore/verify/dist/key/sct.js'), 'utf8');
    assert.match(sct, /cert\.clone\(\)/, 'sct.js modifies a clone, never the parsed certificate the memo shares');
  });

  it("@sigstore/verify makes key objects through core's crypto module object, and chains through CertificateChainVerifier's sort and checkPath", () => {
    const read = (file: string) => readFileSync(require.resolve(`@sigstore/verify/dist/${file}`), 'utf8');
    assert.match(read('key/index.js'), /core_1\.crypto\.createPublicKey\(cert\.publicKey\)/, "getSigner parses the leaf's key through core_1.crypto");
    assert.match(read('timestamp/tsa.js'), /core_1\.crypto\.createPublicKey\(leaf\.publicKey\)/, 'the TSA check parses its key through core_1.crypto');
    const chain = read('key/certificate.js');
    assert.match(
      chain,
      /const certificatePath = this\.sort\(\);\s+\/\/[^\n]*\n\s+this\.checkPath\(certificatePath\);/,
      'verify() calls this.sort() then this.checkPath()',
    );
    assert.match(
      chain,
      /certificatePath\.every\(\(cert\) => cert\.validForDate\(this\.timestamp\)\)/,
      'verify() checks the dates itself, after the memoised steps',
    );
    assert.doesNotMatch(
      chain.slice(chain.indexOf('    sort() {'), chain.indexOf('    checkPath(path) {')),
      /timestamp/,
      'sort() and the path search read no time',
    );
  });

  it('the patched members exist with the shapes the memo wraps, and still answer the same once wrapped', async () => {
    const { ASN1Obj } = await import('@sigstore/core');
    assert.equal(typeof ASN1Obj.prototype.toDER, 'function');
    assert.equal(typeof X509Certificate.parse, 'function');
    assert.equal(typeof X509Certificate.prototype.clone, 'function');
    assert.equal(typeof X509Certificate.prototype.verify, 'function');
    assert.equal(typeof sctModule.verifySCTs, 'function');
    const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ca = await initializeCA(keys(), await initializeCTLog(keys()));
    const der = Buffer.from(ca.rootCertificate as Uint8Array);
    const before = X509Certificate.parse(der);
    const selfSigned = before.verify();

    installVerifyMemo();
    const a = X509Certificate.parse(der);
    const b = X509Certificate.parse(Buffer.from(der));
    assert.equal(a, b, 'one parsed object per DER bytes');
    const copy = a.clone();
    assert.notEqual(copy, a, 'a clone is a fresh object');
    assert.deepEqual(copy.root.toDER(), a.root.toDER());
    assert.equal(a.verify(), selfSigned);
    assert.equal(a.verify(), true);
    // The remembered encoding is handed out as a copy: writing into it changes nothing.
    const out = a.root.toDER();
    out[0] = out[0] === 0 ? 1 : 0;
    assert.deepEqual(a.root.toDER(), der);
  });
});

describe('the memos added for key objects and certificate paths', () => {
  const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = (k: ReturnType<typeof keys>) => k.publicKey.export({ format: 'der', type: 'spki' });

  it('one key object per DER public key; another key gets its own; bytes that are no key fail every time', () => {
    installVerifyMemo();
    const [a, b] = [keys(), keys()];
    const keyA = coreCrypto.createPublicKey(spki(a));
    assert.equal(coreCrypto.createPublicKey(Buffer.from(spki(a))), keyA, 'the same bytes give the same object');
    const keyB = coreCrypto.createPublicKey(spki(b));
    assert.notEqual(keyB, keyA);
    assert.deepEqual(keyB.export({ format: 'der', type: 'spki' }), spki(b), 'the key object is made from its own bytes');
    assert.deepEqual(keyA.export({ format: 'der', type: 'spki' }), spki(a));
    const garbage = Buffer.from(spki(a)).subarray(0, 40);
    for (let i = 0; i < 2; i++) assert.throws(() => coreCrypto.createPublicKey(garbage));
  });

  it('a path is built once per leaf and trusted chain; another leaf is checked on its own, and dates on every call', async () => {
    installVerifyMemo();
    const caA = await initializeCA(keys(), await initializeCTLog(keys()));
    const caB = await initializeCA(keys(), await initializeCTLog(keys()));
    const leafOf = async (ca: typeof caA) =>
      X509Certificate.parse(Buffer.from((await ca.issueCertificate({ publicKey: spki(keys()), subjectAltName: 'leaf@example.com' })) as Uint8Array));
    const [leafA, leafB] = [await leafOf(caA), await leafOf(caB)];
    const authority = {
      certChain: [X509Certificate.parse(Buffer.from(caA.rootCertificate as Uint8Array))],
      validFor: { start: new Date(0), end: new Date(8.64e15) },
    };
    const proto = certificateModule.CertificateChainVerifier.prototype as unknown as { buildPaths: (c: X509Certificate) => X509Certificate[][] };
    const buildPaths = proto.buildPaths;
    let searches = 0;
    proto.buildPaths = function (this: unknown, c: X509Certificate) {
      searches++;
      return buildPaths.call(this, c);
    };
    try {
      const now = new Date();
      const path = certificateModule.verifyCertificateChain(now, leafA, [authority]);
      assert.deepEqual(path, [leafA, authority.certChain[0]]);
      const first = searches;
      assert.ok(first > 0);
      const again = certificateModule.verifyCertificateChain(now, leafA, [authority]);
      assert.deepEqual(again, path);
      assert.notEqual(again, path, 'each caller gets a path of its own');
      assert.equal(searches, first, 'the same leaf and chain are not searched again');
      // A leaf of another CA, after A's leaf was remembered: searched, and refused.
      assert.throws(() => certificateModule.verifyCertificateChain(now, leafB, [authority]), /Failed to verify certificate chain/);
      assert.ok(searches > first);
      // The remembered path still has its dates checked: before the leaf was issued it is not valid.
      assert.throws(
        () => certificateModule.verifyCertificateChain(new Date(Date.parse(leafA.notBefore.toISOString()) - 60_000), leafA, [authority]),
        (e: { cause?: Error }) => /not valid or expired/.test(e.cause?.message ?? ''),
      );
    } finally {
      proto.buildPaths = buildPaths;
    }
  });
});

describe("the DER encoder that stands in for ASN1Obj.toDER's own", () => {
  it('writes the bytes @sigstore/core writes, for certificates, RFC 3161 tokens and lengths of every size class', async () => {
    const { ASN1Obj } = await import('@sigstore/core');
    const { encodeDer } = await import('../../src/sigstore/verify-memo.ts');
    installVerifyMemo();
    // What the package itself encodes: its own class from a second copy of its module, which the memo never patched.
    const objPath = join(dirname(require.resolve('@sigstore/core')), 'asn1', 'obj.js');
    const loaded = require.cache[objPath];
    delete require.cache[objPath];
    const Pristine = (require(objPath) as { ASN1Obj: typeof ASN1Obj }).ASN1Obj;
    require.cache[objPath] = loaded;
    assert.notEqual(Pristine.prototype.toDER, ASN1Obj.prototype.toDER);
    const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ca = await initializeCA(keys(), await initializeCTLog(keys()));
    const tlv = (tag: number, content: Buffer) => {
      const len = content.length;
      const head = len < 128 ? [len] : len < 256 ? [0x81, len] : len < 65536 ? [0x82, len >> 8, len & 255] : [0x83, len >> 16, (len >> 8) & 255, len & 255];
      return Buffer.concat([Buffer.from([tag, ...head]), content]);
    };
    const tsa = await initializeTSA(keys());
    const token = await tsa.timestamp({
      artifactHash: Buffer.alloc(32, 7),
      hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
      nonce: 3,
      policyOID: '1.2.3.4',
      certReq: true,
    });
    const samples = [
      Buffer.from(ca.rootCertificate as Uint8Array),
      Buffer.from(token.buffer, token.byteOffset, token.byteLength),
      ...[0, 1, 127, 128, 255, 256, 65535, 65536].map((n) => tlv(0x04, Buffer.alloc(n, 0xab))),
      tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x31, Buffer.concat([tlv(0x0c, Buffer.from('x'.repeat(300))), tlv(0x05, Buffer.alloc(0))]))])),
    ];
    for (const der of samples) {
      const parsed = ASN1Obj.parseBuffer(der);
      assert.deepEqual(encodeDer(parsed as never), Pristine.parseBuffer(Buffer.from(der)).toDER(), `${der.length} bytes`);
      assert.deepEqual(parsed.toDER(), der, 'the patched method answers with the same bytes');
      assert.deepEqual(encodeDer(parsed as never), der, 'DER that parses encodes back to itself');
    }
  });
});

describe('the OID memo', () => {
  it("answers each object's own OID, as @sigstore/core decodes it, and throws every time for what is no OID", async () => {
    const { ASN1Obj } = await import('@sigstore/core');
    installVerifyMemo();
    const oid = (bytes: number[]) => ASN1Obj.parseBuffer(Buffer.from([0x06, bytes.length, ...bytes]));
    const fulcioIssuer = oid([0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x08]);
    assert.equal(fulcioIssuer.toOID(), '1.3.6.1.4.1.57264.1.8');
    assert.equal(fulcioIssuer.toOID(), '1.3.6.1.4.1.57264.1.8');
    assert.equal(oid([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]).toOID(), '1.2.840.113549.1.7.2', 'another object, its own OID');
    const notOid = ASN1Obj.parseBuffer(Buffer.from([0x02, 0x01, 0x05]));
    for (let i = 0; i < 2; i++) assert.throws(() => notOid.toOID(), /not an OID/);
  });
});
