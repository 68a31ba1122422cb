// The contract src/sigstore/verify-memo.ts relies on when it patches @sigstore/core's classes and
// @sigstore/verify's SCT module at run time. These are not public APIs, so the packages are pinned
// exactly (docs/architecture.md, "Dependencies") and this suite fails, naming what moved, when an
// update changes any of it: then re-read the new versions before raising the pins.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { initializeCA, initializeCTLog } from '@sigstore/mock';
import { X509Certificate } from '@sigstore/core';
import sctModule from '@sigstore/verify/dist/key/sct.js';
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
