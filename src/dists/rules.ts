// The reStructuredText check (warehouse renders the description with readme_renderer, docutils at
// halt level 2: any docutils warning fails the upload) and the list of what the pre-flight does not
// decide as PyPI does.

// ---- Description rendering (warehouse readme.render: readme_renderer with docutils halt_level 2,
// i.e. any docutils WARNING fails the upload for reStructuredText). ----

/**
 * What the pre-flight does NOT decide as PyPI does. Every other rule of warehouse's file_upload is
 * applied as warehouse applies it (src/dists/form-rules.ts and the modules it names), which the
 * differential test (__tests__/dists/differential.test.ts) holds to the PyPI stand-in. Left: the
 * rendering of a reStructuredText description (docutils, any warning fails the upload; only the
 * commonest cheap-to-detect problem is caught) and what depends on the index's state. The README's
 * "Not checked" table quotes this list.
 */
export const NOT_CHECKED: readonly string[] = [
  'reStructuredText: everything except section-title underline/overline length and mismatched over/underlines — e.g. unknown directives or roles, unbalanced inline markup (*emphasis, `literal), malformed tables, bad indentation, duplicate or unknown link targets, raw/include directives (disabled on PyPI)',
  'PyPI-side state: project ownership and permissions, existing files and file names used before, the 14-day release window, one sdist per release already on the index, project total size and per-project size limits',
];

const ADORNMENT = /^([!-/:-@[-`{-~])\1{3,}\s*$/;

/** Cheap reStructuredText checks; returns docutils-style messages ("line N: Title underline too short."). */
export function rstProblems(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  const width = (s: string): number => [...s.trimEnd()].length;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const prev = lines[i - 1] as string;
    if (!ADORNMENT.test(line) || !prev.trim() || ADORNMENT.test(prev) || /^\s/.test(prev)) continue;
    const before = i >= 2 ? (lines[i - 2] as string) : '';
    const hasOverline = ADORNMENT.test(before);
    if (hasOverline) {
      if (before.trim() !== line.trim()) out.push(`line ${i + 1}: Title overline & underline mismatch.`);
      else if (width(before) < width(prev)) out.push(`line ${i - 1}: Title overline too short.`);
      continue;
    }
    // Only a title starting a block: an underline under the 2nd+ line of a paragraph is not a title.
    if (i >= 2 && before.trim()) continue;
    // docutils treats a < 4-char underline as text (INFO only); ADORNMENT already needs ≥ 4.
    if (width(line) < width(prev)) out.push(`line ${i + 1}: Title underline too short.`);
  }
  return out;
}
