// A classifier newer than this action's copy of trove-classifiers: the index is asked for the list it
// accepts (warehouse's /pypi?:action=list_classifiers), only when a dist names one the copy lacks, and
// the checks take what it lists; when it cannot say, the copy decides (PyPI's message stays).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpClient, HttpResponse } from '../../src/http/client.ts';
import { classifierListUrl, indexClassifiers } from '../../src/pypi/classifiers.ts';
import { prepareDists } from '../../src/engine/prepare.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { answering, fakeResponse } from '../../test/helpers/fake-services.ts';

const NEWER = 'Framework :: Example :: 9';
const PLAIN = { 'content-type': 'text/plain; charset=utf-8' };

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'classifiers-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('classifierListUrl', () => {
  it("is warehouse's /pypi route on the site that serves the index's pages", () => {
    assert.equal(classifierListUrl(new URL('https://upload.pypi.org/legacy/')), 'https://pypi.org/pypi?%3Aaction=list_classifiers');
    assert.equal(classifierListUrl(new URL('https://test.pypi.org/legacy/')), 'https://test.pypi.org/pypi?%3Aaction=list_classifiers');
    assert.equal(classifierListUrl(new URL('http://127.0.0.1:8080/legacy/')), 'http://127.0.0.1:8080/pypi?%3Aaction=list_classifiers');
    assert.equal(
      classifierListUrl(new URL('https://user:secret@nexus.example/repository/pypi-hosted/')),
      'https://nexus.example/repository/pypi-hosted/pypi?%3Aaction=list_classifiers',
    );
  });
});

describe('indexClassifiers', () => {
  it('reads one classifier per line of a text/plain answer', async () => {
    const listed = await indexClassifiers(answering(200, `Typing :: Typed\r\n${NEWER}\n\n`, PLAIN), 'http://index/pypi');
    assert.deepEqual([...(listed ?? [])], ['Typing :: Typed', NEWER]);
  });

  it('is undefined for an index without the list: a 404, a page, an empty or cut answer, a failed request', async () => {
    const cut: HttpClient = { send: async () => ({ ...fakeResponse(200, NEWER, PLAIN), truncated: true }) as HttpResponse, close: async () => {} };
    const failing: HttpClient = {
      send: async () => {
        throw new Error('ECONNREFUSED');
      },
      close: async () => {},
    };
    for (const http of [
      answering(404, 'Not Found', PLAIN),
      answering(200, `<html><body>${NEWER}</body></html>`, { 'content-type': 'text/html' }),
      answering(200, '\n', PLAIN),
      cut,
      failing,
    ])
      assert.equal(await indexClassifiers(http, 'http://index/pypi'), undefined);
  });
});

describe('prepareDists with the index asked about classifiers', () => {
  const asked = (answer: ReadonlySet<string> | undefined) => {
    const calls: number[] = [];
    return { calls, indexClassifiers: async () => (calls.push(1), answer) };
  };
  const errors = (p: Awaited<ReturnType<typeof prepareDists>>) => p.problems.filter((x) => x.severity === 'error').map((x) => x.message);

  it('does not ask when every classifier is known, valid or deprecated', async () => {
    const dir = join(root, 'known');
    await buildWheel(dir, { name: 'known', version: '1.0', metadata: { Classifier: ['Typing :: Typed', 'Natural Language :: Ukranian'] } });
    const index = asked(new Set([NEWER]));
    const p = await prepareDists([dir], root, true, index);
    assert.equal(index.calls.length, 0);
    assert.match(errors(p)[0] ?? '', /^The classifier 'Natural Language :: Ukranian' has been deprecated/);
  });

  it('takes a classifier the index lists, once for all dists, and names it', async () => {
    const dir = join(root, 'listed');
    for (const name of ['one', 'two']) await buildWheel(dir, { name, version: '1.0', metadata: { Classifier: [NEWER, 'Typing :: Typed'] } });
    const index = asked(new Set([NEWER]));
    const p = await prepareDists([dir], root, true, index);
    assert.equal(index.calls.length, 1);
    assert.deepEqual(errors(p), []);
    assert.deepEqual(p.listedByIndex, [NEWER]);
  });

  it("keeps PyPI's refusal when the index does not list it or cannot say", async () => {
    const dir = join(root, 'unlisted');
    await buildWheel(dir, { name: 'unlisted', version: '1.0', metadata: { Classifier: [NEWER, 'Not :: A :: Classifier'] } });
    for (const answer of [new Set([NEWER]), undefined]) {
      const p = await prepareDists([dir], root, true, asked(answer));
      const expected = answer ? ['Not :: A :: Classifier'] : [NEWER, 'Not :: A :: Classifier'].sort();
      assert.deepEqual(
        errors(p).map((m) => /^'(.*)' is not a valid classifier\./.exec(m)?.[1]),
        expected,
      );
      assert.deepEqual(p.listedByIndex, answer ? [NEWER] : []);
    }
  });
});
