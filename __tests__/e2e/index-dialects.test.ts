// skip-existing on indexes that refuse a re-upload in words of their own. Each answer is the one its
// index gives for a file name it holds (twine 6.1, the incumbent's, and pdm recognise these words;
// twine 7 refuses skip-existing off PyPI altogether): Nexus on OrientDB and on PostgreSQL, Artifactory
// before and after its words changed, GitLab's package registry. Where the words are unknown, the
// index's simple listing decides: a file it lists exists; a refusal of a file it does not list fails.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { runAction, type ActionRun } from '../../test/helpers/run-action.ts';
import { scratchDir } from '../../test/helpers/scratch.ts';
import { assertNoSecretLeaked } from '../../test/helpers/secrets.ts';

const PASSWORD = 'index-dialect-password-1d5f';

interface Refusal {
  status: number;
  reason: string;
  body: string;
  type?: string;
}

interface Dialect {
  /** How the index answers an upload of a file name it already holds. */
  refusal: Refusal;
  /** Its simple listing: answered without credentials, only with them (a private repository), or never. */
  listing: 'public' | 'private' | 'none';
}

const DIALECTS: Record<string, Dialect> = {
  'nexus-orientdb': {
    refusal: {
      status: 400,
      reason: 'Bad Request',
      body: '<html><body><p>Repository does not allow updating assets: pypi-hosted</p></body></html>',
      type: 'text/html',
    },
    listing: 'private',
  },
  'nexus-postgresql': {
    refusal: { status: 400, reason: 'Bad Request', body: 'pypi-hosted/packages/{project}/1.0.0/{file} cannot be updated', type: 'text/plain' },
    listing: 'public',
  },
  artifactory: {
    refusal: {
      status: 403,
      reason: 'Forbidden',
      body: `{"errors": [{"status": 403, "message": "Not enough permissions to delete/overwrite artifact 'pypi-local:{project}/1.0.0/{file}' (user: 'ci', needs DELETE permission)."}]}`,
      type: 'application/json',
    },
    listing: 'private',
  },
  'artifactory-new-words': {
    refusal: {
      status: 403,
      reason: 'Forbidden',
      body: `{"errors": [{"status": 403, "message": "Not enough permissions to delete/overwrite all artifacts under 'pypi-local:{project}/1.0.0/{file}' (user: 'ci', needs DELETE permission)."}]}`,
      type: 'application/json',
    },
    listing: 'public',
  },
  gitlab: {
    refusal: { status: 400, reason: 'Bad Request', body: '{"message":"Validation failed: File name has already been taken"}', type: 'application/json' },
    listing: 'private',
  },
};

/** A password-protected index of one dialect, holding an older build of every file it is sent. */
class DialectIndex {
  readonly held = new Map<string, string>();
  uploads = 0;
  private server: Server | undefined;
  private readonly dialect: Dialect;
  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const authorized = req.headers.authorization === `Basic ${Buffer.from(`__token__:${PASSWORD}`).toString('base64')}`;
      if (req.method === 'GET') return this.listing(req.url ?? '', authorized, res);
      let body = '';
      req.setEncoding('latin1');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.uploads++;
        const file = /filename="([^"]+)"/.exec(body)?.[1] ?? '';
        if (!authorized) return res.writeHead(401, 'Unauthorized').end();
        if (!this.held.has(file)) return res.writeHead(200, 'OK').end();
        const { status, reason, body: words, type } = this.dialect.refusal;
        const project = file.split('-')[0] ?? '';
        res.writeHead(status, reason, { 'content-type': type ?? 'text/plain' }).end(words.replaceAll('{project}', project).replaceAll('{file}', file));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/repository/pypi-hosted/`;
  }

  private listing(url: string, authorized: boolean, res: import('node:http').ServerResponse): void {
    if (this.dialect.listing === 'none') return void res.writeHead(404, 'Not Found').end();
    if (this.dialect.listing === 'private' && !authorized) return void res.writeHead(401, 'Unauthorized').end();
    const project = /^\/repository\/pypi-hosted\/simple\/([^/]+)\/$/.exec(url)?.[1];
    const files = [...this.held].filter(([name]) => project && name.startsWith(`${project.replaceAll('-', '_')}-`));
    if (files.length === 0) return void res.writeHead(404, 'Not Found').end();
    const links = files.map(([name, sha]) => `<a href="/files/${name}#sha256=${sha}">${name}</a>`).join('\n');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>${links}</body></html>`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

const runs: ActionRun[] = [];

async function release(project: string): Promise<{ ws: string; files: string[] }> {
  const ws = await scratchDir('dialect-');
  const files = await Promise.all([
    buildWheel(join(ws, 'dist'), { name: project, version: '1.0.0' }),
    buildSdist(join(ws, 'dist'), { name: project, version: '1.0.0' }),
  ]);
  return { ws, files };
}

/** The index holds an older build of every file of the release (other bytes, same names). */
function holdOlderBuild(index: DialectIndex, files: string[]): void {
  for (const f of files) index.held.set(f.split('/').pop() ?? '', createHash('sha256').update(`older ${f}`).digest('hex'));
}

async function publish(url: string, ws: string, skipExisting: boolean): Promise<ActionRun> {
  const inputs = { 'repository-url': url, user: '__token__', password: PASSWORD, 'skip-existing': String(skipExisting), attestations: 'false' };
  const r = await runAction({ cwd: ws, inputs });
  runs.push(r);
  return r;
}

const indexes: DialectIndex[] = [];
after(async () => {
  await Promise.all(indexes.map((i) => i.stop()));
  await assertNoSecretLeaked({ secrets: async () => [PASSWORD, Buffer.from(`__token__:${PASSWORD}`).toString('base64')] }, runs);
});

for (const [name, dialect] of Object.entries(DIALECTS)) {
  describe(`${name}: a re-upload refused in its words`, () => {
    const index = new DialectIndex(dialect);
    let url = '';
    before(async () => {
      indexes.push(index);
      url = await index.start();
    });

    test('is skipped with skip-existing, and every file is still tried', async () => {
      const { ws, files } = await release(`${name}-skip`);
      holdOlderBuild(index, files);
      const r = await publish(url, ws, true);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(
        r.results.map((f) => f.status),
        ['skipped', 'skipped'],
      );
      // What the listing shows of the index's file is reported beside the local one.
      if (dialect.listing === 'public') for (const f of r.results) assert.match(f.index_sha256 ?? '', /^[0-9a-f]{64}$/);
    });

    test("fails without skip-existing, in the index's words and with the way to skip", async () => {
      const { ws, files } = await release(`${name}-fail`);
      holdOlderBuild(index, files);
      const before = index.uploads;
      const r = await publish(url, ws, false);
      assert.equal(r.code, 1);
      // A release the index cannot be seen to hold gets its first file alone; the rest wait for it.
      const seen = dialect.listing === 'public';
      assert.deepEqual(
        r.results.map((f) => f.status),
        seen ? ['failed', 'failed'] : ['failed', 'not-attempted'],
      );
      const words = dialect.refusal.body.includes('{') ? /overwrite|cannot be updated|already been taken/ : /updating assets/;
      for (const f of r.results.filter((f) => f.status === 'failed')) {
        assert.match(f.reason ?? '', new RegExp(`^${dialect.refusal.status} `));
        assert.match(f.reason ?? '', words);
        assert.match(f.reason ?? '', /Set `skip-existing: true`/);
      }
      // The advice is the one for a file name the index has, never the credentials' (Artifactory's is a 403).
      assert.match(r.stdout, /never lets a file name be reused/);
      assert.doesNotMatch(r.stdout, /refused the (upload token|API token|user name)/);
      assert.equal(index.uploads - before, seen ? 2 : 1);
    });
  });
}

describe('a refusal in unknown words of a file the index does not list', () => {
  test('fails even with skip-existing: nothing says the file exists', async () => {
    const index = new DialectIndex({ refusal: { status: 400, reason: 'Bad Request', body: 'Upload refused by the repository policy' }, listing: 'none' });
    indexes.push(index);
    const url = await index.start();
    const { ws, files } = await release('unlisted');
    holdOlderBuild(index, files);
    const r = await publish(url, ws, true);
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.results.map((f) => f.status),
      ['failed', 'not-attempted'],
    );
    assert.doesNotMatch(r.results[0]?.reason ?? '', /skip-existing/);
    assert.match(r.results[0]?.reason ?? '', /^400 Upload refused by the repository policy/);
  });
});
