// The structure of a step log as the runner folds it: `::group::TITLE` … `::endgroup::`. Groups do not
// nest on GitHub (a group opened inside another ends it), so a log is a sequence of groups and the
// lines between them.

export interface LogShape {
  /** Group titles, in order. */
  groups: string[];
  /** Lines outside every group. */
  outside: string[];
  /** What is wrong with the folding: a group opened inside another, an end without a start, a group left open. */
  faults: string[];
}

export function logShape(stdout: string): LogShape {
  const shape: LogShape = { groups: [], outside: [], faults: [] };
  let open: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::group::')) {
      if (open !== undefined) shape.faults.push(`"${line.slice(9)}" opened inside "${open}"`);
      open = line.slice(9);
      shape.groups.push(open);
    } else if (line === '::endgroup::') {
      if (open === undefined) shape.faults.push('an ::endgroup:: without a group');
      open = undefined;
    } else if (open === undefined) {
      shape.outside.push(line);
    }
  }
  if (open !== undefined) shape.faults.push(`"${open}" is never closed`);
  return shape;
}
