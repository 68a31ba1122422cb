// Bundles src/index.ts (and the CLI, src/cli/main.ts) into what the runner loads: dist/index.js; and the consumer
// side's action, src/verify-action.ts, into dist/verify.js (verify/action.yml).
// ESM output because @actions/* 3.x are ESM-only; the createRequire banner lets the bundled
// CommonJS dependencies (@sigstore/*) keep calling require() for Node built-ins.
//
// Start-up (docs/benchmarks.md, scenario d): code splitting puts what is import()ed lazily — the
// Sigstore stack, loaded only when attestations are made — into dist/chunks/, so the entry the
// runner parses first stays small. @actions/core's OIDC client (and the 400 KiB @actions/http-client
// it pulls in) is replaced by a stub: this action fetches its OIDC tokens itself
// (src/sigstore/github-identity.ts) and never calls core.getIDToken().
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';

const stubActionsOidc = {
  name: 'stub-actions-core-oidc',
  setup(b) {
    b.onResolve({ filter: /oidc-utils(\.js)?$/ }, (args) =>
      args.importer.includes('@actions/core') ? { path: 'oidc-utils', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "export class OidcClient { static getIDToken() { throw new Error('core.getIDToken is not bundled: this action requests its OIDC tokens itself'); } }",
      loader: 'js',
    }));
  },
};

const { version } = JSON.parse(await readFile('package.json', 'utf8'));
await rm('dist/chunks', { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', 'cli-main': 'src/cli/main.ts', 'verify-worker': 'src/verify-worker.ts', 'build-provenance': 'src/build-provenance.ts', verify: 'src/verify-action.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  legalComments: 'external',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [stubActionsOidc],
  define: { PACKAGE_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
// The CLI's entry is not bundled and targets old Node: it only checks the version, then imports
// dist/cli-main.js, so Node < 24 gets one line instead of a SyntaxError from the bundle.
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: false,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  logLevel: 'warning',
});
