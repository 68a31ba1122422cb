// File descriptors with promises, not FileHandles: a release of many small dists opens each dist two
// or three times and creates two sidecars per dist, and the FileHandle's machinery (its object, its
// read and write loops, its close) cost ~40 % more CPU than these calls for the same system calls
// (bench c, docs/architecture.md).
import { close, fstat, open, read, write } from 'node:fs';
import { promisify } from 'node:util';

export const openFd = promisify(open);
export const readFd = promisify(read);
export const writeFd = promisify(write);
export const fstatFd = promisify(fstat);
export const closeFd = promisify(close);
