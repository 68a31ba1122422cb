// The end of every run, successful or not: the per-file table in the log, the job summary and the
// outputs. Shared by the action and the CLI so both report the same way.
import type { Runtime } from '../engine/runtime.ts';
import type { PublishResult } from '../engine/publish.ts';
import { resultOutputs } from './outputs.ts';
import { countByStatus, renderSummary } from './summary.ts';
import { redactUrl } from '../http/client.ts';

export async function reportResult(result: PublishResult, runtime: Runtime, repositoryUrl: string): Promise<void> {
  const { files, failure } = result;
  // The summary and the log are public: a query (an index may take a token there) is not shown.
  const indexUrl = redactUrl(repositoryUrl);
  const width = files.reduce((w, f) => Math.max(w, f.status.length), 8);
  runtime.log.info(`Results for ${indexUrl}:`);
  for (const f of files) runtime.log.info(`  ${f.status.padEnd(width)}  ${f.filename}${f.reason ? `  (${f.reason})` : ''}`);
  const counts = countByStatus(files);
  const tally = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  runtime.log.info(`Summary: ${tally || 'no files'}`);

  for (const [name, value] of Object.entries(resultOutputs(files))) runtime.setOutput(name, value);

  const title = failure ? `❌ Publishing to ${indexUrl} failed` : `📦 Published to ${indexUrl}`;
  const extra = failure ? ['### What went wrong', '', failure.summary ?? failure.message.replace(/\n/g, '  \n')] : [];
  await runtime.appendSummary(renderSummary(title, files, extra));
}
