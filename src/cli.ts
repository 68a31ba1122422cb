#!/usr/bin/env node
// The CLI's entry (dist/cli.js): `node dist/cli.js --help`. Written in syntax every Node since 12
// parses, and built without bundling, so that an older Node prints one line naming the version it
// needs instead of a SyntaxError from the bundle. The CLI itself is src/cli/main.ts (dist/cli-main.js).
//
// Why Node 24: the bundle targets it (the action runs on the runner's node24), and uses what older
// Node lacks.
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major < REQUIRED_MAJOR) {
  process.stderr.write(`pypi-publish CLI: Node ${REQUIRED_MAJOR} or newer is required; this is Node ${process.versions.node} (${process.execPath}).\n`);
  process.exit(1);
} else {
  // A variable, so that neither the type check nor the build resolves it: it exists only in dist/.
  const body = './cli-main.js';
  import(body).catch((error: unknown) => {
    process.stderr.write(`pypi-publish CLI: cannot load ${body}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
