// The verify action under nektos/act in host mode, against the world: a consumer's repository with a
// pylock.toml and a workflow that uses the action (verify/action.yml + dist/, vendored the way a
// checkout of this repository lays them out: main is ../dist/verify.js). A lock whose recorded
// publisher matches passes; one recording another publisher fails the job.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commitRepository, runAct } from '../../test/helpers/act.ts';
import { pipLock, publishGroup } from '../../test/helpers/verify.ts';
import { startWorld, type World } from '../../test/helpers/world.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const WORKFLOW = `name: verify
on: push
jobs:
  verify:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Verify the lock file
        id: verify
        uses: ./.github/actions/pypi/verify
        with:
          lock-file: \${{ env.LOCK_FILE }}
          index-url: \${{ env.WORLD_PYPI_SIMPLE_URL }}
      - name: Outputs
        if: always()
        run: echo "verified=\${{ steps.verify.outputs.verified }} failed=\${{ steps.verify.outputs.failed }}"
`;

describe('the verify action under nektos/act (host mode)', () => {
  let world: World;
  let tmp: string;
  let repo: string;

  before(async () => {
    const setup = spawnSync('bash', [join(ROOT, 'scripts/setup-act.sh')], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(setup.status, 0, `scripts/setup-act.sh failed:\n${setup.stdout}${setup.stderr}`);
    for (const f of ['verify/action.yml', 'dist/verify.js']) assert.ok(existsSync(join(ROOT, f)), `${f} missing (build with node scripts/build.mjs)`);
    world = await startWorld();
    await publishGroup(world, { releases: [{ name: 'alpha', version: '1.0.0' }] });

    tmp = await mkdtemp(join(tmpdir(), 'act-verify-'));
    repo = join(tmp, 'consumer-app');
    const vendored = join(repo, '.github/actions/pypi');
    await mkdir(join(repo, '.github/workflows'), { recursive: true });
    await mkdir(join(vendored, 'verify'), { recursive: true });
    await cp(join(ROOT, 'verify/action.yml'), join(vendored, 'verify/action.yml'));
    await cp(join(ROOT, 'dist'), join(vendored, 'dist'), { recursive: true });
    await writeFile(join(repo, '.github/workflows/verify.yml'), WORKFLOW);
    const lock = await readFile(await pipLock(world, ['alpha==1.0.0']), 'utf8');
    await writeFile(join(repo, 'pylock.toml'), lock);
    // The same lock, recording a publisher the index's provenance does not name.
    const other = lock.replace(
      /(\[\[packages\]\]\nname = "alpha"\nversion = "1\.0\.0"\n)/,
      '$1\n[[packages.attestation-identities]]\nkind = "GitHub"\nrepository = "someone/else"\nworkflow = "release.yml"\n',
    );
    assert.notEqual(other, lock);
    await writeFile(join(repo, 'pylock.other.toml'), other);
    await writeFile(
      join(tmp, 'event.json'),
      JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'octo-org/consumer-app', default_branch: 'main' } }),
    );
    commitRepository(repo, 'octo-org/consumer-app', 'lock');
  });

  after(async () => {
    await world?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const act = (lockFile: string) =>
    runAct({
      repo,
      tmp,
      workflow: '.github/workflows/verify.yml',
      event: join(tmp, 'event.json'),
      timeoutMs: 180_000,
      extra: { ...world.env, WORLD_PYPI_SIMPLE_URL: `${world.env['WORLD_PYPI_URL']}/simple/`, LOCK_FILE: lockFile },
    });

  test('a lock whose files verify: the job succeeds, with the verdicts in the log and outputs', async () => {
    const run = await act('pylock.toml');
    assert.equal(run.timedOut, false, `act timed out:\n${run.output}`);
    assert.deepEqual(run.stragglers, [], 'processes of the act run outlived it');
    assert.equal(run.code, 0, `act failed:\n${run.output}`);
    assert.doesNotMatch(run.output, /Start image=/, 'act must not start a container in host mode');
    assert.match(run.output, /verified +alpha-1\.0\.0-py3-none-any\.whl +\(GitHub octo-org\/sampleproject \(release\.yml\)\)/);
    assert.match(run.output, /✅\s+Success - Main Verify the lock file/);
    assert.match(run.output, /verified=1 failed=0/);
  });

  test('a lock recording another publisher: identity differs, the job fails', async () => {
    const run = await act('pylock.other.toml');
    assert.equal(run.timedOut, false, `act timed out:\n${run.output}`);
    assert.deepEqual(run.stragglers, []);
    assert.notEqual(run.code, 0, run.output);
    assert.match(
      run.output,
      /identity differs +alpha-1\.0\.0-py3-none-any\.whl +\(expected GitHub someone\/else \(release\.yml\), found GitHub octo-org\/sampleproject \(release\.yml\)\)/,
    );
    assert.match(run.output, /❌\s+Failure - Main Verify the lock file/);
    assert.match(run.output, /verified=0 failed=1/);
  });
});
