// A file created anew, never written through what already holds its name. Files this project writes
// sit beside what another job or a checkout put there (dists from an artifact, a lock file, a report
// directory): a link planted under the name must not make the run write outside, wherever it points.
import { constants } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { closeFd, fstatFd, openFd, writeFd } from './fd.ts';

// O_NOFOLLOW is not defined on Windows, where O_EXCL alone refuses an existing name.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Creates `path` anew; whatever holds the name (what a crashed run left, a planted link) is removed first. */
async function createNew(path: string): Promise<number> {
  try {
    return await openFd(path, CREATE_NEW, 0o644);
  } catch (error) {
    // O_EXCL|O_NOFOLLOW refused an existing name, a link included, without writing through it:
    // unlink acts on the name itself, never on what a link points to; then the name is created once
    // more, with the same flags (a name taken again meanwhile fails the write).
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await unlink(path);
    return openFd(path, CREATE_NEW, 0o644);
  }
}

/** Writes `bytes` to a file this call creates at `path`; returns its inode, to know it again later (a rename). */
export async function writeNewFile(path: string, bytes: Uint8Array): Promise<number> {
  const fd = await createNew(path);
  try {
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await writeFd(fd, bytes, done, bytes.length - done);
      if (bytesWritten === 0) throw Object.assign(new Error('no byte written'), { code: 'EIO' });
      done += bytesWritten;
    }
    return (await fstatFd(fd)).ino;
  } finally {
    await closeFd(fd);
  }
}
