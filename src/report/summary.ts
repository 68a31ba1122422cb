// The job summary: a headline (projects, versions, outcome), the signing identity, one row per file
// (status, size, a short SHA-256, links), the full digests folded away, what went wrong and what to
// do, and how to verify a published file. GitHub caps a step's summary at 1 MiB, so a very long run
// is cut with a note rather than losing the summary.
import { longestBacktickRun, markdownCode, markdownText, oneLine, withoutHtml } from './markdown.ts';
import { ICON, labelOf, isLive, reasonOf } from './outcome.ts';
import { verifyCommands } from './signing.ts';
import type { FileReport, FileStatus, SigningReport } from './types.ts';

const MAX_TABLE_BYTES = 700 * 1024;

export interface SummaryInput {
  headline: string;
  files: FileReport[];
  signing?: SigningReport;
  /** What went wrong (Markdown), when the run failed. */
  failure?: string;
  /** What to do about it, one item each. */
  advice: string[];
  onPyPI: boolean;
  /** How a local path reads from the workspace. */
  shown(path: string): string;
  /** Text with the run's secrets removed, before it is cut (see Runtime.scrub). */
  scrub?(text: string): string;
}

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

/**
 * A link's destination as Markdown reads it back: only http(s), and no character that could end it
 * or the table cell (an index's simple page names these URLs, and its page is not ours to trust).
 */
function linkTarget(url: string): string | undefined {
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return undefined;
  return parsed.href.replace(/[()<>[\]|`\\\s"']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function links(file: FileReport): string {
  const out: string[] = [];
  const url = file.url && linkTarget(file.url);
  if (url) out.push(`[file](${url})`);
  // What the index serves, read back after the upload, beside the link to it.
  const provenance = file.provenanceUrl && isLive(file) && linkTarget(file.provenanceUrl);
  if (provenance) out.push(`[provenance](${provenance})${file.servedProvenance ? ` (served: ${file.servedProvenance})` : ''}`);
  // The entry by its index; a link where the log has a public search page (public-good Sigstore).
  const entry = file.transparencyLogIndex ? `Rekor #${file.transparencyLogIndex}` : 'Rekor';
  const logUrl = file.transparencyLogUrl && linkTarget(file.transparencyLogUrl);
  if (logUrl) out.push(`[${entry}](${logUrl})`);
  else if (file.transparencyLogIndex) out.push(entry);
  return out.join(' · ');
}

/** A reason's first sentence: the table stays readable, and the whole text is under "What went wrong". */
export function shortReason(reason: string): string {
  const cut = reason.search(/\. (?=[A-Z(])| See https?:\/\//);
  const first = cut > 0 ? reason.slice(0, cut) : reason;
  return first.length > 120 ? `${first.slice(0, 119)}…` : first;
}

function statusCell(file: FileReport, scrub: (text: string) => string): string {
  const label = labelOf(file);
  const strong = label === 'failed' || label === 'refused' ? `**${label}**` : label;
  const found = reasonOf(file);
  const reason = found && scrub(found);
  return `${ICON[label]} ${strong}${reason ? `: ${markdownText(shortReason(reason))}` : ''}`;
}

function table(files: FileReport[], scrub: (text: string) => string): string[] {
  const rows = ['| File | Status | Size | SHA-256 | Links |', '| --- | --- | --- | --- | --- |'];
  let bytes = 0;
  for (const [i, file] of files.entries()) {
    const row = `| ${markdownCode(file.filename)} | ${statusCell(file, scrub)} | ${formatSize(file.size)} | ${file.sha256 ? `\`${file.sha256.slice(0, 12)}…\`` : ''} | ${links(file)} |`;
    bytes += Buffer.byteLength(row) + 1;
    if (bytes > MAX_TABLE_BYTES) {
      rows.push(`| … ${files.length - i} more files: see the \`results\` output | | | | |`);
      break;
    }
    rows.push(row);
  }
  return rows;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** `sha256sum -c` reads this block as it is: one line per digest, in a fence no line of it can close. */
function digests(files: FileReport[]): string[] {
  const lines = files.filter((f) => f.sha256 && SHA256.test(f.sha256)).map((f) => `${f.sha256}  ${oneLine(f.filename)}`);
  const differs = files.filter((f) => f.indexSha256 && SHA256.test(f.indexSha256)).map((f) => `${f.indexSha256}  ${oneLine(f.filename)}  (the index's file)`);
  if (lines.length === 0 || lines.length > 2000) return [];
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(lines.concat(differs).join('\n')) + 1));
  return ['<details><summary>Full SHA-256 digests</summary>', '', `${fence}text`, ...lines, ...differs, fence, '', '</details>', ''];
}

function signingLines(signing: SigningReport | undefined, files: FileReport[]): string[] {
  const signed = files.filter((f) => f.bundlePath).length;
  if (!signing || signed === 0) return [];
  const ref = signing.ref ? ` · ref \`${signing.ref}\`` : '';
  return [
    `🔏 **Signed with Sigstore** (${signed} file${signed === 1 ? '' : 's'}) by \`${signing.repository}\` · ${signing.ci === 'gitlab' ? 'pipeline' : 'workflow'} \`${signing.workflow}\`${ref}, ` +
      "each **verified before upload with PyPI's policy**; each signature's transparency log entry is in its row.",
    '',
  ];
}

function verifySection(input: SummaryInput): string[] {
  // The shortest name reads best in a command (a pure wheel or the sdist, not a manylinux wheel).
  const file = input.files.filter((f) => isLive(f) && f.bundlePath).sort((a, b) => a.filename.length - b.filename.length)[0];
  if (!input.signing || !file) return [];
  return ['### Verify a published file', '', '```sh', ...verifyCommands(file, input.signing, input.onPyPI, input.shown), '```', ''];
}

function failureLines(input: SummaryInput): string[] {
  const out: string[] = [];
  // What went wrong quotes an index's words and file names: no link of theirs. The advice is this
  // action's own text, with links of its own.
  if (input.failure) out.push('### What went wrong', '', withoutHtml(input.failure, { links: false }), '');
  if (input.advice.length > 0) out.push('### What to do', '', ...input.advice.map((a) => `- ${withoutHtml(a)}`), '');
  return out;
}

export function renderSummary(input: SummaryInput): string {
  return (
    [
      // The headline names releases from the dists' file names: text, not markup.
      `## ${markdownText(input.headline)}`,
      '',
      ...signingLines(input.signing, input.files),
      ...table(input.files, input.scrub ?? ((text) => text)),
      '',
      ...digests(input.files),
      ...failureLines(input),
      ...verifySection(input),
    ].join('\n') + '\n'
  );
}

export function countByStatus(files: FileReport[]): Record<FileStatus, number> {
  const counts: Record<FileStatus, number> = { uploaded: 0, 'already-present': 0, skipped: 0, failed: 0, 'not-attempted': 0 };
  for (const f of files) counts[f.status]++;
  return counts;
}
