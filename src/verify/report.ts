// The verdicts as people and programs read them: a plain table (every row starts with the outcome, a
// word of ours, so no file name or server message can begin a line and become a workflow command),
// JSON (`--json`, the action's `results` output) and a Markdown job summary.
import { markdownText, oneLine } from '../report/markdown.ts';
import { describeIdentity, identityRecord } from './identity.ts';
import type { FileVerdict, Outcome } from './types.ts';

/** Control characters (newlines included) become spaces: data never starts a line of its own. */
const LABEL: Record<Outcome['status'], string> = {
  verified: 'verified',
  'no-provenance': 'no provenance',
  'identity-differs': 'identity differs',
  invalid: 'invalid',
  'hash-differs': 'file hash differs from the lock',
};

export function outcomeText(outcome: Outcome): string {
  switch (outcome.status) {
    case 'verified':
      return `verified (${describeIdentity(outcome.identity)})`;
    case 'no-provenance':
      return `no provenance (${outcome.reason})`;
    case 'identity-differs':
      return `identity differs (expected ${outcome.expected.join(' or ')}, found ${describeIdentity(outcome.found)})`;
    case 'invalid':
      return `invalid (${outcome.reason})`;
    case 'hash-differs':
      return `file hash differs from the lock (lock sha256 ${outcome.lockSha256}${outcome.indexSha256 ? `, index sha256 ${outcome.indexSha256}` : ', no file on the index has it'})`;
  }
}

export function renderTable(verdicts: FileVerdict[]): string {
  const width = verdicts.reduce((w, v) => Math.max(w, LABEL[v.outcome.status].length), 0);
  const rows = verdicts.map((v) => {
    const detail = outcomeText(v.outcome).slice(LABEL[v.outcome.status].length).trim();
    return oneLine(`${LABEL[v.outcome.status].padEnd(width)}  ${v.filename}${detail ? `  ${detail}` : ''}`);
  });
  return rows.join('\n');
}

export function countOutcomes(verdicts: FileVerdict[]): Record<Outcome['status'], number> {
  const counts = { verified: 0, 'no-provenance': 0, 'identity-differs': 0, invalid: 0, 'hash-differs': 0 };
  for (const v of verdicts) counts[v.outcome.status]++;
  return counts;
}

export function summaryLine(verdicts: FileVerdict[]): string {
  const counts = countOutcomes(verdicts);
  const parts = (Object.keys(counts) as Array<Outcome['status']>).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${LABEL[k]}`);
  return `${verdicts.length} file${verdicts.length === 1 ? '' : 's'}: ${parts.join(', ') || 'nothing to verify'}`;
}

/** One JSON object per file, for `--json` and the action's `results` output. */
export function verdictJSON(v: FileVerdict): Record<string, unknown> {
  const o = v.outcome;
  return {
    project: v.project,
    version: v.version,
    filename: v.filename,
    sha256: v.sha256 ?? null,
    provenance_url: v.provenanceUrl ?? null,
    status: o.status,
    outcome: outcomeText(o),
    identity: o.status === 'verified' ? identityRecord(o.identity) : o.status === 'identity-differs' ? identityRecord(o.found) : null,
    expected: o.status === 'identity-differs' ? o.expected : null,
    predicates: o.status === 'verified' ? o.predicates : null,
    reason: o.status === 'invalid' || o.status === 'no-provenance' ? o.reason : null,
  };
}

const ICON: Record<Outcome['status'], string> = {
  verified: '✅',
  'no-provenance': '➖',
  'identity-differs': '❌',
  invalid: '❌',
  'hash-differs': '❌',
};
const MAX_SUMMARY_BYTES = 900 * 1024;

export function renderSummary(verdicts: FileVerdict[]): string {
  const head = ['## Provenance of the locked files', '', summaryLine(verdicts), '', '| File | Outcome |', '| --- | --- |'];
  const rows: string[] = [];
  let bytes = head.join('\n').length;
  for (const [i, v] of verdicts.entries()) {
    const row = `| ${markdownText(v.filename)} | ${ICON[v.outcome.status]} ${markdownText(outcomeText(v.outcome))} |`;
    bytes += Buffer.byteLength(row) + 1;
    if (bytes > MAX_SUMMARY_BYTES) {
      rows.push(`| … ${verdicts.length - i} more files: see the \`results\` output | |`);
      break;
    }
    rows.push(row);
  }
  return [...head, ...rows, ''].join('\n') + '\n';
}
