// A Sigstore TUF repository read with tuf-js, its files fetched through this action's HTTP client.
//
// Why not @sigstore/tuf's initTUF, which this stands for: its fetcher is tuf-js's default, which calls
// the global fetch, and the global fetch loads node's internal undici (~15 MB of RSS for a handful
// of small files; docs/architecture.md, "Peak memory"). What @sigstore/tuf adds to tuf-js is kept as
// it does it: one cache directory per mirror, public-good's initial root (and its seed targets) from
// its seeds.json, a target read through the cache, three attempts of five seconds each.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import seeds from '@sigstore/tuf/seeds.json' with { type: 'json' };
import { Updater, type Fetcher } from 'tuf-js';
import { DownloadError, DownloadHTTPError, DownloadLengthMismatchError } from 'tuf-js/dist/error.js';
import { isHttpsOrLoopback } from '../config/loopback.ts';
import { createHttpClient, type HttpClient } from '../http/client.ts';
import { HttpError } from '../http/errors.ts';
import { freshCacheDirectory, privateCacheDirectory } from './tuf-cache.ts';

export const PUBLIC_GOOD_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';
const TUF_USER_AGENT = 'pypi-publish-action/0.1 (TUF)';
const TUF_TIMEOUT_MS = 5_000;
const TUF_RETRY = { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 4_000, budgetMs: 30_000 };
/** A CDN may move a file; TUF verifies what it gets wherever it came from, so a few hops are followed. */
const MAX_REDIRECTS = 5;

export interface TufRepositoryOptions {
  /** The repository (public-good's by default). */
  mirrorURL?: string | undefined;
  /** Its initial root.json; without one, the root @sigstore/tuf ships for public-good. */
  rootPath?: string | undefined;
  /** The cache, one directory per mirror under it (used only while no other user can change it). */
  cachePath: string;
}

/** TUF's client workflow (root, timestamp, snapshot, targets), then each target's text, verified. */
export async function readTufTargets(opts: TufRepositoryOptions, targets: string[]): Promise<string[]> {
  const mirrorURL = opts.mirrorURL ?? PUBLIC_GOOD_TUF_URL;
  const url = new URL(mirrorURL);
  const initialRoot = opts.rootPath ? await readFile(opts.rootPath) : undefined;
  // A repository given with its own initial root is cached under that root too: a cached root.json
  // wins over the initial one, so a repository re-created at a URL used before (a local mirror, a port
  // another run had) would otherwise be judged by the old root's keys and refused.
  const rootTag = initialRoot ? `@${createHash('sha256').update(initialRoot).digest('hex').slice(0, 16)}` : '';
  const cache = await privateCacheDirectory(path.join(opts.cachePath, encodeURIComponent(url.host + url.pathname.replace(/\/$/, '')) + rootTag));
  const http = createHttpClient({ userAgent: TUF_USER_AGENT, connections: 2 });
  const read = (dir: string) => readThrough(dir, { mirrorURL, initialRoot, http }, targets);
  try {
    return await read(cache.path).catch(async (error: unknown) => {
      if (!cache.lasting || fromTheNetwork(error)) throw error;
      // tuf-js writes its files in place: a run killed mid-write, or two runs at once, can leave a
      // torn file there that would fail every later run. A cache only saves requests, so the
      // repository is read once more from its initial root, and the cache that failed is dropped.
      const fresh = await freshCacheDirectory();
      try {
        const texts = await read(fresh.path);
        await rm(cache.path, { recursive: true, force: true });
        return texts;
      } finally {
        await fresh.release();
      }
    });
  } finally {
    await http.close();
    await cache.release();
  }
}

interface Repository {
  mirrorURL: string;
  initialRoot: Buffer | undefined;
  http: HttpClient;
}

/** Refreshes the metadata cached in `cachePath` and reads each target through it. */
async function readThrough(cachePath: string, repo: Repository, targets: string[]): Promise<string[]> {
  await seedCache(cachePath, repo.mirrorURL, repo.initialRoot);
  const updater = new Updater({
    metadataBaseUrl: repo.mirrorURL,
    targetBaseUrl: `${repo.mirrorURL}/targets`,
    metadataDir: cachePath,
    targetDir: path.join(cachePath, 'targets'),
    fetcher: clientFetcher(repo.http),
  });
  await updater.refresh().catch((error: unknown) => {
    throw new Error('error refreshing TUF metadata', { cause: error });
  });
  const texts: string[] = [];
  for (const target of targets) texts.push(await readTarget(updater, target));
  return texts;
}

/** The mirror could not be reached or answered no file: another cache would not change that. */
function fromTheNetwork(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof HttpError || e instanceof DownloadError) return true;
  return false;
}

/** The initial root (and, for public-good, the seed targets) unless the cache holds a root already. */
async function seedCache(cachePath: string, mirrorURL: string, initialRoot: Buffer | undefined): Promise<void> {
  await mkdir(path.join(cachePath, 'targets'), { recursive: true });
  const cachedRoot = path.join(cachePath, 'root.json');
  const cached = await stat(cachedRoot).catch(() => undefined);
  if (cached) return;
  if (initialRoot) {
    await writeFile(cachedRoot, initialRoot);
    return;
  }
  const seed = (seeds as Record<string, { 'root.json': string; targets: Record<string, string> }>)[mirrorURL];
  if (!seed) throw new Error(`no initial root.json for the TUF mirror ${mirrorURL}`);
  await writeFile(cachedRoot, Buffer.from(seed['root.json'], 'base64'));
  for (const [name, content] of Object.entries(seed.targets)) await writeFile(path.join(cachePath, 'targets', name), Buffer.from(content, 'base64'));
}

async function readTarget(updater: Updater, target: string): Promise<string> {
  const info = await updater.getTargetInfo(target);
  if (!info) throw new Error(`target ${target} not found`);
  const cached = (await updater.findCachedTarget(info)) ?? (await updater.downloadTarget(info));
  return readFile(cached, 'utf8');
}

/** tuf-js's Fetcher over the HTTP client: bounded by TUF's own length limits, errors in tuf-js's terms. */
function clientFetcher(http: HttpClient): Fetcher {
  async function downloadBytes(url: string, maxLength: number): Promise<Buffer> {
    for (let hops = 0, at = url; ; hops++) {
      const res = await http.send({ method: 'GET', url: at, maxBodyBytes: maxLength, timeoutMs: TUF_TIMEOUT_MS, retry: TUF_RETRY });
      const location = res.header('location');
      if (res.status >= 300 && res.status < 400 && location && hops < MAX_REDIRECTS) {
        at = new URL(location, at).href;
        // Plain http only to this machine, as for the mirror itself (trust.ts).
        if (!isHttpsOrLoopback(at)) throw new DownloadHTTPError(`redirected to a plain http URL off this machine`, res.status);
        continue;
      }
      // A 404 for the next root.json is how TUF learns the root it has is the newest: tuf-js needs its own error.
      if (res.status < 200 || res.status >= 300) throw new DownloadHTTPError('Failed to download', res.status);
      if (res.truncated) throw new DownloadLengthMismatchError('Max length reached');
      return res.body;
    }
  }
  return {
    downloadBytes,
    async downloadFile(url, maxLength, handler) {
      const bytes = await downloadBytes(url, maxLength);
      const dir = await mkdtemp(path.join(tmpdir(), 'tuf-'));
      try {
        const file = path.join(dir, 'download');
        await writeFile(file, bytes);
        return await handler(file);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
