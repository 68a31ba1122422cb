// The bibliographic fields of a description, as docutils 0.23 extracts them (transforms/frontmatter.py
// DocInfo): a field list that is the document's first element (after its title and subtitle, when
// docutils promotes them) is its docinfo, and a field docutils knows by name (Author, Version, Date,
// Copyright …) must not be empty, and, but for Authors, Dedication and Abstract, must hold one
// paragraph. A template's empty `:Version:` or `:Date:` at the top of a README is the usual case; each
// is a warning, so PyPI refuses the description. Fields whose bodies are not read with certainty
// here are not judged.
import type { RstLine } from './rst.ts';
import { readEnumerator } from './rst-enumerator.ts';
import { BULLET_MARKER, FIELD_MARKER, PLAIN_FIELD_NAME } from './rst-patterns.ts';

/** The shapes docutils' message says an Authors field may take (DocInfo.extract_authors). */
const AUTHORS_SHAPES = (name: string) =>
  `Bibliographic field "${name}" must contain either\n a single paragraph (with author names separated by a character from the set ";,"),\n multiple paragraphs (one per author),\n or a bullet list with one author name per item.\nNote: Leading initials can cause (mis)recognizing names as enumerated list.`;

/** languages/en.py bibliographic_fields, each with what it holds: one paragraph, authors, or a topic. */
const BIBLIOGRAPHIC: Readonly<Record<string, 'paragraph' | 'authors' | 'topic'>> = {
  author: 'paragraph',
  authors: 'authors',
  organization: 'paragraph',
  address: 'paragraph',
  contact: 'paragraph',
  version: 'paragraph',
  revision: 'paragraph',
  status: 'paragraph',
  date: 'paragraph',
  copyright: 'paragraph',
  dedication: 'topic',
  abstract: 'topic',
};

/** A field of the list: its name as written, the text after its marker, and its body's lines under it (blank ones included). */
interface Field {
  name: string;
  line: number;
  rest: string;
  under: RstLine[];
}

/** The fields of the field list at the margin starting at `start`, to the first line at the margin that is no field. */
function fieldsAt(lines: readonly RstLine[], start: number): Field[] {
  const fields: Field[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] as RstLine;
    if (line.blank || line.indent > 0) {
      fields.at(-1)?.under.push(line);
      continue;
    }
    const marker = FIELD_MARKER.exec(line.text);
    if (!marker) break;
    fields.push({ name: marker[1] as string, line: i + 1, rest: line.text.slice(marker[0].length), under: [] });
  }
  return fields;
}

/** What docutils says of one bibliographic field's body, if it cannot extract it. */
function fieldProblem(field: Field, holds: 'paragraph' | 'authors' | 'topic'): string | undefined {
  const { name, rest, under } = field;
  const texts = [rest, ...under.map((l) => (l.blank ? '' : l.text.trimStart()))];
  // Runs of lines between blank lines: a paragraph is one, and holds no blank line.
  const runs = texts
    .join('\n')
    .split(/\n(?:\n)+/)
    .map((run) => run.replace(/^\n+|\n+$/g, ''))
    .filter((run) => run.trim() !== '');
  if (runs.length === 0) return `Cannot extract empty bibliographic field "${name}".`;
  // An author's initial makes an enumerated list of one line (`E. Xampl`), which Authors cannot hold.
  const numbered = (run: string) => {
    const enumerator = run.includes('\n') ? undefined : readEnumerator(run.trimStart());
    return enumerator !== undefined && enumerator.ordinal !== null && run.trimStart().length > enumerator.marker.length;
  };
  if (holds === 'authors' && runs.length === 1 && numbered(runs[0] as string))
    return `Cannot extract "${name}" from bibliographic field:\n${AUTHORS_SHAPES(name)}`;
  if (holds !== 'paragraph') return undefined;
  const single = (content: string) => `Bibliographic field "${name}"\nmust contain a single <paragraph>, not ${content}.`;
  if (runs.length > 1) return single('[<paragraph>, …]');
  return BULLET_MARKER.test(runs[0] as string) ? single('a <bullet_list>') : undefined;
}

/** The problems docutils reports of the bibliographic fields of the field list at `start`. */
export function docinfoProblems(lines: readonly RstLine[], start: number): string[] {
  const out: string[] = [];
  const topics = new Set<string>();
  for (const field of fieldsAt(lines, start)) {
    if (!PLAIN_FIELD_NAME.test(field.name)) continue;
    const normed = field.name.trim().replace(/\s+/g, ' ').toLowerCase();
    const holds = Object.hasOwn(BIBLIOGRAPHIC, normed) ? BIBLIOGRAPHIC[normed] : undefined;
    if (!holds) continue;
    const problem = fieldProblem(field, holds) ?? (holds === 'topic' && topics.has(normed) ? `There can only be one "${field.name}" field.` : undefined);
    if (problem) out.push(`line ${field.line}: ${problem}`);
    else if (holds === 'topic') topics.add(normed);
  }
  return out;
}
