// Trusted Publishing as a maintainer meets it when something is wrong: each failure class rendered
// as the incumbent renders it, nothing signed or sent; and the reusable-workflow case caught before
// signing, published without attestations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertRunVerified } from '../../test/helpers/verifiers.ts';
import { logShape } from '../../test/helpers/log-groups.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { pypiWorldForSuite } from '../../test/helpers/suite-world.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

const runs: ActionRun[] = [];
const suite = pypiWorldForSuite(runs);

async function workspaceWith(project: string): Promise<string> {
  const ws = await scratchDir('tp-');
  await buildWheel(join(ws, 'dist'), { name: project, version: '1.0.0' });
  return ws;
}

async function publish(project: string, env: Record<string, string | undefined> = {}, event?: unknown): Promise<ActionRun> {
  const cwd = await workspaceWith(project);
  const r = await runAction({
    cwd,
    inputs: { 'repository-url': suite.pypi.uploadUrl },
    env: { ...suite.world.env, ...env },
    event,
  });
  runs.push(r);
  await assertRunVerified(suite.world, cwd, r);
  return r;
}

/** The run's ::error annotations, decoded as the runner shows them. */
function logErrors(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::error'))
    .map((l) =>
      l
        .slice(l.indexOf('::', 2) + 2)
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%'),
    );
}

/** A Trusted Publishing failure is in the log once, as complete as the incumbent prints it, outside every fold. */
function oneExchangeError(stdout: string): string {
  const shape = logShape(stdout);
  assert.deepEqual(shape.faults, [], stdout);
  // The exchange is the last stage that ran (the hash block is printed whatever happened).
  assert.match(shape.groups.filter((g) => !g.startsWith('Hashes')).at(-1) ?? '', /^Trusted Publishing exchange with /, shape.groups.join('\n'));
  assert.equal(logErrors(shape.outside.join('\n')).length, 1, 'the error is outside the groups');
  const errors = logErrors(stdout);
  assert.equal(errors.length, 1, `one error, printed once:\n${errors.join('\n---\n')}`);
  assert.match(errors[0]!, /^Trusted publishing exchange failure: /);
  return errors[0]!;
}

/** What a refused exchange must never do: sign or upload. */
async function assertNothingSent(project: string, fulcioBefore: number) {
  assert.equal(await fulcioCalls(), fulcioBefore, 'nothing was signed');
  assert.deepEqual(await suite.pypi.files(project), []);
}

async function fulcioCalls(): Promise<number> {
  return (await suite.world.stats('fulcio')).requests['POST /api/v2/signingCert'] ?? 0;
}

const refusals: Array<{
  name: string;
  publisher: Record<string, string>;
  claims?: Record<string, string | null>;
  preset?: string;
  code: string;
  description: RegExp;
}> = [
  // Warehouse looks publishers up by owner id too, so a resurrected account finds none.
  {
    name: 'wrong repository_owner_id',
    publisher: {},
    claims: { repository_owner_id: '666' },
    code: 'invalid-publisher',
    description: /Publisher with matching claims was not found/,
  },
  { name: 'another workflow file', publisher: { workflow_filename: 'publish.yml' }, code: 'invalid-publisher', description: /no corresponding publisher/ },
  {
    name: 'environment mismatch',
    publisher: { environment: 'pypi' },
    claims: { environment: 'staging' },
    code: 'invalid-publisher',
    description: /environment/,
  },
  { name: 'pull_request_target', publisher: {}, preset: 'pull-request-target', code: 'invalid-publisher', description: /pull_request_target/ },
];

for (const [i, c] of refusals.entries()) {
  test(`refused exchange: ${c.name} → the index's code and description, the claims dump, nothing sent`, async () => {
    const project = `refused-${i}`;
    // Each case has its own repository, so no other test's publisher can match its token.
    const repository = `octo-org/${project}`;
    await suite.pypi.trust({ project, repository, ...c.publisher });
    const token = await suite.world.scenario({ repository, ...c.claims }, c.preset);
    const before = await fulcioCalls();
    const r = await publish(project, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: token });
    assert.equal(r.code, 1);
    assert.match(r.summary, /Trusted publishing exchange failure:/);
    assert.match(r.summary, /Token request failed: the server refused the request for the following reasons:/);
    assert.match(r.summary, new RegExp(`\\* \`${c.code}\`: `));
    assert.match(r.summary, c.description);
    assert.match(r.summary, /for debugging purposes only/);
    assert.match(r.summary, /\* `repository_owner_id`: `/);
    assert.match(r.summary, new RegExp(`\\* \`job_workflow_ref\`: \`${repository}/\\.github/workflows/`));
    // The log has all of it too: what users search for and paste into issues.
    const logged = oneExchangeError(r.stdout);
    assert.match(logged, /Token request failed: the server refused the request for the following reasons:\n\n\* `/);
    assert.match(logged, new RegExp(`\\* \`${c.code}\`: `));
    assert.match(logged, c.description);
    assert.match(logged, /This generally indicates a trusted publisher configuration error, but could\nalso indicate/);
    assert.match(logged, /for debugging purposes only/);
    for (const claim of ['sub', 'repository', 'repository_owner', 'repository_owner_id', 'workflow_ref', 'job_workflow_ref', 'ref', 'environment']) {
      assert.match(logged, new RegExp(`^\\* \`${claim}\`: \``, 'm'), `claim ${claim} in the log`);
    }
    assert.match(logged, new RegExp(`\\* \`job_workflow_ref\`: \`${repository}/\\.github/workflows/`));
    assert.match(logged, /https:\/\/docs\.pypi\.org\/trusted-publishers\/troubleshooting\//);
    assert.equal(r.results[0]?.status, 'not-attempted');
    await assertNothingSent(project, before);
  });
}

test('no id-token permission → the id-token: write explanation', async () => {
  await suite.pypi.trust({ project: 'no-permission' });
  const before = await fulcioCalls();
  const r = await publish('no-permission', { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined });
  assert.equal(r.code, 1);
  assert.match(r.summary, /OpenID Connect token retrieval failed/);
  assert.match(r.summary, /id-token: write/);
  const logged = oneExchangeError(r.stdout);
  // The incumbent's words first (its `id` library's): what users search for.
  assert.match(
    logged,
    /OpenID Connect token retrieval failed: GitHub: missing or insufficient OIDC token permissions, the ACTIONS_ID_TOKEN_REQUEST_TOKEN environment variable was unset\./,
  );
  assert.match(logged, /Make sure that your workflow has `id-token: write` configured\nat the job level/);
  await assertNothingSent('no-permission', before);
});

test('a fork pull request gets the fork explanation', async () => {
  await suite.pypi.trust({ project: 'fork-pr' });
  const r = await publish(
    'fork-pr',
    { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined, GITHUB_EVENT_NAME: 'pull_request' },
    { pull_request: { head: { repo: { fork: true } } } },
  );
  assert.equal(r.code, 1);
  assert.match(r.summary, /called from a\npull request on a fork/);
  assert.match(r.summary, /tag or release\ncreation/);
  const logged = oneExchangeError(r.stdout);
  assert.match(logged, /pull request on a fork\. GitHub doesn't give these workflows OIDC permissions,\neven if `id-token: write` is explicitly configured\./);
  assert.match(logged, /tag or release\ncreation/);
});

test('an index without Trusted Publishing (audience 404) is named as such', async () => {
  const ws = await workspaceWith('no-tp');
  // The OIDC issuer's own port answers 404 for /_/oidc/audience: an index that has no TP support.
  const r = await runAction({ cwd: ws, inputs: { 'repository-url': `${suite.world.env['WORLD_OIDC_URL']}/legacy/` }, env: suite.world.env });
  runs.push(r);
  assert.equal(r.code, 1);
  assert.match(r.summary, /audience retrieval failed: repository at 127\.0\.0\.1:\d+ does not indicate trusted publishing support/);
});

test('reusable workflow: caught before signing, explained, published without attestations', async () => {
  await suite.pypi.trust({ project: 'reusable', workflow_filename: 'reusable-publish.yml' });
  const token = await suite.world.scenario({}, 'reusable-workflow');
  const before = await fulcioCalls();
  const r = await publish('reusable', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: token });
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /::warning title=Attestations skipped%3A reusable workflow::/);
  assert.match(r.summary, /reusable workflow/);
  assert.match(r.summary, /reusable-publish\.yml/);
  assert.equal(await fulcioCalls(), before, 'no certificate was requested');
  const files = await suite.pypi.files('reusable');
  assert.equal(files.length, 1);
  assert.equal(files[0]?.has_provenance, false);
  assert.equal(r.results[0]?.status, 'uploaded');
  assert.equal(r.results[0]?.attestation, null);
});

test('environment publisher: matching environment publishes with attestations', async () => {
  await suite.pypi.trust({ project: 'with-env', environment: 'pypi' });
  const token = await suite.world.scenario({}, 'environment');
  const r = await publish('with-env', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: token });
  assert.equal(r.code, 0, r.stdout);
  const files = await suite.pypi.files('with-env');
  assert.equal(files[0]?.has_provenance, true);
});

// #15 item 11: the Sigstore stack fails to load after the exchange succeeded (here a trust config
// with no trusted root; in production, TUF unreachable, which fails the same services.sigstore()).
test('a trust root that cannot be loaded: every file in the report, the results and the summary; nothing sent', async () => {
  await suite.pypi.trust({ project: 'no-trust-root' });
  const broken = join(await scratchDir('trust-'), 'trust_config.json');
  await writeFile(broken, JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json' }));
  const before = await fulcioCalls();
  const r = await publish('no-trust-root', { PYPI_PUBLISH_TRUST_CONFIG: broken });
  assert.equal(r.code, 1, r.stdout);
  assert.equal(r.results.length, 1, `results output: ${r.outputs['results']}`);
  assert.equal(r.results[0]?.status, 'not-attempted');
  assert.match(r.results[0]?.reason ?? '', /^attestation failed: Sigstore could not be set up: /);
  assert.ok(r.results[0]?.reason?.includes(broken), 'the reason names the trust config');
  assert.match(r.summary, /nothing published to /);
  assert.match(r.summary, /no_trust_root-1\.0\.0-py3-none-any\.whl/);
  assert.match(r.stdout, /Results for /);
  await assertNothingSent('no-trust-root', before);
});
