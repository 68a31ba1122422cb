import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var r=n=>typeof n=="object"&&n!==null&&!Array.isArray(n);function t(n){try{let e=JSON.parse(n);return r(e)?e:void 0}catch{return}}export{r as a,t as b};
