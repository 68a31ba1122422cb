import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var i="sigstore";export{i as a};
