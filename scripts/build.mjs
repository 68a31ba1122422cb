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
import { readFile, readdir, rm } from 'node:fs/promises';

const stubActionsOidc = {
  name: 'stub-actions-core-oidc',
  setup(b) {
    b.onResolve({ filter: /oidc-utils(\.js)?$/ }, (args) => (args.importer.includes('@actions/core') ? { path: 'oidc-utils', namespace: 'stub' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "export class OidcClient { static getIDToken() { throw new Error('core.getIDToken is not bundled: this action requests its OIDC tokens itself'); } }",
      loader: 'js',
    }));
  },
};

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

/** What @sigstore/sign's external/fetch.js reads of http2.constants, with node:http2's values. */
const HTTP2_CONSTANTS_USED = {
  HTTP2_HEADER_LOCATION: 'location',
  HTTP2_HEADER_CONTENT_TYPE: 'content-type',
  HTTP2_HEADER_USER_AGENT: 'user-agent',
  HTTP_STATUS_INTERNAL_SERVER_ERROR: 500,
  HTTP_STATUS_TOO_MANY_REQUESTS: 429,
  HTTP_STATUS_REQUEST_TIMEOUT: 408,
};

const refusal = (what) => `throw new Error(${JSON.stringify(`@sigstore/sign's ${what}`)});`;

// What @sigstore/sign requires at load time for code this action never runs, by module name:
// - make-fetch-happen, its own HTTP stack (and under it cacache, minipass-fetch, socks, iconv-lite,
//   glob: ~700 KiB of the signer chunk), which serves only its FulcioSigner, RekorWitness, TSAWitness
//   and CIContextProvider: Fulcio, Rekor and the TSA are reached through this action's own HTTP
//   client (src/sigstore/fulcio-client.ts, rekor-witness.ts, tsa-witness.ts), the OIDC token through
//   src/sigstore/github-identity.ts;
// - node:http2, only for six header and status constants of that fetch (the module costs ~6 MB of RSS
//   and ~10 ms in every signing run): the stand-in carries the same six values;
// - node:child_process, for its Buildkite identity provider.
// Each stand-in refuses to be called.
const SIGSTORE_SIGN_STAND_INS = {
  'make-fetch-happen': `module.exports = function fetch() { ${refusal('HTTP stack is not bundled: this action sends Sigstore requests through its own client')} };`,
  http2: `module.exports = { constants: ${JSON.stringify(HTTP2_CONSTANTS_USED)} };`,
  child_process: `module.exports = { execFile() { ${refusal('CI identity providers are not bundled: this action requests its OIDC tokens itself')} } };`,
};

const standInsForSigstoreSign = {
  name: 'stand-ins-for-sigstore-sign',
  setup(b) {
    b.onResolve({ filter: /^(make-fetch-happen|(node:)?(http2|child_process))$/ }, (args) =>
      /@sigstore[\\/]sign[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'sigstore-sign-stand-in' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'sigstore-sign-stand-in' }, (args) => ({ contents: SIGSTORE_SIGN_STAND_INS[args.path], loader: 'js' }));
  },
};

await rm('dist/chunks', { recursive: true, force: true });
// Every build writes all of dist/ anew. An entry's license file is written only when its bundle has
// legal comments, and an entry that was dropped is not written at all: either left from an older
// build would ship code or notices the action no longer has.
for (const name of await readdir('dist').catch(() => [])) if (name.endsWith('.LEGAL.txt') || name.endsWith('.js')) await rm(`dist/${name}`);
await build({
  entryPoints: {
    index: 'src/index.ts',
    'cli-main': 'src/cli/main.ts',
    'build-provenance': 'src/build-provenance.ts',
    verify: 'src/verify-action.ts',
  },
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
  plugins: [stubActionsOidc, standInsForSigstoreSign],
  // For node, esbuild prefers a package's "main": hash-wasm's is a UMD file of all its 30 algorithms
  // (~216 KB of code and embedded WebAssembly in every run). Its ES build lets the bundle keep the one
  // this action uses (BLAKE2b, for print-hash).
  alias: { 'hash-wasm': './node_modules/hash-wasm/dist/index.esm.js' },
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
