// What the pre-flight does not decide as PyPI does. The reStructuredText check it does make is
// src/dists/rst.ts.

/**
 * What the pre-flight does NOT decide as PyPI does. Every other rule of warehouse's file_upload is
 * applied as warehouse applies it (src/dists/form-rules.ts and the modules it names), which the
 * differential test (__tests__/dists/differential.test.ts) holds to the PyPI stand-in. Left: the
 * rendering of a reStructuredText description (docutils, any warning fails the upload; only section
 * titles and transitions are checked, src/dists/rst.ts) and what depends on the index's state. The README's
 * "Not checked" table quotes this list.
 */
export const NOT_CHECKED: readonly string[] = [
  'reStructuredText: everything but section titles and transitions (a short underline or overline, an overline without its matching underline, a title or transition in an indented block) — e.g. unknown directives or roles, unbalanced inline markup (*emphasis, `literal), malformed tables, blocks that end without a blank line, duplicate or unknown link targets, raw/include directives (disabled on PyPI); and titles inside directives, tables and line blocks',
  'PyPI-side state: project ownership and permissions, existing files and file names used before, the 14-day release window, one sdist per release already on the index, project total size and per-project size limits',
];
