import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as T,b as O,c as w,d as v}from"./chunks/chunk-3EYRRSML.js";import{A as E,f as S}from"./chunks/chunk-MKM5XAOC.js";import{a as m,b as U,c as k,e as P,f as A}from"./chunks/chunk-RBCIPPMR.js";import"./chunks/chunk-CGYIOXBG.js";import{a as y}from"./chunks/chunk-FQEAPNYR.js";import{k as b}from"./chunks/chunk-YML72Y5O.js";import"./chunks/chunk-RPYC6CK2.js";import"./chunks/chunk-VLBVKTZD.js";import{a as h}from"./chunks/chunk-B2FZPNOT.js";import"./chunks/chunk-TYAVNDYV.js";import"./chunks/chunk-3XWM5B2F.js";import"./chunks/chunk-LSPSAGXP.js";import"./chunks/chunk-SPOZ2SU6.js";import{b as I}from"./chunks/chunk-X2DQLBSV.js";import"./chunks/chunk-JNKK64LL.js";import"./chunks/chunk-EB3OEWJ4.js";import{isAbsolute as j,relative as B}from"node:path";function F(r){return r.some(e=>e.severity==="error")?"failed":r.length>0?"warnings":"passed"}async function N(r){let e=await O(r.paths.length>0?r.paths:["dist"],r.cwd,r.verifyMetadata),o=[...e.problems,...(await e.digested).problems],s=t=>[t,t.split(/[\\/]/).pop()??t],a=t=>o.filter(i=>s(t).includes(i.file)),l=t=>{let i=B(r.cwd,t);return i.startsWith("..")||j(i)?t:i},c=e.paths.map(t=>({path:l(t),verdict:F(a(t)),problems:a(t)})),n=!o.some(t=>t.severity==="error");if(r.json)return r.write(`${JSON.stringify({ok:n,files:c.map(({path:t,verdict:i})=>({path:t,verdict:i})),problems:o},null,2)}
`),n?0:1;let p=[];for(let t of c){p.push(`Checking ${t.path}: ${t.verdict.toUpperCase()}`);for(let i of t.problems)p.push(`  ${i.severity}: ${w({...i,file:""})}`)}let d=new Set(e.paths.flatMap(s));for(let t of o.filter(i=>!d.has(i.file)))p.push(`${t.severity}: ${w(t)}`);let f=c.filter(t=>t.verdict==="failed").length;return p.push(n?`${c.length} file(s) would be accepted.`:`${f>0?`${f} of ${c.length} file(s) would be refused`:"The check failed"}; the action would upload nothing.`),r.write(`${p.join(`
`)}
`),n?0:1}var C=`Usage: node dist/cli.js <command> [flags]

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
Requires Node 24 or newer.`;import{resolve as V}from"node:path";import{appendFile as H}from"node:fs/promises";function x(r,e){let o=s=>(a,l)=>console.log(`${s}${l?`${l}: `:""}${a}`);return{log:{info:o(""),debug:r?o("  "):()=>{},notice:o("notice: "),warning:o("warning: "),error:o("error: "),startGroup:s=>console.log(`\u2500\u2500 ${s}`)},mask:()=>{},appendSummary:async s=>{e&&await H(e,s)},setOutput:(s,a)=>{r&&console.log(`output ${s}=${a}`)}}}import{mkdir as M}from"node:fs/promises";import{join as G}from"node:path";var $="pypi-publish-report",R={markdown:"report.md",results:"results.json",dotenv:"publish.env"},W=4096;function K(r){let e=[];for(let[o,s]of r)o==="results"||s.includes(`
`)||s.includes("\r")||s.length>W||e.push(`PYPI_PUBLISH_${o.toUpperCase().replace(/[^A-Z0-9]/g,"_")}=${s}`);return e}function L(r,e){let o=new Set,s=n=>[...o].reduce((p,d)=>p.split(d).join("***"),n),a=[],l=new Map;return{runtime:{log:r.log,mask(n){n&&o.add(n),r.mask(n)},async appendSummary(n){a.push(n),await r.appendSummary(n)},setOutput(n,p){l.set(n,p),r.setOutput(n,p)}},async write(){await M(e,{recursive:!0});let n=l.get("results"),p=[[R.markdown,a.join("")],[R.results,`${n===void 0?"[]":JSON.stringify(JSON.parse(n),null,2)}
`],[R.dotenv,K(l).map(f=>`${f}
`).join("")]],d=p.map(([f])=>G(e,f));return await Promise.all(p.map(([f,t])=>b(G(e,f),Buffer.from(s(t))))),d}}}var Y="`upload` needs --repository-url: the CLI has no default index, so that a rehearsal never publishes to PyPI by accident. Give https://upload.pypi.org/legacy/ to publish to PyPI, https://test.pypi.org/legacy/ for TestPyPI.";async function D({flags:r,env:e,cwd:o}){if(r["repository-url"]===void 0)throw new m(Y);let s={},{"report-dir":a,...l}=r;for(let[u,g]of Object.entries(l))s[`INPUT_${u.toUpperCase()}`]=g;e.INPUT_PASSWORD&&(s.INPUT_PASSWORD=e.INPUT_PASSWORD);let{config:c,notices:n,errors:p}=S(s),d=a??(I(e)?$:void 0),f=x(c?.verbose??!0,e.GITHUB_STEP_SUMMARY),t=d===void 0?void 0:L(f,V(o,d)),i=y(t?.runtime??f,new h);for(let u of[s.INPUT_PASSWORD,c?.password,e.ACTIONS_ID_TOKEN_REQUEST_TOKEN])u&&i.mask(u);for(let u of n)i.log[u.level](u.message,u.title);if(!c){for(let u of p)i.log.error(u);return 2}let _=E(e,i,{uploadConcurrency:c.uploadConcurrency});try{let u={repository:e.GITHUB_REPOSITORY,workflowRef:e.GITHUB_WORKFLOW_REF,eventName:e.GITHUB_EVENT_NAME,eventPath:e.GITHUB_EVENT_PATH,workspace:o},g=await v(c,u,i,_);return t&&i.log.info(`Report written: ${(await t.write()).join(", ")}`),g.failure?1:0}finally{await _.close()}}var J=r=>r.some(e=>e==="--help"||e==="-h");async function q(r){let{command:e,rest:o}=A(r);if(e==="verify"){let{verifyMain:a}=await import("./chunks/main-EH5TXTP7.js");return a(o,process.env)}if(e==="help"||J(o))return console.log(C),0;if(e==="version")return console.log("0.1.0"),0;if(T(),e==="check"){let{flags:a,positional:l}=P(o,k,"check");return N({paths:l,cwd:process.cwd(),verifyMetadata:a["verify-metadata"]!=="false",json:a.json==="true",write:c=>process.stdout.write(c)})}let{flags:s}=P(o,U,"upload");return D({flags:s,env:process.env,cwd:process.cwd()})}async function Q(r){try{return await q(r)}catch(e){return e instanceof m?(console.error(`error: ${e.message}`),2):(console.error(e instanceof Error?e.message:String(e)),1)}}process.exit(await Q(process.argv.slice(2)));export{Q as main};
