import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as T,b as y,c as O}from"./chunks/chunk-P3D7SE7R.js";import{f as I,y as v,z as E}from"./chunks/chunk-3ROW7GJV.js";import{a as g,b as U,c as k,e as R,f as A}from"./chunks/chunk-RBCIPPMR.js";import"./chunks/chunk-YGEUTMLX.js";import"./chunks/chunk-DYBTRWZM.js";import{a as P}from"./chunks/chunk-FQEAPNYR.js";import"./chunks/chunk-LV5F544D.js";import"./chunks/chunk-LQERQAFG.js";import"./chunks/chunk-X3RWDER4.js";import"./chunks/chunk-SPOZ2SU6.js";import{b}from"./chunks/chunk-X2DQLBSV.js";import"./chunks/chunk-VLBVKTZD.js";import{a as w}from"./chunks/chunk-B2FZPNOT.js";import"./chunks/chunk-LETISDQ3.js";import"./chunks/chunk-JNKK64LL.js";import"./chunks/chunk-EB3OEWJ4.js";import{isAbsolute as j,relative as B}from"node:path";function F(t){return t.some(e=>e.severity==="error")?"failed":t.length>0?"warnings":"passed"}async function N(t){let e=await T(t.paths.length>0?t.paths:["dist"],t.cwd,t.verifyMetadata),s=[...e.problems,...(await e.digested).problems],n=r=>[r,r.split(/[\\/]/).pop()??r],i=r=>s.filter(a=>n(r).includes(a.file)),l=r=>{let a=B(t.cwd,r);return a.startsWith("..")||j(a)?r:a},d=e.paths.map(r=>({path:l(r),verdict:F(i(r)),problems:i(r)})),o=!s.some(r=>r.severity==="error");if(t.json)return t.write(`${JSON.stringify({ok:o,files:d.map(({path:r,verdict:a})=>({path:r,verdict:a})),problems:s},null,2)}
`),o?0:1;let c=[];for(let r of d){c.push(`Checking ${r.path}: ${r.verdict.toUpperCase()}`);for(let a of r.problems)c.push(`  ${a.severity}: ${y({...a,file:""})}`)}let f=new Set(e.paths.flatMap(n));for(let r of s.filter(a=>!f.has(a.file)))c.push(`${r.severity}: ${y(r)}`);let u=d.filter(r=>r.verdict==="failed").length;return c.push(o?`${d.length} file(s) would be accepted.`:`${u>0?`${u} of ${d.length} file(s) would be refused`:"The check failed"}; the action would upload nothing.`),t.write(`${c.join(`
`)}
`),o?0:1}var C=`Usage: node dist/cli.js <command> [flags]

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
Requires Node 24 or newer.`;import{resolve as Y}from"node:path";import{appendFile as W}from"node:fs/promises";function x(t,e){let s=n=>(i,l)=>console.log(`${n}${l?`${l}: `:""}${i}`);return{log:{info:s(""),debug:t?s("  "):()=>{},notice:s("notice: "),warning:s("warning: "),error:s("error: "),startGroup:n=>console.log(`\u2500\u2500 ${n}`)},mask:()=>{},appendSummary:async n=>{e&&await W(e,n)},setOutput:(n,i)=>{t&&console.log(`output ${n}=${i}`)}}}import{mkdir as H,writeFile as M}from"node:fs/promises";import{join as G}from"node:path";var $="pypi-publish-report",_={markdown:"report.md",results:"results.json",dotenv:"publish.env"},K=4096;function V(t){let e=[];for(let[s,n]of t)s==="results"||n.includes(`
`)||n.includes("\r")||n.length>K||e.push(`PYPI_PUBLISH_${s.toUpperCase().replace(/[^A-Z0-9]/g,"_")}=${n}`);return e}function L(t,e){let s=new Set,n=o=>[...s].reduce((c,f)=>c.split(f).join("***"),o),i=[],l=new Map;return{runtime:{log:t.log,mask(o){o&&s.add(o),t.mask(o)},async appendSummary(o){i.push(o),await t.appendSummary(o)},setOutput(o,c){l.set(o,c),t.setOutput(o,c)}},async write(){await H(e,{recursive:!0});let o=l.get("results"),c=[[_.markdown,i.join("")],[_.results,`${o===void 0?"[]":JSON.stringify(JSON.parse(o),null,2)}
`],[_.dotenv,V(l).map(u=>`${u}
`).join("")]],f=c.map(([u])=>G(e,u));return await Promise.all(c.map(([u,r])=>M(G(e,u),n(r)))),f}}}var J="`upload` needs --repository-url: the CLI has no default index, so that a rehearsal never publishes to PyPI by accident. Give https://upload.pypi.org/legacy/ to publish to PyPI, https://test.pypi.org/legacy/ for TestPyPI.";async function D({flags:t,env:e,cwd:s,bundleUrl:n}){if(t["repository-url"]===void 0)throw new g(J);let i={},{"report-dir":l,...d}=t;for(let[p,h]of Object.entries(d))i[`INPUT_${p.toUpperCase()}`]=h;e.INPUT_PASSWORD&&(i.INPUT_PASSWORD=e.INPUT_PASSWORD);let{config:o,notices:c,errors:f}=I(i),u=l??(b(e)?$:void 0),r=x(o?.verbose??!0,e.GITHUB_STEP_SUMMARY),a=u===void 0?void 0:L(r,Y(s,u)),m=P(a?.runtime??r,new w);for(let p of[i.INPUT_PASSWORD,o?.password,e.ACTIONS_ID_TOKEN_REQUEST_TOKEN])p&&m.mask(p);for(let p of c)m.log[p.level](p.message,p.title);if(!o){for(let p of f)m.log.error(p);return 2}let S=E(e,m,{uploadConcurrency:o.uploadConcurrency,verifierWorker:v(n)});try{let p={repository:e.GITHUB_REPOSITORY,workflowRef:e.GITHUB_WORKFLOW_REF,eventName:e.GITHUB_EVENT_NAME,eventPath:e.GITHUB_EVENT_PATH,workspace:s},h=await O(o,p,m,S);return a&&m.log.info(`Report written: ${(await a.write()).join(", ")}`),h.failure?1:0}finally{await S.close()}}var q=t=>t.some(e=>e==="--help"||e==="-h");async function Q(t){let{command:e,rest:s}=A(t);if(e==="verify"){let{verifyMain:i}=await import("./chunks/main-NOXOBU3H.js");return i(s,process.env)}if(e==="help"||q(s))return console.log(C),0;if(e==="version")return console.log("0.1.0"),0;if(e==="check"){let{flags:i,positional:l}=R(s,k,"check");return N({paths:l,cwd:process.cwd(),verifyMetadata:i["verify-metadata"]!=="false",json:i.json==="true",write:d=>process.stdout.write(d)})}let{flags:n}=R(s,U,"upload");return D({flags:n,env:process.env,cwd:process.cwd(),bundleUrl:import.meta.url})}async function X(t){try{return await Q(t)}catch(e){return e instanceof g?(console.error(`error: ${e.message}`),2):(console.error(e instanceof Error?e.message:String(e)),1)}}process.exit(await X(process.argv.slice(2)));export{X as main};
