import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var r="https://gitlab.com";function i(n){return!!n.GITLAB_CI}function e(n){return`${n.toUpperCase().replace(/[^A-Z0-9_]|^[^A-Z_]/g,"_")}_ID_TOKEN`}function s(n){return["publish:","  id_tokens:",...n.flatMap(t=>[`    ${e(t)}:`,`      aud: ${t}`])].join(`
`)}export{r as a,i as b,e as c,s as d};
