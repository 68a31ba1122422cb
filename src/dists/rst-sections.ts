// The levels of a text's section titles (docutils' RSTState.check_subsection): each title style, an
// underline alone or an overline and an underline together, takes the next level the first time it is
// seen, and a title may go at most one level deeper than the section it stands in. A style first seen
// below the deepest section open skips a level: docutils' error "Inconsistent title style", and the
// title is no section (the level stays). The title read from an adornment re-read as text is
// underlined only.

/** A top-level title: the 0-based index of its text's line, and its style. */
export interface SectionTitle {
  line: number;
  style: string;
}

/** docutils' error for the first title that skips a level, if one does. */
export function titleLevelProblem(titles: readonly SectionTitle[]): string | undefined {
  const styles: string[] = [];
  let level = 0;
  for (const { line, style } of titles) {
    const known = styles.indexOf(style);
    const next = known < 0 ? styles.length + 1 : known + 1;
    if (next > level + 1) return `line ${line + 1}: Inconsistent title style: skip from level ${level} to ${next}.`;
    level = next;
    if (next > styles.length) styles.push(style);
  }
  return undefined;
}
