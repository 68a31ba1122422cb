import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
function o(r,i){let n=r;for(let t of i)t&&t.length>=8&&(n=n.split(t).join("***"));return n}export{o as a};
