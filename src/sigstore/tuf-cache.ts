// Where Sigstore's TUF metadata is cached between runs, and the guard on it. TUF trusts the root.json
// in its cache over the one it starts from, so a cache another user can write is a way to plant a root:
// every trusted root it signs, and every certificate and log entry that root vouches for, would then
// be believed, by the signer and by `verify` alike.
import { lstat, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The runner's temp directory (one job's, private to it), else the user's cache directory where
 * @sigstore/tuf keeps its own: never a directory every user shares, such as /tmp.
 */
export function tufCacheRoot(env: Env, platform: NodeJS.Platform = process.platform): string {
  if (env['RUNNER_TEMP']) return env['RUNNER_TEMP'];
  const home = env['HOME'] || env['USERPROFILE'] || homedir();
  if (platform === 'win32') return path.join(env['LOCALAPPDATA'] || path.join(home, 'AppData', 'Local'), 'pypi-publish');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'pypi-publish');
  return path.join(env['XDG_CACHE_HOME'] || path.join(home, '.cache'), 'pypi-publish');
}

/** A directory a run caches into, and what to do with it when the run is done. */
export interface CacheDirectory {
  path: string;
  /** kept from run to run (false: made for this run alone) */
  lasting: boolean;
  /** removes a directory made for this run alone; keeps a lasting cache */
  release(): Promise<void>;
}

/**
 * `dir`, made if absent, when no other user can change it or swap it out; otherwise (another user's
 * directory, one others may write, or one that cannot be made) a fresh private directory for this
 * run alone. The cache only saves requests, so a cache that cannot be trusted is never a failure.
 */
export async function privateCacheDirectory(dir: string): Promise<CacheDirectory> {
  if (await onlyThisUserCanChange(dir)) return { path: dir, lasting: true, release: async () => {} };
  return freshCacheDirectory();
}

/** A new private directory for this run alone. */
export async function freshCacheDirectory(): Promise<CacheDirectory> {
  const fresh = await mkdtemp(path.join(tmpdir(), 'pypi-publish-tuf-'));
  return { path: fresh, lasting: false, release: () => rm(fresh, { recursive: true, force: true }) };
}

/**
 * The directory is this user's and writable by no one else, and each directory above it (links
 * resolved) is this user's or root's and writable by no one else, unless sticky (as /tmp is: others
 * may add names there, but not move this user's). Windows guards with ACLs, not modes: its
 * per-user directories are taken as they are.
 */
async function onlyThisUserCanChange(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (process.platform === 'win32' || !process.getuid) return true;
    const uid = process.getuid();
    const real = await realpath(dir);
    const own = await lstat(real);
    if (!own.isDirectory() || own.uid !== uid || (own.mode & 0o022) !== 0) return false;
    for (let at = path.dirname(real); ; at = path.dirname(at)) {
      const st = await lstat(at);
      const ownerTrusted = st.uid === uid || st.uid === 0;
      const othersCannotMove = (st.mode & 0o022) === 0 || (st.mode & 0o1000) !== 0;
      if (!ownerTrusted || !othersCannotMove) return false;
      if (at === path.dirname(at)) return true;
    }
  } catch {
    return false;
  }
}
