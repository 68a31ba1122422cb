// The engine's rules, in-process, with fake services through the interfaces production wires
// (test/helpers/fake-services.ts): all or nothing, the first file of a new release alone (releases
// by canonical version), re-mint on token expiry, skip-existing, the reusable workflow, partial
// failure, and the report in every ending. The same rules are run end to end in __tests__/e2e.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { access, copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { publish } from '../../src/engine/publish.ts';
import { WHOLE_READ_MAX } from '../../src/dists/inspect.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import {
  CLAIMS,
  engineConfig,
  FAKE_UPLOAD_URL,
  fakeIdentity,
  fakeIndex,
  fakeRuntime,
  fakeServices,
  fakeSigstore,
  runEngine,
} from '../../test/helpers/fake-services.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

/** A directory with one wheel and one sdist of `name` 1.0.0 (and more when asked). */
async function release(name = 'sample', extra: (dir: string) => Promise<unknown> = async () => undefined): Promise<string> {
  const dir = await scratchDir('engine-');
  await buildWheel(dir, { name, version: '1.0.0' });
  await buildSdist(dir, { name, version: '1.0.0' });
  await extra(dir);
  return dir;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('a release that passes every check', () => {
  it('is exchanged for a token, signed once per dist with one certificate, verified, uploaded with its attestations, and reported', async () => {
    const dir = await release();
    const r = await runEngine(dir);
    assert.equal(r.result.failure, undefined, r.runtime.lines.join('\n'));
    assert.deepEqual(r.status, { 'sample-1.0.0-py3-none-any.whl': 'uploaded', 'sample-1.0.0.tar.gz': 'uploaded' });
    assert.equal(r.sigstore.loads, 1);
    assert.equal(r.sigstore.certificates, 1, 'one certificate for the run');
    assert.deepEqual([...r.sigstore.verified].sort(), [...r.sigstore.signed].sort());
    assert.deepEqual(r.identity.audiences, ['pypi'], "the signer's token comes from the Sigstore services, not the engine");
    assert.ok(r.index.uploads.every((u) => u.attestations && u.authorization === '__token__:pypi-fake-token-0'));
    for (const f of r.result.files) {
      assert.ok(f.bundlePath && (await exists(f.bundlePath)), `${f.filename}: bundle written`);
      assert.ok(f.attestationPath && (await exists(f.attestationPath)), `${f.filename}: attestation written`);
      assert.match(f.transparencyLogUrl ?? '', /^https:\/\/log\.example\/\?logIndex=\d+$/);
      assert.match(f.sha256 ?? '', /^[0-9a-f]{64}$/);
    }
    // The report stage: the table in the log, the summary, the outputs.
    assert.ok(r.runtime.lines.some((l) => l.startsWith(`Results for ${FAKE_UPLOAD_URL}`)));
    assert.match(r.runtime.summary, /2 of 2 files published to/);
    assert.equal(JSON.parse(r.runtime.outputs['results'] ?? '[]').length, 2);
    assert.equal(r.runtime.outputs['all-published'], 'true');
  });

  it('asks for the audience while the dists are checked, and mints only after', async () => {
    const dir = await release();
    const r = await runEngine(dir);
    assert.deepEqual(r.index.events.slice(0, 2), ['audience', 'mint']);
  });

  it("keeps the checks' group open until the audience asked for during the checks has answered", async () => {
    // The answer is held until the engine opens the exchange's group (the stage that asked would then
    // be over), or for a bounded number of event-loop turns when it waits for it, as it should.
    const events: string[] = [];
    const exchangeOpened = Promise.withResolvers<void>();
    const audience = async () => {
      for (let turn = 0; turn < 200; turn++) {
        const opened = await Promise.race([exchangeOpened.promise.then(() => true), new Promise<false>((r) => setImmediate(() => r(false)))]);
        if (opened) break;
      }
      events.push('audience answered');
    };
    const dir = await release();
    const index = fakeIndex({ audience });
    const runtime = fakeRuntime();
    runtime.log.startGroup = (title) => {
      events.push(`group ${title}`);
      if (title.startsWith('Trusted Publishing')) exchangeOpened.resolve();
    };
    runtime.log.endGroup = () => void events.push('end group');
    const result = await publish(
      engineConfig(dir),
      { workspace: dir, repository: 'octo-org/sampleproject' },
      runtime,
      fakeServices(index, fakeIdentity(), fakeSigstore()),
    );
    assert.equal(result.failure, undefined, runtime.lines.join('\n'));
    assert.deepEqual(events.slice(0, 3), ['group Checking the distributions', 'audience answered', 'end group'], events.join('\n'));
  });

  it('without attestations: no Sigstore at all', async () => {
    const r = await runEngine(await release(), { config: { attestations: false } });
    assert.equal(r.result.failure, undefined);
    assert.equal(r.sigstore.loads, 0);
    assert.ok(r.index.uploads.every((u) => !u.attestations));
    assert.ok(r.result.files.every((f) => f.bundlePath === undefined));
  });
});

describe('all or nothing', () => {
  it('one bad dist holds back every file: no token, no signature, no upload; each row says why', async () => {
    const dir = await release('sample', (d) => writeFile(join(d, 'broken-1.0.0-py3-none-any.whl'), 'not a zip'));
    const r = await runEngine(dir);
    assert.match(r.result.failure?.message ?? '', /problem\(s\) found before upload; nothing was signed or sent/);
    assert.ok(!r.index.events.includes('mint'), 'no token was requested');
    assert.equal(r.sigstore.loads, 0);
    assert.equal(r.index.uploads.length, 0);
    assert.match(r.reason['broken-1.0.0-py3-none-any.whl'] ?? '', /zipfile/);
    assert.match(r.reason['sample-1.0.0.tar.gz'] ?? '', /^held back: 1 problem\(s\) with other files must be fixed first$/);
    assert.match(r.runtime.summary, /nothing published to .*; 1 refused, 2 held back/, 'the summary is written for a held-back run');
  });

  it('one dist that fails verification: nothing uploaded, no sidecar, the others held back', async () => {
    const dir = await release();
    const r = await runEngine(dir, { sigstore: { verifyError: (f) => (f.endsWith('.tar.gz') ? new Error('bundle does not verify') : undefined) } });
    assert.match(r.result.failure?.message ?? '', /Attestation failed for 1 file\(s\); nothing was uploaded/);
    assert.equal(r.index.uploads.length, 0);
    assert.equal(r.reason['sample-1.0.0.tar.gz'], 'attestation failed: bundle does not verify');
    assert.equal(r.reason['sample-1.0.0-py3-none-any.whl'], 'held back: attestation failed for 1 other file(s)');
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.includes('.sigstore') || f.includes('.publish')),
      [],
    );
  });

  it('a signature refused for one dist: nothing uploaded', async () => {
    const r = await runEngine(await release(), { sigstore: { signError: (f) => (f.endsWith('.whl') ? new Error('Rekor refused the entry') : undefined) } });
    assert.equal(r.index.uploads.length, 0);
    assert.equal(r.reason['sample-1.0.0-py3-none-any.whl'], 'attestation failed: Rekor refused the entry');
  });
});

describe('the first file of a new release goes alone', () => {
  it('the other files of the release start only once it is on the index', async () => {
    const dir = await release('sample', (d) => buildWheel(d, { name: 'sample', version: '1.0.0', tag: 'py2-none-any' }));
    const r = await runEngine(dir);
    assert.equal(r.result.failure, undefined);
    const uploads = r.index.events.filter((e) => e.startsWith('start') || e.startsWith('end'));
    assert.equal(uploads[0]?.replace('start', 'end'), uploads[1], `the first upload ends before any other starts: ${uploads.join(', ')}`);
  });

  it('a 1.0 wheel beside a 1.0.0 sdist is ONE release: only one first file goes alone', async () => {
    const dir = await scratchDir('engine-');
    await buildWheel(dir, { name: 'canon', version: '1.0' });
    await buildSdist(dir, { name: 'canon', version: '1.0.0' });
    await buildWheel(dir, { name: 'canon', version: '1.0', tag: 'py2-none-any' });
    const r = await runEngine(dir);
    assert.equal(r.result.failure, undefined, r.result.failure?.message);
    const uploads = r.index.events.filter((e) => e.startsWith('start') || e.startsWith('end'));
    assert.equal(uploads.length, 6);
    assert.equal(uploads[0]?.replace('start', 'end'), uploads[1], `one first file, uploaded alone: ${uploads.join(', ')}`);
    assert.ok(uploads[2]?.startsWith('start') && uploads[3]?.startsWith('start'), `then the other two at once: ${uploads.join(', ')}`);
  });

  it('when it fails, the rest of its release is not attempted; another release goes on', async () => {
    const dir = await release('sample', (d) => buildWheel(d, { name: 'other', version: '2.0' }));
    const r = await runEngine(dir, {
      index: { onUpload: (f) => (f === 'sample-1.0.0-py3-none-any.whl' ? { status: 400, message: 'Invalid value for classifiers' } : undefined) },
    });
    assert.equal(r.status['sample-1.0.0-py3-none-any.whl'], 'failed');
    assert.equal(r.status['sample-1.0.0.tar.gz'], 'not-attempted');
    assert.equal(r.reason['sample-1.0.0.tar.gz'], 'held back: the first file of this new release (sample-1.0.0-py3-none-any.whl) failed');
    assert.equal(r.result.files.find((f) => f.filename === 'sample-1.0.0.tar.gz')?.heldBack, true);
    assert.equal(r.status['other-2.0-py3-none-any.whl'], 'uploaded');
    assert.match(r.result.failure?.message ?? '', /2 of 3 file\(s\) were not published/);
  });

  it('a release the index already lists is not waited on', async () => {
    const dir = await release();
    const r = await runEngine(dir, { index: { listed: { sample: [{ filename: 'sample-1.0.0.tar.gz', sha256: 'f'.repeat(64) }] } } });
    const uploads = r.index.events.filter((e) => e.startsWith('start') || e.startsWith('end'));
    assert.ok(uploads[0]?.startsWith('start') && uploads[1]?.startsWith('start'), `both at once: ${uploads.join(', ')}`);
  });
});

describe('the upload token', () => {
  it('is minted again, with a fresh JWT, when it ages during the uploads', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const dir = await release('sample', (d) => buildWheel(d, { name: 'sample', version: '1.0.0', tag: 'py2-none-any' }));
    // The first upload takes 11 minutes: the token (15 min, renewed 5 min ahead) must be renewed.
    const r = await runEngine(dir, { config: { uploadConcurrency: 1 }, index: { onUpload: (_f, n) => void (n === 0 && t.mock.timers.tick(11 * 60_000)) } });
    assert.equal(r.result.failure, undefined, r.result.failure?.message);
    assert.equal(r.index.tokens.length, 2, 'one re-mint');
    assert.deepEqual(
      r.index.uploads.map((u) => u.authorization.split(':')[1]),
      ['pypi-fake-token-0', 'pypi-fake-token-1', 'pypi-fake-token-1'],
    );
    assert.equal(new Set(r.identity.audiences.filter((a) => a === 'pypi')).size, 1);
    assert.equal(r.identity.audiences.length, 2, 'a fresh JWT for the second mint');
  });

  it("a refused exchange stops the run before any signature, with the index's words in the summary", async () => {
    const refusal = {
      status: 422,
      body: JSON.stringify({
        message: 'Token request failed',
        errors: [{ code: 'invalid-publisher', description: 'valid token, but no corresponding publisher' }],
      }),
    };
    const r = await runEngine(await release(), { index: { mint: () => refusal } });
    assert.match(r.result.failure?.message ?? '', /Trusted publishing exchange failure/);
    assert.match(r.runtime.summary, /invalid-publisher/);
    assert.equal(r.sigstore.certificates, 0, 'no certificate for a refused exchange');
    assert.equal(r.index.uploads.length, 0);
    // Reasons of any JSON shape read as text: an object naming its own toString is written as JSON.
    const odd = { status: 422, body: JSON.stringify({ errors: [{ code: { toString: 1 }, description: ['x'] }] }) };
    const oddly = await runEngine(await release(), { index: { mint: () => odd } });
    assert.match(oddly.result.failure?.message ?? '', /Trusted publishing exchange failure: Token request failed[\s\S]*\* `\{"toString":1\}`: \["x"\]/);
  });

  it('the index refusing the credentials stops the remaining uploads', async () => {
    const dir = await release('sample', (d) => buildWheel(d, { name: 'other', version: '2.0' }));
    const r = await runEngine(dir, {
      config: { uploadConcurrency: 1 },
      index: { onUpload: () => ({ status: 403, message: 'Invalid or non-existent authentication information.' }) },
    });
    assert.equal(r.index.uploads.length, 1, 'one refusal, then no more tries');
    assert.deepEqual(Object.values(r.status).sort(), ['failed', 'not-attempted', 'not-attempted']);
    // The first file of each release goes first: the other release's is stopped by the refusal.
    assert.match(r.reason['sample-1.0.0-py3-none-any.whl'] ?? '', /^held back: the index refused the credentials \(403 Invalid or non-existent/);
    assert.equal(r.status['other-2.0-py3-none-any.whl'], 'failed');
    assert.match(r.runtime.summary, /owner, repository, workflow file name and environment must match this job/);
  });

  it("a GitLab job refused the credentials is pointed at GitLab's publisher fields, not GitHub's", async () => {
    const publisher = { kind: 'gitlab' as const, repository: 'octo-group/sampleproject', workflow: '.gitlab-ci.yml' };
    const r = await runEngine(await release(), {
      gitlab: { publisher },
      index: { onUpload: () => ({ status: 403, message: 'Invalid or non-existent authentication information.' }) },
    });
    const advice = r.runtime.lines.find((l) => l.startsWith('What to do:')) ?? '';
    assert.match(advice, /namespace, project name, top-level pipeline file path and environment must match this job/);
    assert.doesNotMatch(`${advice}\n${r.runtime.summary}`, /workflow file name/);
  });
});

describe('files the index already has', () => {
  it('the same bytes listed: already present, not sent again', async () => {
    const dir = await release();
    const first = await runEngine(dir);
    const listed = first.result.files.map((f) => ({ filename: f.filename, sha256: f.sha256 as string }));
    const again = await runEngine(dir, { index: { listed: { sample: listed } } });
    assert.equal(again.result.failure, undefined);
    assert.deepEqual(Object.values(again.status), ['already-present', 'already-present']);
    assert.equal(again.index.uploads.length, 0);
  });

  it('"File already exists": skipped with skip-existing, a failure without it', async () => {
    const exists = { onUpload: () => ({ status: 400, message: "File already exists ('sample-1.0.0.tar.gz', with blake2_256 hash 'x')." }) };
    const skipped = await runEngine(await release(), { config: { skipExisting: true }, index: exists });
    assert.equal(skipped.result.failure, undefined);
    assert.deepEqual(Object.values(skipped.status), ['skipped', 'skipped']);
    const failed = await runEngine(await release(), { index: exists });
    assert.equal(failed.status['sample-1.0.0-py3-none-any.whl'], 'failed');
    assert.match(failed.reason['sample-1.0.0-py3-none-any.whl'] ?? '', /Set `skip-existing: true`/);
  });

  it("skip-existing, and the index holds other bytes under the name: skipped (differs), never reported as this build's", async () => {
    const other = { filename: 'sample-1.0.0.tar.gz', sha256: 'e'.repeat(64) };
    const exists = {
      onUpload: (f: string) => (f === other.filename ? { status: 400, message: "File already exists ('sample-1.0.0.tar.gz')." } : undefined),
      listed: { sample: [other] },
    };
    const r = await runEngine(await release(), { config: { skipExisting: true }, index: exists });
    assert.equal(r.result.failure, undefined);
    const row = r.result.files.find((f) => f.filename === other.filename);
    assert.equal(row?.status, 'skipped');
    assert.equal(row?.indexSha256, other.sha256);
    assert.equal(row?.provenanceUrl, undefined);
    assert.ok(r.runtime.lines.some((l) => l.includes('skipped (differs)')));
  });

  it("another index's 409: a failure without skip-existing, skipped with it, as twine skips it", async () => {
    const conflict = { onUpload: () => ({ status: 409, message: 'Conflict' }) };
    const refused = await runEngine(await release(), { index: conflict });
    assert.equal(refused.status['sample-1.0.0-py3-none-any.whl'], 'failed');
    assert.match(refused.reason['sample-1.0.0-py3-none-any.whl'] ?? '', /^409 Conflict\. Set `skip-existing: true`/);
    const skipped = await runEngine(await release(), { config: { skipExisting: true }, index: conflict });
    assert.equal(skipped.result.failure, undefined);
    assert.deepEqual(Object.values(skipped.status), ['skipped', 'skipped']);
  });

  it('a 403 in words nobody knows, of a file the index lists: an existing file, not refused credentials', async () => {
    const other = { filename: 'sample-1.0.0.tar.gz', sha256: 'e'.repeat(64) };
    const words = 'Not enough permissions to delete/overwrite all artifacts under sample-1.0.0.tar.gz';
    const index = { onUpload: (f: string) => (f === other.filename ? { status: 403, message: words } : undefined), listed: { sample: [other] } };
    const skipped = await runEngine(await release(), { config: { skipExisting: true }, index });
    assert.equal(skipped.result.failure, undefined);
    assert.deepEqual(skipped.result.files.map((f) => f.status).sort(), ['skipped', 'uploaded']);
    const refused = await runEngine(await release(), { index });
    assert.equal(refused.status['sample-1.0.0.tar.gz'], 'failed');
    assert.match(
      refused.reason['sample-1.0.0.tar.gz'] ?? '',
      /^403 .*all artifacts.*\(the index holds a different file under this name\)\. Set `skip-existing: true`/,
    );
    // Not listed: the same words are the index refusing the credentials, and the rest stops.
    const unlisted = await runEngine(await release(), { config: { skipExisting: true }, index: { onUpload: () => ({ status: 403, message: words }) } });
    assert.deepEqual(Object.values(unlisted.status), ['failed', 'not-attempted']);
  });
});

describe('a reusable workflow', () => {
  it('publishes without attestations, explains why, and loads no Sigstore', async () => {
    const claims = { ...CLAIMS, job_workflow_ref: 'octo-org/shared/.github/workflows/publish.yml@refs/heads/main' };
    const r = await runEngine(await release(), { claims });
    assert.equal(r.result.failure, undefined);
    assert.equal(r.sigstore.loads, 0);
    assert.ok(r.runtime.lines.some((l) => l.startsWith('warning: Attestations skipped: reusable workflow')));
    assert.ok(r.index.uploads.every((u) => !u.attestations));
  });

  it('is warned of whatever the mint answers, with attestations or not, as the incumbent warns', async () => {
    // PyPI matches the publisher on the called workflow: a refusal is what such a job most often meets.
    const claims = { ...CLAIMS, job_workflow_ref: 'octo-org/shared/.github/workflows/publish.yml@refs/heads/main' };
    const refusal = {
      status: 422,
      body: JSON.stringify({ message: 'Token request failed', errors: [{ code: 'invalid-publisher', description: 'no publisher' }] }),
    };
    const refused = await runEngine(await release(), { claims, index: { mint: () => refusal } });
    assert.match(refused.result.failure?.message ?? '', /invalid-publisher/);
    const warning = refused.runtime.summary.indexOf('this job runs in a reusable workflow');
    assert.ok(warning >= 0 && warning < refused.runtime.summary.indexOf('invalid-publisher'), refused.runtime.summary);
    assert.ok(refused.runtime.lines.some((l) => l.startsWith('warning: Attestations skipped: reusable workflow')));

    const plain = await runEngine(await release(), { claims, config: { attestations: false } });
    assert.equal(plain.result.failure, undefined);
    assert.ok(
      plain.runtime.lines.some((l) =>
        l.startsWith('warning: Potential workflow misconfiguration: Potential workflow misconfiguration: this job runs in a reusable workflow'),
      ),
      plain.runtime.lines.join('\n'),
    );
    assert.match(plain.runtime.summary, /PyPI matches Trusted Publishers on the called workflow\.\nReusable workflows are \*\*not currently supported\*\*/);
    assert.doesNotMatch(plain.runtime.summary, /without attestations/);
  });
});

describe('the report is written in every ending', () => {
  it('a trust root that cannot be loaded: every file in the report, the summary and the outputs', async () => {
    const r = await runEngine(await release(), {
      sigstore: { loadError: new Error("cannot fetch Sigstore's trusted root from its TUF repository: ECONNREFUSED") },
    });
    assert.match(r.result.failure?.message ?? '', /Attestation failed for 2 file\(s\)/);
    for (const f of r.result.files) assert.match(f.reason ?? '', /^attestation failed: Sigstore could not be set up: cannot fetch Sigstore's trusted root/);
    assert.equal(r.index.uploads.length, 0);
    assert.equal(JSON.parse(r.runtime.outputs['results'] ?? '[]').length, 2);
    assert.match(r.runtime.summary, /failed/);
  });

  it('an error nobody expected: the run fails with it, each unfinished file says the run stopped', async () => {
    const r = await runEngine(await release(), {
      onNotice: () => {
        throw new Error('the runner went away');
      },
    });
    assert.equal(r.result.failure?.message, 'the runner went away');
    for (const f of r.result.files) assert.equal(f.reason, 'the run stopped: the runner went away');
    assert.equal(r.runtime.outputs['all-published'], 'false');
    assert.match(r.runtime.summary, /the runner went away/);
  });

  it('no dists: a failure that says so, in the summary too', async () => {
    const r = await runEngine(await scratchDir('engine-empty-'));
    assert.match(r.result.failure?.message ?? '', /No distributions \(\*\.whl, \*\.tar\.gz, \*\.zip\) found/);
    assert.match(r.runtime.summary, /No distributions/);
  });

  it('a partial failure: the files that made it, the one that did not, and how to finish', async () => {
    const r = await runEngine(await release(), {
      index: { onUpload: (f) => (f.endsWith('.tar.gz') ? { status: 500, message: 'Internal Server Error' } : undefined) },
    });
    assert.equal(r.status['sample-1.0.0-py3-none-any.whl'], 'uploaded');
    assert.equal(r.status['sample-1.0.0.tar.gz'], 'failed');
    assert.equal(r.result.failure?.message, '1 of 2 file(s) were not published:\n- sample-1.0.0.tar.gz: 500 Internal Server Error');
    assert.equal(r.result.failure?.title, 'Upload failed');
  });
});

describe("another index decides what it takes: PyPI's own rules are warnings there", () => {
  const privateRelease = async () => {
    const dir = await scratchDir('engine-');
    // A linux_x86_64 wheel and the classifier that keeps a private project off PyPI: both PyPI's refusals.
    await buildWheel(dir, { name: 'internal', version: '1.0.0', tag: 'cp312-cp312-linux_x86_64', metadata: { Classifier: 'Private :: Do Not Upload' } });
    return dir;
  };
  const other = { mode: 'password' as const, user: 'ci', password: 'hunter2-password', attestations: false };

  it('sent to a private index, with a warning that names what PyPI would refuse', async () => {
    const r = await runEngine(await privateRelease(), { config: { ...other, repositoryUrl: new URL('https://devpi.example/root/dev/') } });
    assert.equal(r.result.failure, undefined, r.result.failure?.message);
    assert.equal(r.index.uploads.length, 1);
    const warned = r.runtime.lines.filter((l) => l.startsWith('warning: ') && l.includes('PyPI would refuse this file:'));
    assert.ok(
      warned.some((l) => /unsupported platform tag 'linux_x86_64'.*devpi\.example is not PyPI, so the file is sent and that index decides/.test(l)),
      warned.join('\n'),
    );
    assert.ok(
      warned.some((l) => l.includes('Private :: Do Not Upload')),
      warned.join('\n'),
    );
  });

  it('refused for PyPI, and for an index on this machine (a PyPI stand-in)', async () => {
    for (const url of ['https://upload.pypi.org/legacy/', 'http://127.0.0.1:9/legacy/']) {
      const r = await runEngine(await privateRelease(), { config: { ...other, mode: 'api-token', password: 'pypi-AgEI', repositoryUrl: new URL(url) } });
      assert.equal(r.index.uploads.length, 0, url);
      assert.match(r.reason['internal-1.0.0-cp312-cp312-linux_x86_64.whl'] ?? '', /unsupported platform tag/, url);
    }
  });

  it('a Name of UNKNOWN goes to another index (only PyPI takes it for none), and a host that only mentions pypi.org is another index', async () => {
    const dir = await scratchDir('engine-');
    await buildWheel(dir, { name: 'UNKNOWN', version: '1.0.0' });
    for (const url of ['https://devpi.example/root/dev/', 'https://pypi.organization.example/legacy/']) {
      // A token: a password is refused wherever the URL names pypi.org, as the incumbent refuses it.
      const r = await runEngine(dir, { config: { ...other, mode: 'api-token', user: '__token__', password: 'pypi-AgEI', repositoryUrl: new URL(url) } });
      assert.equal(r.index.uploads.length, 1, `${url}: ${r.result.failure?.message}`);
      assert.ok(
        r.runtime.lines.some((l) => l.startsWith('warning: ') && l.includes('is an invalid value for Name')),
        url,
      );
    }
  });

  it('one content under two names goes to another index, which decides', async () => {
    const dir = await scratchDir('engine-');
    const wheel = await buildWheel(dir, { name: 'internal', version: '1.0.0' });
    await copyFile(wheel, join(dir, 'internal-1.0.0-py2.py3-none-any.whl'));
    const r = await runEngine(dir, { config: { ...other, repositoryUrl: new URL('https://devpi.example/root/dev/') } });
    assert.equal(r.index.uploads.length, 2, r.result.failure?.message);
    assert.ok(r.runtime.lines.some((l) => l.startsWith('warning: ') && l.includes('has the same content as')));
  });

  it('what no index can take stays an error there: a Version that is no version', async () => {
    const dir = await scratchDir('engine-');
    await buildWheel(dir, { name: 'internal', version: '1.0.0', metadata: { Version: 'not a version' } });
    const r = await runEngine(dir, { config: { ...other, repositoryUrl: new URL('https://devpi.example/root/dev/') } });
    assert.equal(r.index.uploads.length, 0);
    assert.match(r.result.failure?.message ?? '', /not a version/);
  });
});

describe('with a password, print-hash and a large dist', () => {
  it("the large dist's SHA-256 arrives after its checks and is in the report; the hash block precedes it", async () => {
    const dir = await scratchDir('engine-large-');
    await buildWheel(dir, { name: 'big', version: '1.0', files: { 'big/blob.bin': randomBytes(WHOLE_READ_MAX + 1024) } });
    await buildWheel(dir, { name: 'small', version: '1.0' });
    const r = await runEngine(dir, { config: { mode: 'password', user: 'me', password: 'hunter2-password', attestations: false, printHash: true } });
    assert.equal(r.result.failure, undefined, r.result.failure?.message);
    assert.ok(!r.index.events.includes('mint'));
    assert.ok(r.index.uploads.every((u) => u.authorization === 'me:hunter2-password'));
    for (const f of r.result.files) assert.match(f.sha256 ?? '', /^[0-9a-f]{64}$/, f.filename);
    const block = r.runtime.lines.findIndex((l) => l.startsWith('Showing hash values'));
    const table = r.runtime.lines.findIndex((l) => l.startsWith('Results for'));
    assert.ok(block >= 0 && block < table, 'the hash block is printed before the report');
    assert.doesNotMatch(r.runtime.lines[block] ?? '', /\(unavailable\)/);
  });

  it('an API token for PyPI itself: nudged toward a Trusted Publisher', async () => {
    const r = await runEngine(await release(), {
      config: { mode: 'api-token', password: 'pypi-AgEIcHlwaS5vcmc', attestations: false, repositoryUrl: new URL('https://upload.pypi.org/legacy/') },
    });
    assert.ok(
      r.runtime.lines.some((l) => l.startsWith('warning: Create a Trusted Publisher')),
      r.runtime.lines.join('\n'),
    );
  });

  it('an API token for PyPI itself: nudged also when a dist fails its checks, as the incumbent nudges before them', async () => {
    const dir = await scratchDir('engine-');
    await buildWheel(dir, { name: 'sample', version: '1.0.0', tag: 'cp312-cp312-linux_x86_64' });
    const r = await runEngine(dir, {
      config: { mode: 'api-token', password: 'pypi-AgEIcHlwaS5vcmc', attestations: false, repositoryUrl: new URL('https://upload.pypi.org/legacy/') },
    });
    assert.match(r.result.failure?.message ?? '', /unsupported platform tag/);
    assert.ok(r.runtime.lines.some((l) => l.startsWith('warning: Create a Trusted Publisher') && l.includes('/manage/project/sample/settings/publishing/')));
  });

  it("a password for PyPI itself: refused as the incumbent refuses it, with the publisher links of the dists' projects", async () => {
    const dir = await release('sample', (d) => buildWheel(d, { name: 'Other.Project', version: '2.0' }));
    const r = await runEngine(dir, {
      config: { mode: 'password', user: 'alice', password: 'hunter2', attestations: false, repositoryUrl: new URL('https://upload.pypi.org/legacy/') },
    });
    assert.equal(r.result.failure?.title, 'Password-based uploads disabled');
    assert.match(r.result.failure?.message ?? '', /^As of 2024, PyPI requires all users to enable Two-Factor Authentication/);
    assert.equal(r.index.uploads.length, 0);
    assert.ok(!r.index.events.includes('mint'));
    const nudge = r.runtime.lines.find((l) => l.startsWith('warning: Create a Trusted Publisher')) ?? '';
    for (const project of ['sample', 'other-project'])
      assert.match(nudge, new RegExp(`https://pypi\\.org/manage/project/${project}/settings/publishing/\\?provider=github&`));
    assert.match(r.runtime.summary, /A new Trusted Publisher for the currently running publishing workflow can be created/);
    // The report names the release it did not send, file by file.
    assert.doesNotMatch(r.runtime.summary, /No distributions/);
    assert.match(r.runtime.summary, /\*\*Password-based uploads disabled\.\*\* As of 2024/);
    assert.deepEqual(Object.values(r.status), ['not-attempted', 'not-attempted', 'not-attempted']);
  });
});
