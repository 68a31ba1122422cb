import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
var e=class extends Error{code;constructor(o,s,t){super(s,t),this.code=o,this.name=new.target.name}},n=class extends e{status;constructor(o,s,t){super(o,s,t),this.status=t?.status}},E=class extends e{},I=class extends e{},d=class extends e{};export{e as a,n as b,E as c,I as d,d as e};
