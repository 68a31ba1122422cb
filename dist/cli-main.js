import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import{a as y,b as m,c as w,d as P}from"./chunks/chunk-PMCGBGIB.js";import{b as g,w as S,x as v}from"./chunks/chunk-WUN7FUAX.js";import{a as u,b as U,c as _,e as h,f as I}from"./chunks/chunk-Q6E572WO.js";import"./chunks/chunk-NKIXQXPF.js";import"./chunks/chunk-HZ7CTXSJ.js";import"./chunks/chunk-PGFJQNAI.js";import"./chunks/chunk-NUVCT7FZ.js";import"./chunks/chunk-MWHXAVZ3.js";import"./chunks/chunk-XEZR3MA2.js";import"./chunks/chunk-PPJUOMYU.js";import"./chunks/chunk-67BG23Y2.js";import{isAbsolute as k,relative as E}from"node:path";function A(t){return t.some(e=>e.severity==="error")?"failed":t.length>0?"warnings":"passed"}async function b(t){let e=await y(t.paths.length>0?t.paths:["dist"],t.cwd,t.verifyMetadata),n=[...e.problems,...await e.digested],d=r=>[r,r.split(/[\\/]/).pop()??r],s=r=>n.filter(l=>d(r).includes(l.file)),o=r=>{let l=E(t.cwd,r);return l.startsWith("..")||k(l)?r:l},i=e.paths.map(r=>({path:o(r),verdict:A(s(r)),problems:s(r)})),p=!n.some(r=>r.severity==="error");if(t.json)return t.write(`${JSON.stringify({ok:p,files:i.map(({path:r,verdict:l})=>({path:r,verdict:l})),problems:n},null,2)}
`),p?0:1;let a=[];for(let r of i){a.push(`Checking ${r.path}: ${r.verdict.toUpperCase()}`);for(let l of r.problems)a.push(`  ${l.severity}: ${m({...l,file:""})}`)}let f=new Set(e.paths.flatMap(d));for(let r of n.filter(l=>!f.has(l.file)))a.push(`${r.severity}: ${m(r)}`);let c=i.filter(r=>r.verdict==="failed").length;return a.push(p?`${i.length} file(s) would be accepted.`:`${c>0?`${c} of ${i.length} file(s) would be refused`:"The check failed"}; the action would upload nothing.`),t.write(`${a.join(`
`)}
`),p?0:1}var R=`Usage: node dist/cli.js <command> [flags]

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
  Booleans also take =true / =false. Trusted Publishing and Sigstore come from the environment, as in
  a workflow: ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF, and
  PYPI_PUBLISH_TRUST_CONFIG for a Sigstore other than public-good. GITHUB_STEP_SUMMARY, when set, gets
  the job summary.

check [flags] PATH...       Files, directories or globs (default: dist).
  --no-verify-metadata      As the action's verify-metadata: false.
  --json                    One JSON document on stdout, for machines.

Other:
  --help, -h                This text.
  --version, -V             The CLI's version.

Exit status: 0 success; 1 a file was refused or not published; 2 a usage or input error.
Requires Node 24 or newer.`;import{appendFile as C}from"node:fs/promises";function T(t,e){let n=new Set,d=o=>[...n].reduce((i,p)=>i.split(p).join("***"),o),s=o=>(i,p)=>console.log(d(`${o}${p?`${p}: `:""}${i}`));return{log:{info:s(""),debug:t?s("  "):()=>{},notice:s("notice: "),warning:s("warning: "),error:s("error: ")},mask:o=>{o&&n.add(o)},appendSummary:async o=>{e&&await C(e,d(o))},setOutput:(o,i)=>{t&&console.log(d(`output ${o}=${i}`))}}}var N="`upload` needs --repository-url: the CLI has no default index, so that a rehearsal never publishes to PyPI by accident. Give https://upload.pypi.org/legacy/ to publish to PyPI, https://test.pypi.org/legacy/ for TestPyPI.";async function O({flags:t,env:e,cwd:n,bundleUrl:d}){if(t["repository-url"]===void 0)throw new u(N);let s={};for(let[c,r]of Object.entries(t))s[`INPUT_${c.toUpperCase()}`]=r;e.INPUT_PASSWORD&&(s.INPUT_PASSWORD=e.INPUT_PASSWORD);let{config:o,notices:i,errors:p}=g(s),a=T(o?.verbose??!0,e.GITHUB_STEP_SUMMARY);o?.password&&a.mask(o.password);for(let c of i)a.log[c.level](c.message,c.title);if(!o){for(let c of p)a.log.error(c);return 2}let f=v(e,a,{uploadConcurrency:o.uploadConcurrency,verifierWorker:S(d)});try{let c={repository:e.GITHUB_REPOSITORY,workflowRef:e.GITHUB_WORKFLOW_REF,eventName:e.GITHUB_EVENT_NAME,eventPath:e.GITHUB_EVENT_PATH,workspace:n},r=await w(o,c,a,f);return await P(r,a,{repositoryUrl:o.repositoryUrl.href,mode:o.mode,workspace:n}),r.failure?1:0}finally{await f.close()}}var x=t=>t.some(e=>e==="--help"||e==="-h");async function $(t){let{command:e,rest:n}=I(t);if(e==="verify"){let{verifyMain:s}=await import("./chunks/main-G7MZIGK2.js");return s(n,process.env)}if(e==="help"||x(n))return console.log(R),0;if(e==="version")return console.log("0.1.0"),0;if(e==="check"){let{flags:s,positional:o}=h(n,_,"check");return b({paths:o,cwd:process.cwd(),verifyMetadata:s["verify-metadata"]!=="false",json:s.json==="true",write:i=>process.stdout.write(i)})}let{flags:d}=h(n,U,"upload");return O({flags:d,env:process.env,cwd:process.cwd(),bundleUrl:import.meta.url})}async function G(t){try{return await $(t)}catch(e){return e instanceof u?(console.error(`error: ${e.message}`),2):(console.error(e instanceof Error?e.message:String(e)),1)}}process.exit(await G(process.argv.slice(2)));export{G as main};
