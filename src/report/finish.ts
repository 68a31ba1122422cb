// The end of every run, successful or not: one outcome line per file in the log (outside the stage
// groups), each error once with its full text, the advice that fits it, the job summary and the
// outputs. Shared by the action and the CLI so both report the same way.
import { relative, isAbsolute } from 'node:path';
import type { AuthMode } from '../config/types.ts';
import { isPyPIHost } from '../config/pypi-hosts.ts';
import type { Runtime } from '../engine/runtime.ts';
import type { PublishResult } from '../engine/report.ts';
import { redactUrl } from '../http/client.ts';
import { adviceFor, type CiKind } from '../pypi/advice.ts';
import { headline, ICON, labelOf, reasonOf } from './outcome.ts';
import { resultOutputs } from './outputs.ts';
import { renderSummary } from './summary.ts';
import type { FileReport } from './types.ts';

export interface ReportOptions {
  repositoryUrl: string;
  mode: AuthMode;
  /** Local paths in the summary's commands are shown relative to it. */
  workspace: string;
  /** The CI the job runs in (default GitHub): advice names its Trusted Publisher fields. */
  ci?: CiKind;
}

function outcomeLines(files: FileReport[], indexUrl: string): string[] {
  // A reduce, not Math.max(...): a run of tens of thousands of files would overflow the stack.
  const width = files.reduce((w, f) => Math.max(w, labelOf(f).length), 8);
  const lines = files.map((f) => {
    const label = labelOf(f);
    // A failed file's reason is its error, printed once below; the others' reasons are not errors.
    const reason = reasonOf(f);
    const why = reason && label !== 'failed' ? `  (${reason})` : '';
    const where = label === 'uploaded' && f.url ? `  ${f.url}` : '';
    return `${ICON[label]} ${label.padEnd(width)}  ${f.filename}${where}${why}`;
  });
  return [`Results for ${indexUrl}:`, ...lines];
}

function differsWarning(f: FileReport): string {
  return (
    `${f.filename}: skipped (differs): the index already holds a different file of this name ` +
    `(index sha256 ${f.indexSha256}, this build ${f.sha256 ?? 'unknown'}). The index's file and its provenance are not this build's; ` +
    'to publish this build, give it a new version.'
  );
}

export async function reportResult(result: PublishResult, runtime: Runtime, options: ReportOptions): Promise<void> {
  const { files, failure } = result;
  const { log } = runtime;
  // The summary and the log are public: a query (an index may take a token there) is not shown.
  const indexUrl = redactUrl(options.repositoryUrl);
  for (const f of files.filter((f) => f.indexSha256)) log.warning(differsWarning(f), 'Skipped: a different file of this name exists');
  const title = headline(files, failure !== undefined, indexUrl);
  log.info([...outcomeLines(files, indexUrl), title.replace(/^\S+ /, '')].join('\n'));
  if (failure) log.error(failure.message, failure.title);
  const advice = adviceFor(
    files.filter((f) => f.status === 'failed'),
    options.mode,
    options.ci,
  ).map((a) => a.text);
  if (advice.length > 0) log.info(`What to do:\n${advice.map((a) => `- ${a}`).join('\n')}`);

  for (const [name, value] of Object.entries(resultOutputs(files))) runtime.setOutput(name, value);

  const shown = (path: string) => {
    const rel = relative(options.workspace, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const summary = renderSummary({
    headline: title,
    files,
    signing: result.signing,
    failure: failure ? (failure.summary ?? failure.message.replace(/\n/g, '  \n')) : undefined,
    advice,
    onPyPI: isPyPIHost(new URL(options.repositoryUrl)) && !/test\.pypi\.org/.test(options.repositoryUrl),
    shown,
    ...(runtime.scrub ? { scrub: runtime.scrub } : {}),
  });
  await runtime.appendSummary(summary);
}
