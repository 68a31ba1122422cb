// Bundles src/index.ts into the single file the runner loads (dist/index.js).
// ESM output because @actions/* 3.x are ESM-only; the createRequire banner lets the bundled
// CommonJS dependencies (@sigstore/*) keep calling require() for Node built-ins.
import { build } from 'esbuild';

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  legalComments: 'external',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
