import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var t=n=>typeof n=="object"&&n!==null&&!Array.isArray(n);function e(n){try{let r=JSON.parse(n);return t(r)?r:void 0}catch{return}}function o(n){return typeof n=="string"?n:JSON.stringify(n)??"undefined"}export{t as a,e as b,o as c};
