// The job summary: one table row per file with its status, size, digest and links. GitHub caps a
// step's summary at 1 MiB, so very long runs are cut with a note rather than losing the summary.
import type { FileReport, FileStatus } from './types.ts';

const ICON: Record<FileStatus, string> = {
  uploaded: '✅ uploaded',
  'already-present': '☑️ already present',
  skipped: '⏭️ skipped',
  failed: '❌ failed',
  'not-attempted': '⏸️ not attempted',
};

const MAX_SUMMARY_BYTES = 900 * 1024;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function links(file: FileReport): string {
  const out: string[] = [];
  if (file.url) out.push(`[file](${file.url})`);
  if (file.provenanceUrl) out.push(`[provenance](${file.provenanceUrl})`);
  if (file.transparencyLogUrl) out.push(`[Rekor](${file.transparencyLogUrl})`);
  return out.join(' · ');
}

export function renderSummary(title: string, files: FileReport[], extra: string[] = []): string {
  const head = [`## ${title}`, '', '| File | Status | Size | SHA256 | Links |', '| --- | --- | --- | --- | --- |'];
  const rows: string[] = [];
  let bytes = head.join('\n').length;
  for (const [i, file] of files.entries()) {
    const status = file.reason ? `${ICON[file.status]}: ${cell(file.reason)}` : ICON[file.status];
    const row = `| \`${cell(file.filename)}\` | ${status} | ${formatSize(file.size)} | ${file.sha256 ? `\`${file.sha256}\`` : ''} | ${links(file)} |`;
    bytes += Buffer.byteLength(row) + 1;
    if (bytes > MAX_SUMMARY_BYTES) {
      rows.push(`| … ${files.length - i} more files: see the \`results\` output | | | | |`);
      break;
    }
    rows.push(row);
  }
  return [...head, ...rows, '', ...extra].join('\n') + '\n';
}

export function countByStatus(files: FileReport[]): Record<FileStatus, number> {
  const counts: Record<FileStatus, number> = { uploaded: 0, 'already-present': 0, skipped: 0, failed: 0, 'not-attempted': 0 };
  for (const f of files) counts[f.status]++;
  return counts;
}
