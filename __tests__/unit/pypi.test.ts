import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildMultipart } from '../../src/pypi/multipart.ts';
import { SMALL_UPLOAD_CHUNK, UPLOAD_CHUNK, WHOLE_READ_MAX, uploadChunk } from '../../src/tunables.ts';
import { answersExists, indexMessage, uploadFile, uploadForm } from '../../src/pypi/upload.ts';
import type { HttpClient, HttpResponse } from '../../src/http/client.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { answering } from '../../test/helpers/fake-services.ts';
import { inspectDist } from '../../src/dists/inspect.ts';
import { buildWheel } from '../../test/fixtures/dists/build.ts';
import { decodeClaims, renderClaims, reusableWorkflow } from '../../src/pypi/claims.ts';
import { exchangeEndpoints } from '../../src/pypi/trusted-publishing.ts';
import { defaultSimpleUrl, listProjectFiles } from '../../src/pypi/simple-index.ts';
import { anchors, decodeEntities, pageText } from '../../src/pypi/html.ts';
import { linksFor } from '../../src/engine/links.ts';
import type { Dist } from '../../src/dists/types.ts';

test('multipart body: declared length equals the bytes sent, and a retry gets a fresh stream', async () => {
  const dir = await scratchDir('mp-');
  const path = join(dir, 'x.whl');
  await writeFile(path, Buffer.alloc(3 * 1024 * 1024 + 7, 1));
  const body = buildMultipart(
    [
      [':action', 'file_upload'],
      ['description', 'héllo\r\n"quoted"'],
    ],
    { field: 'content', filename: 'x"y.whl', path, size: 3 * 1024 * 1024 + 7 },
  );
  for (let round = 0; round < 2; round++) {
    const chunks: Buffer[] = [];
    for await (const c of body.open()) chunks.push(Buffer.from(c)); // chunks are reused: copy
    const all = Buffer.concat(chunks);
    assert.equal(all.length, body.length);
    const text = all.subarray(0, 400).toString('utf8');
    assert.match(text, /name=":action"\r\n\r\nfile_upload\r\n/);
    assert.match(text, /filename="x%22y\.whl"/);
  }
  assert.match(body.contentType, /^multipart\/form-data; boundary=----pypi-publish-[0-9a-f]{24}$/);
});

test('multipart body: an observer per attempt sees exactly the file bytes, in order, before each is sent, then complete()', async () => {
  const dir = await scratchDir('mp-observe-');
  const path = join(dir, 'x.whl');
  const bytes = Buffer.from(Array.from({ length: 2 * 1024 * 1024 + 123 }, (_, i) => (i * 7919) % 251));
  await writeFile(path, bytes);
  const attempts: Array<{ seen: Buffer[]; completed: boolean }> = [];
  const body = buildMultipart([[':action', 'file_upload']], {
    field: 'content',
    filename: 'x.whl',
    path,
    size: bytes.length,
    observe: async () => {
      const attempt = { seen: [] as Buffer[], completed: false };
      attempts.push(attempt);
      return { update: (c) => void attempt.seen.push(Buffer.from(c)), complete: () => void (attempt.completed = true) };
    },
  });
  // A first attempt abandoned after its first file chunk (a dropped connection), then a whole one.
  for await (const c of body.open()) if (c.length === uploadChunk(bytes.length)) break;
  for await (const _ of body.open());
  assert.equal(attempts.length, 2, 'one observer per attempt');
  assert.equal(attempts[0]!.completed, false, 'an abandoned attempt never completes');
  assert.equal(attempts[1]!.completed, true);
  assert.ok(Buffer.concat(attempts[1]!.seen).equals(bytes), 'the file bytes, across chunk boundaries, and nothing else');
});

test('multipart body: a small dist is read in 64 KiB chunks, one over WHOLE_READ_MAX in 256 KiB ones', async () => {
  const dir = await scratchDir('mp-chunks-');
  for (const size of [WHOLE_READ_MAX, WHOLE_READ_MAX + 1]) {
    const path = join(dir, `${size}.whl`);
    await writeFile(path, Buffer.alloc(size, 1));
    const body = buildMultipart([[':action', 'file_upload']], { field: 'content', filename: 'x.whl', path, size });
    const lengths = new Set<number>();
    let sent = 0;
    for await (const c of body.open()) {
      lengths.add(c.length);
      sent += c.length;
    }
    const chunk = size > WHOLE_READ_MAX ? UPLOAD_CHUNK : SMALL_UPLOAD_CHUNK;
    assert.equal(Math.max(...lengths), chunk, `${size} bytes: the largest piece is one chunk`);
    assert.equal(sent, body.length);
  }
});

test('upload form: every single-use field once, SHA-256 the only digest, attestations as one JSON array', async () => {
  const dir = await scratchDir('form-');
  const { dist } = await inspectDist(await buildWheel(dir, { name: 'Form.Test', version: '1.0' }));
  assert.ok(dist);
  const form = uploadForm(dist, [{ version: 1 }]);
  const count = (name: string) => form.filter(([k]) => k === name).length;
  for (const name of [':action', 'protocol_version', 'filetype', 'pyversion', 'name', 'version', 'metadata_version', 'sha256_digest', 'attestations']) {
    assert.equal(count(name), 1, name);
  }
  assert.equal(count('md5_digest'), 0);
  assert.equal(count('blake2_256_digest'), 0);
  assert.deepEqual(
    form.find(([k]) => k === 'attestations'),
    ['attestations', '[{"version":1}]'],
  );
  assert.equal(
    uploadForm(dist, undefined).some(([k]) => k === 'attestations'),
    false,
  );
});

test('index messages: JSON message, HTML stripped, reason phrase as fallback, bounded', () => {
  assert.equal(indexMessage(400, 'Bad', '{"message": "File already exists (x)", "code": "400"}'), '400 File already exists (x)');
  assert.equal(indexMessage(403, 'Forbidden', '<html><body><h1>403</h1> Invalid API Token</body></html>'), '403 403 Invalid API Token');
  assert.equal(indexMessage(502, 'Bad Gateway', ''), '502 Bad Gateway');
  assert.ok(indexMessage(500, '', 'x'.repeat(2000)).length < 510);
  // pypiserver's (bottle's) error page: its title and style are not the message; its references are decoded.
  const bottle =
    '<html><head><title>Error: 409 Conflict</title><style type="text/css">html {background-color: #eee;}</style></head>' +
    '<body><h1>Error: 409 Conflict</h1><pre>Package &#039;a-1.0.whl&#039; already exists! &amp;lt;</pre></body></html>';
  assert.equal(indexMessage(409, 'Conflict', bottle), "409 Error: 409 Conflict Package 'a-1.0.whl' already exists! &lt;");
  // Artifactory's REST errors and GitLab's API errors keep their words.
  const artifactory = '{"errors": [{"status": 403, "message": "Not enough permissions to overwrite artifact \'pypi-local:a/1.0/a-1.0.whl\'"}]}';
  assert.equal(indexMessage(403, 'Forbidden', artifactory), "403 Not enough permissions to overwrite artifact 'pypi-local:a/1.0/a-1.0.whl'");
  assert.equal(indexMessage(400, 'Bad Request', '{"error": "file is invalid"}'), '400 file is invalid');
  assert.equal(indexMessage(400, 'Bad Request', '{"errors": "not a list", "code": 1}'), '400 Bad Request');
});

test('a refusal says the file exists in the words twine 6.1 and pdm know for each index, and in no other', () => {
  const exists: Array<[number, string, string]> = [
    [409, 'Conflict', ''],
    [400, "File already exists ('a-1.0.whl', with blake2_256 hash 'ab').", ''],
    [400, 'Bad Request', '{"message": "The filename or contents already exist."}'],
    [400, 'Bad Request', '<html><body>Repository does not allow updating assets: pypi-hosted</body></html>'],
    [400, 'Bad Request', 'pypi-hosted/packages/a/1.0/a-1.0.whl cannot be updated'],
    [403, 'Forbidden', '{"errors": [{"status": 403, "message": "Not enough permissions to delete/overwrite artifact \'x\'"}]}'],
    [400, 'Bad Request', '{"message": "Validation failed: File name has already been taken"}'],
  ];
  for (const [status, reason, body] of exists) assert.equal(answersExists(status, reason, body), true, `${status} ${reason} ${body}`);
  const other: Array<[number, string, string]> = [
    [400, 'Invalid value for version.', ''],
    [403, 'Forbidden', 'Invalid or non-existent authentication information.'],
    // Artifactory's words for other refusals, and its changed words for this one: the listing decides.
    [403, 'Overwrite artifact', ''],
    [403, 'Forbidden', 'Not enough permissions to delete/overwrite all artifacts under x'],
    [400, 'Bad Request', 'Upload refused by the repository policy'],
    [500, 'File already exists', 'already exists'],
  ];
  for (const [status, reason, body] of other) assert.equal(answersExists(status, reason, body), false, `${status} ${reason} ${body}`);
});

test('HTML from an index: references decoded once, attributes quoted either way or bare, linear on any page', { timeout: 20_000 }, () => {
  assert.equal(decodeEntities('&amp;lt; &#x41;&#66;&apos;&bogus; &#0; &#xD800;'), "&lt; AB'&bogus; \ufffd \ufffd");
  const links = anchors(`<a href='a-1.whl#sha256=AB' data-provenance=p>a-1.whl</a><A HREF="b.tar.gz"> <b>b.tar.gz</b> </A><a>no link</a>`);
  assert.deepEqual(
    links.map((a) => [Object.fromEntries(a.attributes), a.text]),
    [
      [{ href: 'a-1.whl#sha256=AB', 'data-provenance': 'p' }, 'a-1.whl'],
      [{ href: 'b.tar.gz' }, 'b.tar.gz'],
      [{}, 'no link'],
    ],
  );
  assert.equal(pageText('<!DOCTYPE html><!-- c --><p>before<style>p {}</style> after'), 'before after');
  assert.equal(pageText('<p>x</p><script>unclosed'), 'x');
  // Shapes that take a backtracking pattern quadratic time; a count, not a clock, keeps this honest.
  // And a page of `<` that opens no tag: each once looked for the next `>` to the page's end.
  for (const page of ['<head'.repeat(100_000), '<a '.repeat(100_000), '<a>'.repeat(100_000), `<a>${'<b '.repeat(100_000)}</a>`, `${'<'.repeat(2 << 20)}>`]) {
    assert.ok(anchors(page).length <= 100_000);
    assert.ok(pageText(page).length <= page.length);
  }
});

test('a PEP 691 page: each field taken only with the type the PEP gives it', async () => {
  const serve = (page: string) => answering(200, page, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
  const page = JSON.stringify({
    files: [
      null,
      7,
      { filename: 1 },
      { filename: 'a-1.0.tar.gz', hashes: { sha256: 5 }, url: 'http://[bad', provenance: ['x'] },
      { filename: 'a-1.0-py3-none-any.whl', hashes: { sha256: 'AB'.repeat(32) }, url: '/f/a.whl' },
      // Not a digest: a page's word, which would otherwise be shown beside this build's.
      { filename: 'a-1.0-py2-none-any.whl', hashes: { sha256: 'x\n```\n<img src=x>' } },
    ],
  });
  assert.deepEqual(await listProjectFiles(serve(page), 'http://127.0.0.1:9/simple/', 'a'), [
    { filename: 'a-1.0.tar.gz', sha256: undefined, url: undefined, provenance: undefined },
    { filename: 'a-1.0-py3-none-any.whl', sha256: 'ab'.repeat(32), url: 'http://127.0.0.1:9/f/a.whl', provenance: undefined },
    { filename: 'a-1.0-py2-none-any.whl', sha256: undefined, url: undefined, provenance: undefined },
  ]);
  await assert.rejects(listProjectFiles(serve('{"files": {"a": 1}}'), 'http://127.0.0.1:9/simple/', 'a'), /without a list of files/);
  assert.deepEqual(await listProjectFiles(serve('{"meta": {}}'), 'http://127.0.0.1:9/simple/', 'a'), []);
  // A credential in the index URL (a private index, for `verify`) is never part of the message.
  const withCredential = 'http://alice:s3cret@127.0.0.1:9/simple/';
  for (const [http, message] of [
    [serve('{"files": {"a": 1}}'), /http:\/\/127\.0\.0\.1:9\/simple\/a\/ sent a page without a list of files$/],
    [serve('{'), /http:\/\/127\.0\.0\.1:9\/simple\/a\/ sent invalid JSON$/],
    [answering(401, 'no', {}), /http:\/\/127\.0\.0\.1:9\/simple\/a\/ answered 401$/],
  ] as const) {
    await assert.rejects(listProjectFiles(http, withCredential, 'a'), message);
  }
});

test('a PEP 503 page: file names from the text or, when empty, the URL; only a sha256 fragment is a digest', async () => {
  const page =
    '<a href="../../packages/a-1.0-py3-none-any.whl#sha256=' +
    'A'.repeat(64) +
    '" data-provenance="/p/a">a-1.0-py3-none-any.whl</a>' +
    "<a href='/files/a-1.0.tar.gz#md5=00'></a><a href='http://[bad'>x</a>";
  const http = answering(200, page, { 'content-type': 'text/html' });
  const files = await listProjectFiles(http, 'http://127.0.0.1:9/simple/', 'a');
  assert.deepEqual(files, [
    {
      filename: 'a-1.0-py3-none-any.whl',
      sha256: 'a'.repeat(64),
      url: `http://127.0.0.1:9/packages/a-1.0-py3-none-any.whl#sha256=${'A'.repeat(64)}`,
      provenance: 'http://127.0.0.1:9/p/a',
    },
    { filename: 'a-1.0.tar.gz', sha256: undefined, url: 'http://127.0.0.1:9/files/a-1.0.tar.gz#md5=00', provenance: undefined },
  ]);
});

test('claims are decoded for explanations only; reusable workflows are noticed', () => {
  const jwt = `h.${Buffer.from(JSON.stringify({ sub: 's', workflow_ref: 'o/r/.github/workflows/a.yml@refs/heads/main', job_workflow_ref: 'o/r/.github/workflows/b.yml@refs/heads/main' })).toString('base64url')}.sig`;
  const claims = decodeClaims(jwt);
  assert.equal(claims['sub'], 's');
  assert.deepEqual(reusableWorkflow(claims), { caller: 'o/r/.github/workflows/a.yml@refs/heads/main', called: 'o/r/.github/workflows/b.yml@refs/heads/main' });
  assert.equal(reusableWorkflow({ workflow_ref: 'x', job_workflow_ref: 'x' }), undefined);
  assert.match(renderClaims(claims), /\* `repository`: `MISSING`/);
  assert.deepEqual(decodeClaims('garbage'), {});
});

test('exchange endpoints and simple index follow the upload host', () => {
  assert.deepEqual(exchangeEndpoints(new URL('https://upload.pypi.org/legacy/')), {
    audience: 'https://upload.pypi.org/_/oidc/audience',
    mint: 'https://upload.pypi.org/_/oidc/mint-token',
  });
  assert.equal(defaultSimpleUrl(new URL('https://upload.pypi.org/legacy/')), 'https://pypi.org/simple/');
  assert.equal(defaultSimpleUrl(new URL('https://test.pypi.org/legacy/')), 'https://test.pypi.org/simple/');
  assert.equal(defaultSimpleUrl(new URL('http://127.0.0.1:9000/legacy/')), 'http://127.0.0.1:9000/simple/');
  assert.equal(defaultSimpleUrl(new URL('http://127.0.0.1:8080/')), 'http://127.0.0.1:8080/simple/');
  assert.equal(defaultSimpleUrl(new URL('https://nexus.example/repository/pypi-hosted/')), 'https://nexus.example/repository/pypi-hosted/simple/');
  assert.equal(
    defaultSimpleUrl(new URL('https://gitlab.example/api/v4/projects/7/packages/pypi')),
    'https://gitlab.example/api/v4/projects/7/packages/pypi/simple/',
  );
  assert.equal(
    defaultSimpleUrl(new URL('https://pkgs.dev.azure.com/org/_packaging/feed/pypi/upload/')),
    'https://pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/',
  );
});

test('links: PyPI and TestPyPI project pages, the simple index elsewhere (with its path), the listing when there is one', () => {
  const dist = { project: 'sampleproject', version: '1.0', filename: 'sampleproject-1.0.tar.gz' } as Dist;
  const at = (upload: string, simple?: string) => {
    const uploadUrl = new URL(upload);
    return { uploadUrl, simpleUrl: simple ?? defaultSimpleUrl(uploadUrl) };
  };
  assert.deepEqual(linksFor(at('https://upload.pypi.org/legacy/'), dist, undefined, true), {
    url: 'https://pypi.org/project/sampleproject/1.0/#files',
    provenanceUrl: 'https://pypi.org/integrity/sampleproject/1.0/sampleproject-1.0.tar.gz/provenance',
  });
  assert.equal(linksFor(at('https://test.pypi.org/legacy/'), dist, undefined, false).url, 'https://test.pypi.org/project/sampleproject/1.0/#files');
  assert.deepEqual(linksFor(at('http://127.0.0.1:9000/legacy/'), dist, undefined, false), {
    url: 'http://127.0.0.1:9000/simple/sampleproject/',
    provenanceUrl: undefined,
  });
  // An index under a path keeps it; devpi's page is where its listing answered.
  assert.equal(
    linksFor(at('https://nexus.example/repository/pypi-hosted/'), dist, undefined, false).url,
    'https://nexus.example/repository/pypi-hosted/simple/sampleproject/',
  );
  assert.equal(
    linksFor(at('http://127.0.0.1:3141/alice/dev/', 'http://127.0.0.1:3141/alice/dev/+simple/'), dist, undefined, false).url,
    'http://127.0.0.1:3141/alice/dev/+simple/sampleproject/',
  );
  assert.equal(
    linksFor(at('https://upload.pypi.org/legacy/'), dist, { filename: dist.filename, url: 'https://files.example/x' }, false).url,
    'https://files.example/x',
  );
});

test('a redirected upload is reported without the query or userinfo of either URL', async () => {
  const dir = await scratchDir('redirect-');
  const { dist } = await inspectDist(await buildWheel(dir, { name: 'redirected', version: '1.0' }));
  assert.ok(dist);
  const answer = (location: string): HttpClient => ({
    async send() {
      const body = Buffer.alloc(0);
      return {
        status: 301,
        statusText: 'Moved',
        headers: {},
        body,
        truncated: false,
        attempts: 1,
        header: (n) => (n === 'location' ? location : undefined),
        text: () => '',
      } satisfies HttpResponse;
    },
    close: async () => {},
  });
  const url = new URL('https://idx.example/legacy?token=SECRET-1');
  for (const location of ['https://user:SECRET-2@idx.example/legacy/?token=SECRET-3', '/legacy/?token=SECRET-3#SECRET-4']) {
    const outcome = await uploadFile(answer(location), url, dist, uploadForm(dist, undefined), { user: 'u', password: 'p' });
    assert.equal(outcome.kind, 'rejected');
    const message = outcome.kind === 'rejected' ? outcome.message : '';
    assert.doesNotMatch(message, /SECRET/);
    assert.match(message, /^https:\/\/idx\.example\/legacy redirected to (https:\/\/idx\.example)?\/legacy\/; .* use https:\/\/idx\.example\/legacy\/$/);
  }
  // A path that echoes the credentials (here Basic auth's base64) is scrubbed like the index's words.
  const credentials = { user: '__token__', password: 'Tr0ub4dor' };
  const echoed = `https://other.example/echo/${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  const outcome = await uploadFile(answer(echoed), url, dist, uploadForm(dist, undefined), credentials);
  const message = outcome.kind === 'rejected' ? outcome.message : '';
  assert.match(message, /redirected to https:\/\/other\.example\/echo\/\*\*\*;/);
});
