import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as O,b as U,c as P,d as k}from"./chunks/chunk-S2H374JL.js";import{C as A,f as b}from"./chunks/chunk-HQ5E5EW2.js";import{a as g,b as N,c as C,e as _,f as L}from"./chunks/chunk-3HNFP3U2.js";import"./chunks/chunk-F6HT5RRC.js";import{a as R}from"./chunks/chunk-FHQNTEL4.js";import{l as m,m as E,p as v}from"./chunks/chunk-GNJFDX3L.js";import"./chunks/chunk-KICFBLWM.js";import"./chunks/chunk-VLBVKTZD.js";import{a as y}from"./chunks/chunk-TLIW3GRB.js";import"./chunks/chunk-3XWM5B2F.js";import{c as T}from"./chunks/chunk-7XTDPRS3.js";import{b as w}from"./chunks/chunk-X2DQLBSV.js";import"./chunks/chunk-CVBGMA3U.js";import"./chunks/chunk-JNKK64LL.js";import"./chunks/chunk-IHFBU2PR.js";import"./chunks/chunk-EB3OEWJ4.js";import{isAbsolute as H,relative as M}from"node:path";function W(r){return r.some(e=>e.severity==="error")?"failed":r.length>0?"warnings":"passed"}async function G(r){let e=await U(r.paths.length>0?r.paths:["dist"],r.cwd,r.verifyMetadata),o=[...e.problems,...(await e.digested).problems],s=t=>[t,t.split(/[\\/]/).pop()??t],n=t=>o.filter(a=>s(t).includes(a.file)),l=t=>{let a=M(r.cwd,t);return a.startsWith("..")||H(a)?t:a},p=e.paths.map(t=>({path:l(t),verdict:W(n(t)),problems:n(t)})),i=!o.some(t=>t.severity==="error");if(r.json)return r.write(`${E(JSON.stringify({ok:i,files:p.map(({path:t,verdict:a})=>({path:t,verdict:a})),problems:o},null,2))}
`),i?0:1;let c=[];for(let t of p){c.push(`Checking ${t.path}: ${t.verdict.toUpperCase()}`);for(let a of t.problems)c.push(`  ${a.severity}: ${P({...a,file:""})}`)}let d=new Set(e.paths.flatMap(s));for(let t of o.filter(a=>!d.has(a.file)))c.push(`${t.severity}: ${P(t)}`);let f=p.filter(t=>t.verdict==="failed").length;return c.push(i?`${p.length} file(s) would be accepted.`:`${f>0?`${f} of ${p.length} file(s) would be refused`:"The check failed"}; the action would upload nothing.`),r.write(`${m(c.join(`
`))}
`),i?0:1}var x=`Usage: node dist/cli.js <command> [flags]

Commands:
  upload    Check, sign, verify and upload dists, exactly as the action does in a workflow.
  check     Only the pre-flight checks (like \`twine check\`): no token, no signing, no network.
            Exits 1, with the action's messages, when a file would be refused.
  verify    Check the PEP 740 provenance of what you install (a pylock.toml, requirements or
            pinned releases): \`node dist/cli.js verify --help\`, docs/verify.md.

upload flags (the action's inputs):
  --repository-url URL      Upload endpoint. Required here: the CLI has no default index, so a
                            rehearsal never reaches PyPI by accident.
                            (PyPI: https://upload.pypi.org/legacy/, TestPyPI: https://test.pypi.org/legacy/)
  --packages-dir DIR|GLOB   Where the dists are (default: dist); repeat it for several.
  --user USER               Index user (default: __token__). The password is never a flag: set
                            INPUT_PASSWORD in the environment (\`read -rs INPUT_PASSWORD && export INPUT_PASSWORD\`).
  --skip-existing           Skip files that already exist on the index.
  --no-attestations         Do not sign (attestations need Trusted Publishing).
  --build-attestations auto|require|ignore
                            The <dist>.slsa.attestation files beside the dists (default: auto).
  --no-verify-metadata      Keep only the checks whose failure makes the upload impossible.
  --no-verbose, --no-print-hash, --upload-concurrency N (1-32, default 16)
  --report-dir DIR          Write report.md, results.json and publish.env (dotenv) there
                            (default in a GitLab job: pypi-publish-report).
  Booleans also take =true / =false. Trusted Publishing and Sigstore come from the environment, as in
  a workflow: ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF, and
  PYPI_PUBLISH_TRUST_CONFIG for a Sigstore other than public-good. GITHUB_STEP_SUMMARY, when set, gets
  the job summary. In a GitLab job (GITLAB_CI set) the ID tokens come from the job's \`id_tokens:\`
  variables PYPI_ID_TOKEN (the index's audience, upper-cased) and SIGSTORE_ID_TOKEN: docs/gitlab.md.

check [flags] PATH...       Files, directories or globs (default: dist).
  --no-verify-metadata      As the action's verify-metadata: false.
  --json                    One JSON document on stdout, for machines.

Other:
  --help, -h                This text.
  --version, -V             The CLI's version.

Exit status: 0 success; 1 a file was refused or not published; 2 a usage or input error.
Requires Node 24 or newer.`;import{resolve as q}from"node:path";import{appendFile as K}from"node:fs/promises";function $(r,e){let o=n=>console.log(m(n)),s=n=>(l,p)=>o(`${n}${p?`${p}: `:""}${l}`);return{log:{info:s(""),debug:r?s("  "):()=>{},notice:s("notice: "),warning:s("warning: "),error:s("error: "),startGroup:n=>o(`\u2500\u2500 ${n}`)},mask:()=>{},appendSummary:async n=>{e&&await K(e,n)},setOutput:(n,l)=>{r&&o(`output ${n}=${l}`)}}}import{mkdir as V}from"node:fs/promises";import{join as D}from"node:path";var j="pypi-publish-report",S={markdown:"report.md",results:"results.json",dotenv:"publish.env"},Y=4096;function J(r){let e=[];for(let[o,s]of r)o==="results"||s.includes(`
`)||s.includes("\r")||s.length>Y||e.push(`PYPI_PUBLISH_${o.toUpperCase().replace(/[^A-Z0-9]/g,"_")}=${s}`);return e}function B(r,e){let o=new Set,s=i=>[...o].reduce((c,d)=>c.split(d).join("***"),i),n=[],l=new Map;return{runtime:{log:r.log,mask(i){i&&o.add(i),r.mask(i)},async appendSummary(i){n.push(i),await r.appendSummary(i)},setOutput(i,c){l.set(i,c),r.setOutput(i,c)}},async write(){await V(e,{recursive:!0});let i=l.get("results"),c=[[S.markdown,n.join("")],[S.results,`${i===void 0?"[]":JSON.stringify(JSON.parse(i),null,2)}
`],[S.dotenv,J(l).map(f=>`${f}
`).join("")]],d=c.map(([f])=>D(e,f));return await Promise.all(c.map(([f,t])=>v(D(e,f),Buffer.from(s(t))))),d}}}var Q="`upload` needs --repository-url: the CLI has no default index, so that a rehearsal never publishes to PyPI by accident. Give https://upload.pypi.org/legacy/ to publish to PyPI, https://test.pypi.org/legacy/ for TestPyPI.";async function F({flags:r,env:e,cwd:o}){if(r["repository-url"]===void 0)throw new g(Q);let s={},{"report-dir":n,...l}=r;for(let[u,h]of Object.entries(l))s[`INPUT_${u.toUpperCase()}`]=h;e.INPUT_PASSWORD&&(s.INPUT_PASSWORD=e.INPUT_PASSWORD);let{config:p,notices:i,errors:c}=b(s),d=n??(w(e)?j:void 0),f=$(p?.verbose??!0,e.GITHUB_STEP_SUMMARY),t=d===void 0?void 0:B(f,q(o,d)),a=R(t?.runtime??f,new y,{githubLimits:e.GITHUB_ACTIONS==="true"});for(let u of[s.INPUT_PASSWORD,p?.password,e.ACTIONS_ID_TOKEN_REQUEST_TOKEN])u&&a.mask(u);for(let u of i)a.log[u.level](u.message,u.title);if(!p){for(let u of c)a.log.error(u);return 2}let I=A(e,a,{uploadConcurrency:p.uploadConcurrency});try{let u={repository:e.GITHUB_REPOSITORY,workflowRef:e.GITHUB_WORKFLOW_REF,...w(e)?{publisher:T(e)}:{},eventName:e.GITHUB_EVENT_NAME,eventPath:e.GITHUB_EVENT_PATH,workspace:o},h=await k(p,u,a,I);return t&&a.log.info(`Report written: ${(await t.write()).join(", ")}`),h.failure?1:0}finally{await I.close()}}var z=r=>r.some(e=>e==="--help"||e==="-h");async function X(r){let{command:e,rest:o}=L(r);if(e==="verify"){let{verifyMain:n}=await import("./chunks/main-5UKWW2SH.js");return n(o,process.env)}if(e==="help"||z(o))return console.log(x),0;if(e==="version")return console.log("0.1.0"),0;if(O(),e==="check"){let{flags:n,positional:l}=_(o,C,"check");return G({paths:l,cwd:process.cwd(),verifyMetadata:n["verify-metadata"]!=="false",json:n.json==="true",write:p=>process.stdout.write(p)})}let{flags:s}=_(o,N,"upload");return F({flags:s,env:process.env,cwd:process.cwd()})}async function Z(r){try{return await X(r)}catch(e){return e instanceof g?(console.error(m(`error: ${e.message}`)),2):(console.error(m(e instanceof Error?e.message:String(e))),1)}}process.exit(await Z(process.argv.slice(2)));export{Z as main};
