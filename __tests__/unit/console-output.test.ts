// What the CLI prints (src/cli/console-runtime.ts, `check`, `verify`): a GitHub runner that runs the CLI
// reads every printed line for workflow commands, so no text from a dist, a lock or an index may form
// one, in the log lines, the annotations, the outputs or the JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { consoleRuntime } from '../../src/cli/console-runtime.ts';
import { runCheck } from '../../src/cli/check.ts';
import { inertJson } from '../../src/report/log-line.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';

/** A line the runner would run: `::` once leading white space is trimmed, or `##[` anywhere. */
const isCommand = (line: string) => /^[\s\u0085]*::/.test(line) || line.includes('##[');

function printed(t: import('node:test').TestContext): string[] {
  const lines: string[] = [];
  t.mock.method(console, 'log', (text: string) => lines.push(...String(text).split(/\r\n|\r|\n/)));
  return lines;
}

test('the console runtime prints no workflow command, whatever its messages, annotations and outputs hold', (t) => {
  const lines = printed(t);
  const runtime = consoleRuntime(true);
  const hostile = 'x\n::error::injected\r::add-mask::y ##[warning]z';
  runtime.log.info(hostile);
  runtime.log.debug(hostile);
  runtime.log.notice(hostile, '##[group]t');
  runtime.log.warning(hostile);
  runtime.log.error(hostile);
  runtime.log.startGroup?.(hostile);
  runtime.setOutput('results', hostile);
  assert.ok(lines.length >= 7 * 3, lines.join('\n'));
  assert.deepEqual(lines.filter(isCommand), []);
  assert.ok(
    lines.some((l) => l.includes('injected')),
    'the text is still shown',
  );
});

test('check prints no workflow command for a dist named with one, as text or as JSON', async (t) => {
  const dir = await scratchDir('console-check-');
  const name = 'a##[error]x-1.0.tar.gz';
  await writeFile(join(dir, name), 'not a tarball');
  for (const json of [false, true]) {
    let out = '';
    await runCheck({ paths: [dir], cwd: dir, verifyMetadata: true, json, write: (text) => (out += text) });
    assert.ok(out.includes('x-1.0.tar.gz'), out);
    assert.deepEqual(out.split('\n').filter(isCommand), [], out);
    if (json) assert.ok(JSON.stringify(JSON.parse(out)).includes(name), 'the JSON still holds the name as it is');
  }
  assert.deepEqual(JSON.parse(inertJson(JSON.stringify({ n: '##[x]' }))), { n: '##[x]' });
});
