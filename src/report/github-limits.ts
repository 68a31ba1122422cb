// GitHub drops what is over its limits rather than cutting it: a step summary over 1 MiB is not shown
// at all (actions/runner FileCommandManager: "$GITHUB_STEP_SUMMARY upload aborted"), and a job's
// outputs may hold at most 1 MB, measured in UTF-16 ("Outputs can be a maximum of 1 MB per job",
// GitHub's workflow syntax docs). A release of 10,000 broken files must still show its report, so
// what the action writes there is cut below those limits, at a whole line or list item, with a note
// of what was left out. The cut is made where the summary and outputs are written (guarded-runtime.ts),
// whatever their content.

/** The runner's AttachmentSizeLimit for one step's summary file, in bytes. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** What the action writes to the summary: the limit less room for the note and for other writers of the step. */
export const SUMMARY_BUDGET_BYTES = SUMMARY_LIMIT_BYTES - 16 * 1024;
/** A job's outputs together, in UTF-16 bytes as GitHub counts them. */
export const OUTPUTS_LIMIT_BYTES = 1_000_000;
/** This step's outputs together; the rest of the job keeps the remainder. */
export const OUTPUTS_BUDGET_BYTES = 768 * 1024;
/** One output, so that a huge list cannot starve the small outputs that follow it. */
export const OUTPUT_BUDGET_BYTES = 256 * 1024;

export interface Cut<T> {
  kept: T;
  /** What was left out, for the note; undefined when nothing was. */
  dropped?: { items: number; of: number; unit: string };
}

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');
export const utf16Bytes = (s: string) => s.length * 2;

/** The longest prefix of `lines` whose size fits `budget`; lines are joined with '\n'. */
function keepLines(lines: string[], budget: number, size: (s: string) => number): number {
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const cost = size(line) + (kept > 0 ? size('\n') : 0);
    if (used + cost > budget) break;
    used += cost;
    kept++;
  }
  return kept;
}

/** Markdown for the summary, cut at a whole line to fit `budget` UTF-8 bytes, with a note when cut. */
export function capSummary(markdown: string, budget: number): Cut<string> {
  if (utf8Bytes(markdown) <= budget) return { kept: markdown };
  const lines = markdown.split('\n');
  const note = (n: number) =>
    `\n\n> ⚠️ The summary was cut here: ${n.toLocaleString('en-US')} more lines would put it over GitHub's 1 MiB limit, ` +
    `and GitHub shows no summary at all over it. Every file's result is in the step log.\n`;
  const room = Math.max(0, budget - utf8Bytes(note(lines.length)));
  const kept = keepLines(lines, room, utf8Bytes);
  return { kept: lines.slice(0, kept).join('\n') + note(lines.length - kept), dropped: { items: lines.length - kept, of: lines.length, unit: 'lines' } };
}

/**
 * An output value cut to `budget` UTF-16 bytes: a JSON array keeps its first elements (and stays valid
 * JSON), a list keeps its first lines, anything else its first characters.
 */
export function capOutput(value: string, budget: number): Cut<string> {
  if (utf16Bytes(value) <= budget) return { kept: value };
  const array = parseArray(value);
  if (array) {
    const items = array.map((item) => JSON.stringify(item));
    // "[", "]" and a comma between items: the same accounting as lines joined by one character.
    const kept = keepLines(items, budget - 4, utf16Bytes);
    return { kept: `[${items.slice(0, kept).join(',')}]`, dropped: { items: items.length - kept, of: items.length, unit: 'entries' } };
  }
  const lines = value.split('\n');
  if (lines.length > 1) {
    const kept = keepLines(lines, budget, utf16Bytes);
    return { kept: lines.slice(0, kept).join('\n'), dropped: { items: lines.length - kept, of: lines.length, unit: 'lines' } };
  }
  let end = Math.floor(budget / 2);
  // Never split a surrogate pair.
  if (/[\ud800-\udbff]/.test(value.charAt(end - 1))) end--;
  return { kept: value.slice(0, end), dropped: { items: value.length - end, of: value.length, unit: 'characters' } };
}

function parseArray(value: string): unknown[] | undefined {
  if (!value.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
