// print-hash's MD5 of a large dist, from another process: `openssl dgst -md5` reading the dist on its
// standard input, at the lowest priority.
//
// Why: a large dist is read three times on the action's one thread (its SHA-256 before signing; the
// upload, hashed again to prove the bytes sent are the bytes signed, threat model F3; the shown MD5 and
// BLAKE2b-256 on the same chunks), while the runner's other core waits for the index or idles. MD5 is
// the slowest of them (~1.3 s/GiB on the project machine) and only shown, so another process computes
// it on that core; a process, not a worker thread, because a worker is a second Node environment
// (~15 MB of peak RSS, issue #21's other target) and this one is ~6 MB.
//
// Nothing from the dist reaches the command line: the file is its standard input, already opened by
// this process; the environment is only PATH. openssl is looked up in PATH's absolute directories
// only: a bare name would also be looked up in the working directory on Windows, and a relative PATH
// entry is the workspace, where a downloaded artifact could plant one. What it prints must be 32 hex
// digits first, or the MD5 counts as not computed, and the caller computes it itself (a runner without
// openssl, a killed process): the digest is only shown, so a different tool's failure never fails a release.
import { accessSync, closeSync, constants as fsConstants, openSync, statSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

/** The state of one MD5 asked of another process. */
export interface MD5Process {
  /** True once the process could not give the digest; the caller computes it instead. */
  readonly failed: boolean;
  /** The hex digest, or undefined when the process failed. Never rejects. */
  readonly md5: Promise<string | undefined>;
}

const HEX_MD5 = /^([0-9a-f]{32})[ \r\n]/;
/** openssl prints one line; more than this is not its answer. */
const MAX_OUTPUT = 256;

/** The first executable file of that name in PATH's absolute directories. */
export function onPath(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of path.split(delimiter).filter((d) => isAbsolute(d))) {
    for (const candidate of names.map((n) => join(dir, n))) {
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not there, or not executable: the next one
      }
    }
  }
  return undefined;
}

let openssl: string | undefined | null = null;

/** Starts `openssl dgst -md5 -r` on the file at `path`; `command` replaces openssl (tests). */
export function md5InAnotherProcess(path: string, command?: string): MD5Process {
  if (command === undefined && openssl === null) openssl = onPath('openssl');
  const executable = command ?? openssl ?? undefined;
  const state = { failed: false } as { failed: boolean; md5: Promise<string | undefined> };
  state.md5 = new Promise<string | undefined>((resolve) => {
    const fail = () => {
      state.failed = true;
      resolve(undefined);
    };
    if (executable === undefined) return fail();
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return fail();
    }
    try {
      // Loaded here, not imported: most runs have no large dist, and the module costs every run ~0.4 MB.
      const { spawn } = process.getBuiltinModule('node:child_process');
      const child = spawn(executable, ['dgst', '-md5', '-r'], {
        stdio: [fd, 'pipe', 'ignore'],
        // Not the workspace: a program's libraries may also be looked up in its working directory.
        cwd: dirname(executable),
        env: { PATH: process.env['PATH'] ?? '' },
        windowsHide: true,
      });
      lowestPriority(child.pid);
      let out = '';
      const stdout = child.stdout!;
      stdout.setEncoding('latin1');
      stdout.on('data', (text: string) => {
        if (out.length < MAX_OUTPUT) out += text;
      });
      child.on('error', fail);
      child.on('close', (code) => {
        const hex = code === 0 ? HEX_MD5.exec(out)?.[1] : undefined;
        if (hex) resolve(hex);
        else fail();
      });
    } catch {
      fail();
    } finally {
      // The child holds its own copy of the descriptor from here on.
      closeSync(fd);
    }
  });
  return state;
}

/** Below the action's thread and the index: it only fills a core they leave idle. */
function lowestPriority(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted here: it runs at the normal priority, still on another core.
  }
}
