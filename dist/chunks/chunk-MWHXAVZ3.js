import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var e="sigstore";export{e as a};
