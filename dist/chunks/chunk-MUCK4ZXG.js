import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
function r(t,n){let i=t;for(let e of n)e&&e.length>=8&&(i=i.split(e).join("***"));return i}var o="sigstore";export{r as a,o as b};
