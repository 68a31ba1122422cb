// A PYPI_PUBLISH_TRUST_CONFIG whose trusted root cannot verify anything is refused when it is loaded,
// naming the file, what is missing and the fix, instead of failing after every dist was signed. The
// configs are built as the local world builds its own (test/world/sigstore/trust.ts), from a fresh
// @sigstore/mock CA and throwaway keys; no service is started.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { initializeCA, initializeCTLog } from '@sigstore/mock';
import { TrustError } from '../../src/sigstore/errors.ts';
import { loadTrust, loadVerificationTrust, trustFromConfigFile, trustFromTuf } from '../../src/sigstore/trust.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { bufferOf } from '../../test/world/sigstore/der.ts';
import { clientTrustConfig } from '../../test/world/sigstore/trust.ts';

const ecKeyPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = () => ecKeyPair().publicKey.export({ type: 'spki', format: 'der' });

let complete: ReturnType<typeof clientTrustConfig>;
let dir: string;

before(async () => {
  const ca = await initializeCA(ecKeyPair(), await initializeCTLog(ecKeyPair()));
  complete = clientTrustConfig({
    fulcioURL: 'http://127.0.0.1:1',
    rekorURL: 'http://127.0.0.1:2',
    tsaURL: 'http://127.0.0.1:3',
    ctlogURL: 'http://127.0.0.1:5',
    oidcURL: 'http://127.0.0.1:4',
    fulcioChain: [bufferOf(ca.rootCertificate)],
    ctlogKey: spki(),
    rekorShards: [{ key: spki(), start: new Date(0) }],
    tsaChain: [],
    start: new Date(0),
  });
  dir = await scratchDir('trust-config-');
});

/** The complete config with `edit` applied to a copy of its trustedRoot, written to a file of its own. */
let n = 0;
async function configFile(edit: (root: any) => void = () => {}): Promise<string> {
  const cfg = structuredClone(complete);
  edit(cfg.trustedRoot);
  const file = join(dir, `trust-${n++}.json`);
  await writeFile(file, JSON.stringify(cfg));
  return file;
}

const FIX = /Copy the missing entries from the Sigstore instance's trusted_root\.json, or unset PYPI_PUBLISH_TRUST_CONFIG/;

async function refused(file: string, missing: RegExp): Promise<void> {
  await assert.rejects(trustFromConfigFile(file), (e: unknown) => {
    assert.ok(e instanceof TrustError, String(e));
    assert.equal(e.code, 'TRUST_CONFIG');
    assert.ok(e.message.startsWith(`${file}: trustedRoot has no `), e.message);
    assert.match(e.message, missing);
    assert.match(e.message, FIX);
    return true;
  });
}

describe('a trust config whose trustedRoot lacks what verification needs', () => {
  it('is accepted when complete, and without timestamp authorities (they are optional)', async () => {
    assert.equal((await trustFromConfigFile(await configFile())).rekorURL, 'http://127.0.0.1:2');
    const noTsa = await trustFromConfigFile(await configFile((root) => void (root.timestampAuthorities = [])));
    assert.equal(noTsa.fulcioURL, 'http://127.0.0.1:1');
  });

  it('is refused without a Fulcio certificate authority, or with one whose chain is empty', async () => {
    const ca = /no certificateAuthorities \(the Fulcio CA certificate chain\), so no attestation could be verified/;
    await refused(await configFile((root) => void (root.certificateAuthorities = [])), ca);
    await refused(await configFile((root) => void (root.certificateAuthorities[0].certChain.certificates = [])), ca);
  });

  it('is refused without a Rekor log key or a certificate transparency log key', async () => {
    await refused(await configFile((root) => void (root.tlogs = [])), /no tlogs \(the Rekor transparency log key\), so/);
    await refused(await configFile((root) => void delete root.tlogs[0].publicKey), /no tlogs \(the Rekor transparency log key\), so/);
    await refused(await configFile((root) => void (root.ctlogs = [])), /no ctlogs \(the certificate transparency log key\), so/);
  });

  it('names everything missing at once when the trustedRoot is an empty object', async () => {
    await refused(
      await configFile((root) => {
        for (const key of Object.keys(root)) if (key !== 'mediaType') delete root[key];
      }),
      /no certificateAuthorities \(.*\), ctlogs \(.*\) or tlogs \(the Rekor transparency log key\), so/,
    );
  });
});

describe('the TUF test seam', () => {
  it('wants the mirror URL and its initial root together', async () => {
    for (const half of [{ tufURL: 'http://127.0.0.1:1' }, { tufRoot: '/nonexistent/root.json' }]) {
      await assert.rejects(
        loadTrust({ ...half, cacheDir: dir }),
        (e: unknown) =>
          e instanceof TrustError &&
          e.code === 'TRUST_CONFIG' &&
          /PYPI_PUBLISH_SIGSTORE_TUF_URL and PYPI_PUBLISH_SIGSTORE_TUF_ROOT go together/.test(e.message),
      );
    }
  });

  it('refuses a mirror over plain http off this machine, before any request', async () => {
    await assert.rejects(
      trustFromTuf({ mirrorURL: 'http://tuf.example', rootPath: '/nonexistent/root.json' }, dir),
      (e: unknown) => e instanceof TrustError && /TUF mirror URL http:\/\/tuf\.example\/? must be https:\/\//.test(e.message),
    );
  });
});

describe('verification alone', () => {
  it('needs only the trusted root: a signing config a signer could not use does not stop a verifier', async () => {
    const cfg = structuredClone(complete);
    cfg.signingConfig.rekorTlogUrls = cfg.signingConfig.rekorTlogUrls.map((s) => ({ ...s, majorApiVersion: 2 }));
    const file = join(dir, 'rekor-v2-only.json');
    await writeFile(file, JSON.stringify(cfg));
    await assert.rejects(loadTrust({ trustConfigPath: file, cacheDir: dir }), /lists no current Rekor v1 URL/);
    const trust = await loadVerificationTrust({ trustConfigPath: file, cacheDir: dir });
    assert.equal(trust.trustedRoot.tlogs.length, 1);
    assert.equal(trust.source, file);
  });
});
