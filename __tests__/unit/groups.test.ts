// folded(): a stage's log is folded under its title, and the group is closed however the stage ends,
// so a failure's error (printed by the report, after the stages) is never hidden in a fold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { folded, type Logger } from '../../src/engine/runtime.ts';

function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const say = (m: string) => void lines.push(m);
  return {
    lines,
    log: {
      info: say,
      debug: say,
      notice: say,
      warning: say,
      error: say,
      startGroup: (t) => void lines.push(`::group::${t}`),
      endGroup: () => void lines.push('::endgroup::'),
    },
  };
}

test('a stage is folded under its title and its group is closed when it ends', async () => {
  const { log, lines } = recorder();
  assert.equal(await folded(log, 'Uploads', async () => (log.info('POST … -> 200'), 7)), 7);
  assert.deepEqual(lines, ['::group::Uploads', 'POST … -> 200', '::endgroup::']);
});

test('a stage that throws still closes its group', async () => {
  const { log, lines } = recorder();
  await assert.rejects(
    folded(log, 'Signing and verification', async () => {
      throw new Error('no certificate');
    }),
    /no certificate/,
  );
  assert.deepEqual(lines, ['::group::Signing and verification', '::endgroup::']);
});

test('a host that cannot fold is not asked to', async () => {
  const lines: string[] = [];
  const plain: Logger = { info: (m) => void lines.push(m), debug: () => {}, notice: () => {}, warning: () => {}, error: () => {} };
  await folded(plain, 'Checks', async () => plain.info('checked'));
  assert.deepEqual(lines, ['checked']);
});
