import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var _=16;export{_ as a};
