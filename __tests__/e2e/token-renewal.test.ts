// The upload token lives 15 minutes: a long run must re-mint before it lapses, each time with a
// fresh OIDC token (the index refuses a JWT whose jti it has seen). Driven against the stand-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, type World } from '../../test/helpers/world.ts';
import { pypiControl } from '../../test/helpers/pypi.ts';
import { createHttpClient } from '../../src/http/client.ts';
import { createGitHubIdentityProvider } from '../../src/sigstore/github-identity.ts';
import { createTokenSource } from '../../src/pypi/trusted-publishing.ts';

let world: World;

before(async () => {
  world = await startWorld();
  await pypiControl(world).trust({ project: 'long-run' });
});
after(() => world.stop());

test('re-mints with a new JWT when fewer than 5 of the 15 minutes remain; concurrent callers share one mint', async () => {
  const http = createHttpClient({ userAgent: 'test' });
  const masked: string[] = [];
  let clock = Date.now();
  const deps = {
    http,
    identity: createGitHubIdentityProvider({ http, env: world.env }),
    mask: (s: string) => masked.push(s),
    log: { debug: () => {} },
    github: {},
  };
  const source = createTokenSource(deps, new URL(pypiControl(world).uploadUrl), () => clock);
  const [a, a2] = await Promise.all([source.get(), source.get()]);
  assert.equal(a.token, a2.token, 'one mint for concurrent callers');
  clock += 9 * 60_000; // 6 minutes left: keep it
  assert.equal((await source.get()).token, a.token);
  clock += 2 * 60_000; // 4 minutes left: renew
  const b = await source.get();
  assert.notEqual(b.token, a.token);
  assert.equal((await world.stats('oidc')).requests['GET /token'], 2, 'a fresh JWT for each mint');
  assert.ok(masked.includes(a.token) && masked.includes(b.token), 'both tokens masked the moment they existed');
  await http.close();
});
