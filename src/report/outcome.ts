// How each file's status reads (log, summary) and the run's outcome in one line: which projects and
// versions, and how many of the files are now live on the index. A run where some file is live is
// never headed "failed": it is partial, and says which files are not there yet.
import { parseDistFilename } from '../dists/filename.ts';
import type { FileReport } from './types.ts';

export type Label = 'uploaded' | 'already present' | 'skipped' | 'skipped (differs)' | 'failed' | 'refused' | 'held back';

/** The file at fault (failed, refused before upload) reads differently from the files held back because of it. */
export function labelOf(f: FileReport): Label {
  if (f.status === 'already-present') return 'already present';
  if (f.status === 'skipped') return f.indexSha256 ? 'skipped (differs)' : 'skipped';
  // Without a reason of its own, a file was stopped by the run's failure (the exchange, say): not at fault.
  if (f.status === 'not-attempted') return f.heldBack || !f.reason ? 'held back' : 'refused';
  return f.status;
}

/** The reason as shown after the label ("held back: held back: …" reads once). */
export function reasonOf(f: FileReport): string | undefined {
  if (labelOf(f) !== 'held back') return f.reason;
  return f.reason ? f.reason.replace(/^held back: /, '') : 'the run stopped before upload (see what went wrong)';
}

export const ICON: Record<Label, string> = {
  uploaded: '✅',
  'already present': '☑️',
  skipped: '⏭️',
  'skipped (differs)': '⚠️',
  failed: '❌',
  refused: '❌',
  'held back': '⏸️',
};

/** On the index as this build made it: uploaded now, or byte-identical there already. */
export const isLive = (f: FileReport): boolean => f.status === 'uploaded' || f.status === 'already-present' || (f.status === 'skipped' && !f.indexSha256);

/** "sampleproject 1.0.0", from the file name (the report exists before, and without, a readable dist). */
export function releaseOf(filename: string): string | undefined {
  try {
    const w = parseDistFilename(filename);
    return `${w.name} ${w.versionAsWritten}`;
  } catch {
    return undefined;
  }
}

export function releasesOf(files: FileReport[]): string {
  const releases = [...new Set(files.flatMap((f) => releaseOf(f.filename) ?? []))];
  if (releases.length === 0) return files.length === 0 ? 'No distributions' : 'Distributions';
  return releases.length <= 3 ? releases.join(', ') : `${releases.slice(0, 3).join(', ')} and ${releases.length - 3} more`;
}

export type Verdict = 'published' | 'partial' | 'failed';

export function verdictOf(files: FileReport[], failed: boolean): Verdict {
  const live = files.filter(isLive).length;
  if (!failed && files.every(isLive) && files.length > 0) return 'published';
  // Nothing failed, yet not every file is this build's (skipped, differs): a warning, not a failure.
  return live > 0 || !failed ? 'partial' : 'failed';
}

/** "sampleproject 1.0.0: 2 of 3 files published to URL; 1 failed" */
export function headline(files: FileReport[], failed: boolean, indexUrl: string): string {
  const live = files.filter(isLive).length;
  const counts = new Map<Label, number>();
  for (const f of files) if (!isLive(f)) counts.set(labelOf(f), (counts.get(labelOf(f)) ?? 0) + 1);
  const rest = [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
  const verdict = verdictOf(files, failed);
  const icon = verdict === 'published' ? '✅' : verdict === 'partial' ? '⚠️' : '❌';
  const what = live === 0 ? `nothing published to ${indexUrl}` : `${live} of ${files.length} file${files.length === 1 ? '' : 's'} published to ${indexUrl}`;
  return `${icon} ${releasesOf(files)}: ${what}${rest ? `; ${rest}` : ''}`;
}
