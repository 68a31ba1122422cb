// The data of a list-table or a csv-table as docutils 0.23 checks it (directives/tables.py ListTable
// and CSVTable: check_list_content, check_table_dimensions, get_column_widths): a list table's content
// must be one bullet list of rows, each one bullet list of cells, every row as long as the first; a
// table must have more rows than header rows and more cells in a row than stub columns; and a width
// list must have a width for each column. A row one cell short, or `:widths:` left from an older
// version of the table, are the README mistakes; each is an error, so PyPI refuses the description.
// Where the content's shape is not plain enough to count for certain, nothing is judged.
import type { DirectiveParts } from './rst-directive-options.ts';
import { pyInt } from './python-int.ts';
import { BULLET_MARKER } from './rst-patterns.ts';

/** The bullet character an item starts with, if the line is a bullet list item. */
const bulletOf = (text: string) => (BULLET_MARKER.test(text) ? text[0] : undefined);

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * The cells of one row, as docutils reads a bullet item (Body.list_item): the text after its marker,
 * then its other lines at the marker's width (`width`), or, when no text follows the marker, at their
 * least indentation. Its body must be one bullet list, whose items are the lines at that margin. A
 * row number `n`; docutils' reason to refuse it, or undefined where a line ends the item early (less
 * indented than the marker's width), which is not read here.
 */
function rowCells(first: string, rest: readonly string[], width: number, n: number): number | string | undefined {
  const noCells = `two-level bullet list expected, but row ${n} does not contain a second-level bullet list`;
  const written = rest.filter((l) => l !== '');
  const margin = first === '' ? written.reduce((least, l) => Math.min(least, indentOf(l)), Number.POSITIVE_INFINITY) : width;
  if (written.some((l) => indentOf(l) < margin)) return undefined;
  let bullet = bulletOf(first);
  if (first !== '' && bullet === undefined) return noCells;
  let cells = bullet === undefined ? 0 : 1;
  for (const line of written) {
    if (indentOf(line) > margin) {
      if (bullet === undefined) return noCells;
      continue;
    }
    const item = bulletOf(line.slice(margin));
    if (item === undefined || (bullet !== undefined && item !== bullet)) return noCells;
    bullet = item;
    cells++;
  }
  return cells > 0 ? cells : noCells;
}

/**
 * The cells of each row of a list table's content (at its block's margin), or docutils' error about
 * its shape: anything before, between or after the rows, a row whose body is not one bullet list,
 * rows of different lengths.
 */
function listTableRows(name: string, content: readonly string[]): number[] | string | undefined {
  const error = (detail: string) => `Error parsing content block for the "${name}" directive: ${detail}.`;
  const lines = content.slice(content.findIndex((l) => l !== ''));
  const top = bulletOf(lines[0] ?? '');
  const starts = lines.flatMap((l, i) => (l !== '' && indentOf(l) === 0 ? [i] : []));
  if (top === undefined || starts.some((i) => bulletOf(lines[i] as string) !== top)) return error('exactly one bullet list expected');
  const rows: number[] = [];
  for (const [k, start] of starts.entries()) {
    const line = lines[start] as string;
    const width = (BULLET_MARKER.exec(line) as RegExpExecArray)[0].length;
    const cells = rowCells(line.slice(width), lines.slice(start + 1, starts[k + 1]), width, k + 1);
    if (typeof cells !== 'number') return cells && error(cells);
    rows.push(cells);
  }
  const uneven = rows.findIndex((n) => n !== rows[0]);
  if (uneven > 0)
    return error(
      `uniform two-level bullet list expected, but row ${uneven + 1} does not contain the same number of items as row 1 (${rows[uneven]} vs ${rows[0]})`,
    );
  return rows;
}

/** Where Python's csv reader stands in a record (Modules/_csv.c parse_process_char). */
type CsvState = 'record' | 'field' | 'in field' | 'quoted' | 'quote in quoted' | 'eat newline';

/** One character (or the end of a line, '') of docutils' dialect: comma, double quote doubled, strict; `skipSpace` unless keepspace. Returns the next state and whether a field ended, or csv.Error's text. */
function csvStep(state: CsvState, c: string, skipSpace: boolean): [CsvState, boolean] | string {
  const end = c === '' || c === '\n';
  const lineEnd = (c === '' ? 'record' : 'eat newline') as CsvState;
  if (state === 'record') return c === '' ? ['record', false] : c === '\n' ? ['eat newline', false] : csvStep('field', c, skipSpace);
  if (state === 'field') {
    if (end) return [lineEnd, true];
    if (c === '"') return ['quoted', false];
    if (c === ' ' && skipSpace) return ['field', false];
    return c === ',' ? ['field', true] : ['in field', false];
  }
  if (state === 'in field') return end ? [lineEnd, true] : c === ',' ? ['field', true] : ['in field', false];
  if (state === 'quoted') return c === '"' ? ['quote in quoted', false] : ['quoted', false];
  if (state === 'quote in quoted') {
    if (c === '"') return ['quoted', false];
    if (c === ',') return ['field', true];
    if (end) return [lineEnd, true];
    return "',' expected after '\"'";
  }
  return c === ''
    ? ['record', false]
    : c === '\n'
      ? ['eat newline', false]
      : "new-line character seen in unquoted field - do you need to open the file with newline=''?";
}

/**
 * The cells of each row of CSV data as Python's csv module reads it with docutils' dialect (each line
 * given with its line break; a blank line is a row of no cells), or csv.Error's text; undefined when
 * an option changes the delimiter, the quote or the escape character.
 */
function csvRows(lines: readonly string[], options: DirectiveParts['options']): number[] | string | undefined {
  if (options.has('delim') || options.has('quote') || options.has('escape')) return undefined;
  const rows: number[] = [];
  let state: CsvState = 'record';
  let cells = 0;
  for (const line of lines) {
    for (const c of [...line, '\n', '']) {
      const step = csvStep(state, c, !options.has('keepspace'));
      if (typeof step === 'string') return step;
      [state] = step;
      if (step[1]) cells++;
    }
    if (state === 'record') {
      rows.push(cells);
      cells = 0;
    }
  }
  return state === 'record' ? rows : 'unexpected end of data';
}

/** check_table_dimensions, then get_column_widths (a list table checks its widths first). */
function dimensionsProblem(name: string, rows: number[], columns: number, options: DirectiveParts['options'], widthsFirst: boolean): string | undefined {
  const count = (option: string) => pyInt(options.get(option) ?? '0') ?? 0;
  const headerRows = count('header-rows');
  const stubColumns = count('stub-columns');
  const widths = options.get('widths');
  const widthsListed = widths !== undefined && widths !== null && widths !== 'auto' && widths !== 'grid';
  const widthsCount = widthsListed ? (widths.includes(',') ? widths.split(',') : widths.trim().split(/\s+/)).length : columns;
  const widthsProblem =
    widthsCount !== columns
      ? `"${name}" widths do not match the number of columns in table (${columns}).`
      : columns === 0
        ? 'No table data detected in CSV file.'
        : undefined;
  if (widthsFirst && widthsProblem) return widthsProblem;
  if (rows.length < headerRows) return `${headerRows} header row(s) specified but only ${rows.length} row(s) of data supplied ("${name}" directive).`;
  if (rows.length === headerRows && headerRows > 0)
    return `Insufficient data supplied (${rows.length} row(s)); no data remaining for table body, required by "${name}" directive.`;
  for (const cells of rows) {
    if (cells < stubColumns) return `${stubColumns} stub column(s) specified but only ${cells} columns(s) of data supplied ("${name}" directive).`;
    if (cells === stubColumns && stubColumns > 0)
      return `Insufficient data supplied (${cells} columns(s)); no data remaining for table body, required by "${name}" directive.`;
  }
  return widthsProblem;
}

/** What docutils reports of a list table's content (ListTable.run), if it refuses it. */
export function listTableProblem(name: string, parts: DirectiveParts): string | undefined {
  if (!parts.content.some((l) => l !== '')) return `The "${name}" directive is empty; content required.`;
  const rows = listTableRows(name, parts.content);
  if (!Array.isArray(rows)) return rows;
  return dimensionsProblem(name, rows, rows[0] as number, parts.options, true);
}

/** What docutils reports of a csv-table's inline data (CSVTable.run, after its content is known to be there), if it refuses it. */
export function csvTableProblem(name: string, parts: DirectiveParts): string | undefined {
  const header = parts.options.get('header');
  const headerRows = header === undefined ? [] : csvRows(header === null ? [] : header.split('\n'), parts.options);
  const rows = csvRows(parts.content, parts.options);
  for (const read of [headerRows, rows]) if (typeof read === 'string') return `Error with CSV data in "${name}" directive:\n${read}`;
  if (!Array.isArray(rows) || !Array.isArray(headerRows)) return undefined;
  const columns = [...rows, ...headerRows].reduce((most, n) => Math.max(most, n), 0);
  return dimensionsProblem(name, rows, columns, parts.options, false);
}
