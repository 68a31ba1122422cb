// What the pre-flight does not decide as PyPI does. The reStructuredText check it does make is
// src/dists/rst.ts.

/**
 * What the pre-flight does NOT decide as PyPI does. Every other rule of warehouse's file_upload is
 * applied as warehouse applies it (src/dists/form-rules.ts and the modules it names), which the
 * differential test (__tests__/dists/differential.test.ts) holds to the PyPI stand-in. Left: the
 * rendering of a reStructuredText description (docutils, any warning fails the upload; only
 * the commonest problems are checked, src/dists/rst.ts) and what depends on the index's state. The README's
 * "Not checked" table quotes this list.
 */
export const NOT_CHECKED: readonly string[] = [
  'reStructuredText: what docutils refuses other than misplaced section titles and title styles out of their level, transitions, topics and sidebars, directives without their content or arguments, blocks and lists that end without a blank line, explicit markup docutils cannot make (a hyperlink target without its colon, a footnote or citation without content, a substitution definition without a directive), a description of only a title, its subtitle and invisible markup (readme-renderer 45.0, the version warehouse pins, renders it to nothing), a top-level simple table without its bottom border, a paragraph ending with :: and no literal block after it, unknown or disabled directives, a role directive whose names docutils refuses or whose base role it does not know, a default role it does not know, a csv-table read from a file or a URL (readme_renderer forbids both) or with no data, a list-table or csv-table whose rows, width list, header rows or stub columns do not fit, an empty or compound bibliographic field at the document start, and, in paragraphs, titles, list items, fields, options, footnotes, admonitions, definition terms, parsed literal blocks and line blocks, roles docutils does not know, has not implemented (`:index:`, `:uri:`), disables (`:raw:` and every role derived from it, `.. role:: raw-html(raw)`) or refuses the text of (`:pep:` and `:rfc:` without a number) and inline markup without its end (*emphasis, ``literal, `phrase), duplicate explicit or unknown link targets, references to a name two section titles share (`Usage` under two parts), undefined substitutions and unpaired anonymous links — e.g. references to targets a table cell defines, and substitution definitions, other malformed tables, an encoding docutils does not know, the widths of a table directive that do not fit its table, indirect targets to nowhere, auto-numbered footnote references without footnotes; and anything inside literal blocks, most directives, tables and line blocks',
  'PyPI-side state: project ownership and permissions, existing files and file names used before, the 14-day release window, one sdist per release already on the index, project total size and per-project size limits',
];
