#!/usr/bin/env node
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split(".")[0]);
if (major < REQUIRED_MAJOR) {
  process.stderr.write(`pypi-publish CLI: Node ${REQUIRED_MAJOR} or newer is required; this is Node ${process.versions.node} (${process.execPath}).
`);
  process.exit(1);
} else {
  const body = "./cli-main.js";
  import(body).catch((error) => {
    process.stderr.write(`pypi-publish CLI: cannot load ${body}: ${error instanceof Error ? error.message : String(error)}
`);
    process.exit(1);
  });
}
