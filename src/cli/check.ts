// `check`: the action's pre-flight alone, on files, directories or globs. It calls the same entry
// the action's first stage calls (prepareDists), so a file it passes is one the action would take,
// and a file it refuses is refused with the same message. Nothing is signed, sent or requested.
import { prepareDists, formatProblem } from '../engine/prepare.ts';
import { isAbsolute, relative } from 'node:path';
import type { Problem } from '../dists/types.ts';
import { inertJson, inertLines } from '../report/log-line.ts';

export interface CheckOptions {
  paths: string[];
  cwd: string;
  verifyMetadata: boolean;
  json: boolean;
  /** Where the report goes (stdout). */
  write(text: string): void;
}

type Verdict = 'passed' | 'warnings' | 'failed';

function verdictOf(problems: Problem[]): Verdict {
  if (problems.some((p) => p.severity === 'error')) return 'failed';
  return problems.length > 0 ? 'warnings' : 'passed';
}

/** Runs the pre-flight; resolves with the exit status (0 every file would be taken, 1 one would be refused). */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const prepared = await prepareDists(opts.paths.length > 0 ? opts.paths : ['dist'], opts.cwd, opts.verifyMetadata);
  // A large dist's SHA-256 is read after the checks: a read that fails there is a problem too.
  const problems = [...prepared.problems, ...(await prepared.digested).problems];
  const names = (path: string) => [path, path.split(/[\\/]/).pop() ?? path];
  const about = (path: string) => problems.filter((p) => names(path).includes(p.file));
  // Shown as the user named them: relative to where the command runs, unless outside it.
  const shown = (path: string) => {
    const rel = relative(opts.cwd, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const files = prepared.paths.map((path) => ({ path: shown(path), verdict: verdictOf(about(path)), problems: about(path) }));
  const ok = !problems.some((p) => p.severity === 'error');
  if (opts.json) {
    opts.write(`${inertJson(JSON.stringify({ ok, files: files.map(({ path, verdict }) => ({ path, verdict })), problems }, null, 2))}\n`);
    return ok ? 0 : 1;
  }
  const lines: string[] = [];
  for (const f of files) {
    lines.push(`Checking ${f.path}: ${f.verdict.toUpperCase()}`);
    for (const p of f.problems) lines.push(`  ${p.severity}: ${formatProblem({ ...p, file: '' })}`);
  }
  // Problems about no file that was read: the inputs, a path that was not a dist.
  const listed = new Set(prepared.paths.flatMap(names));
  for (const p of problems.filter((p) => !listed.has(p.file))) lines.push(`${p.severity}: ${formatProblem(p)}`);
  const refused = files.filter((f) => f.verdict === 'failed').length;
  lines.push(
    ok
      ? `${files.length} file(s) would be accepted.`
      : `${refused > 0 ? `${refused} of ${files.length} file(s) would be refused` : 'The check failed'}; the action would upload nothing.`,
  );
  // File names and metadata fields are shown: none of them may act as a workflow command on a runner.
  opts.write(`${inertLines(lines.join('\n'))}\n`);
  return ok ? 0 : 1;
}
