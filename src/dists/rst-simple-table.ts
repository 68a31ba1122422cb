// A simple table as docutils 0.23 reads it once Body.isolate_simple_table found its lines
// (tableparser.SimpleTableParser): its columns from the top border, its rows (a row goes on while its
// first column is blank; a line of dashes ends it and may join columns), the TableMarkupError docutils
// reports as "Malformed table.", and the text of each cell, which rst.ts parses as a body of its
// own. Lines are code points, an East Asian wide or full-width one followed by a pad
// (pad_double_width); a table with combining characters is not read.
import { PY_SPACE_CHAR } from './python-space.ts';
import { type TableCell, get2DBlock, hasCombining, padded, pyRstrip } from './rst-grid-table.ts';
/** SimpleTableParser.head_body_separator_pat and span_pat (re.match: from the line's start). */
const HEAD_BODY = /^=[ =]*$/;
const SPAN = /^-[ -]*$/;

type Line = string[];
type Column = [start: number, end: number];

/** What docutils reports of a simple table (its line offsets relative to the top border) and its cells. */
export interface SimpleTableReading {
  problems: Array<{ offset: number; message: string }>;
  cells: TableCell[];
}

class TableMarkupError extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super('Malformed table.');
    this.offset = offset;
  }
}

const isSpace = (ch: string | undefined) => ch !== undefined && PY_SPACE_CHAR.test(ch);
const blank = (line: Line) => line.every(isSpace);

/** str.find(ch, from), with Python's negative start counted from the end. */
function find(line: Line, ch: string, from: number): number {
  return line.indexOf(ch, from < 0 ? Math.max(0, line.length + from) : from);
}

/**
 * Reads the simple table of `lines` (its top border first, its bottom border last, at the table's
 * margin, trailing white space off). Undefined when it is not judged.
 */
export function readSimpleTable(lines: readonly string[]): SimpleTableReading | undefined {
  const block = lines.map(padded);
  if (block.some(hasCombining)) return undefined;
  try {
    return { problems: [], cells: new SimpleTableParser(block).parse() };
  } catch (error) {
    if (!(error instanceof TableMarkupError)) throw error;
    return { problems: [{ offset: error.offset, message: error.message }], cells: [] };
  }
}

class SimpleTableParser {
  readonly #block: Line[];
  #columns: Column[] = [];
  #borderEnd = 0;
  readonly #cells: TableCell[] = [];

  constructor(block: Line[]) {
    const dashes = (line: Line) => line.map((ch) => (ch === '=' ? '-' : ch));
    this.#block = block.map((line, i) => (i === 0 || i === block.length - 1 ? dashes(line) : line));
  }

  parse(): TableCell[] {
    this.#findHeadBodySeparator();
    this.#parseTable();
    return this.#cells;
  }

  #findHeadBodySeparator(): void {
    let separator = 0;
    let i = 0;
    for (; i < this.#block.length; i++) {
      const line = this.#block[i] as Line;
      if (!HEAD_BODY.test(line.join(''))) continue;
      if (separator) throw new TableMarkupError(i);
      separator = i;
      this.#block[i] = line.map((ch) => (ch === '=' ? '-' : ch));
    }
    if (separator === this.#block.length - 1) throw new TableMarkupError(i - 1);
  }

  #parseTable(): void {
    this.#columns = this.#columnsOf(this.#block[0] as Line, 0);
    this.#borderEnd = (this.#columns.at(-1) as Column)[1];
    const [firstStart, firstEnd] = this.#columns[0] as Column;
    let start = 1;
    let textFound = false;
    for (let offset = 1; offset < this.#block.length; offset++) {
      const line = this.#block[offset] as Line;
      if (SPAN.test(line.join(''))) {
        this.#parseRow(this.#block.slice(start, offset), start, [pyRstrip(line), offset]);
        start = offset + 1;
        textFound = false;
      } else if (!blank(line.slice(firstStart, firstEnd))) {
        if (textFound && offset !== start) this.#parseRow(this.#block.slice(start, offset), start);
        start = offset;
        textFound = true;
      } else if (!textFound) start = offset + 1;
    }
  }

  /** parse_columns: the (begin, end) of each run of dashes; a span line must end where the top border does. */
  #columnsOf(line: Line, offset: number): Column[] {
    const columns: Column[] = [];
    let end = 0;
    for (;;) {
      const begin = find(line, '-', end);
      end = find(line, ' ', begin);
      if (begin < 0) break;
      if (end < 0) end = line.length;
      columns.push([begin, end]);
    }
    if (this.#columns.length > 0) {
      if ((columns.at(-1) as Column)[1] !== this.#borderEnd) throw new TableMarkupError(offset);
      columns[columns.length - 1] = [(columns.at(-1) as Column)[0], (this.#columns.at(-1) as Column)[1]];
    }
    return columns;
  }

  #parseRow(lines: Line[], start: number, spanLine?: [Line, number]): void {
    if (lines.length === 0 && !spanLine) return;
    const columns = spanLine ? this.#columnsOf(spanLine[0], spanLine[1]) : [...this.#columns];
    this.#checkColumns(lines, start, columns);
    this.#checkSpans(columns, start);
    for (const [left, right] of columns) this.#cells.push({ offset: start, lines: get2DBlock(lines, 0, left, lines.length, right) });
  }

  /** check_columns: nothing but white space between columns; text past the last one widens it (and the table's). */
  #checkColumns(lines: Line[], firstLine: number, columns: Column[]): void {
    const last = columns.length - 1;
    for (let i = 0; i < columns.length; i++) {
      const [start, end] = columns[i] as Column;
      const nextStart = i === last ? Number.POSITIVE_INFINITY : (columns[i + 1] as Column)[0];
      for (const [offset, line] of lines.entries()) {
        if (i === last && !blank(line.slice(end))) {
          const newEnd = start + pyRstrip(line.slice(start)).length;
          const [mainStart, mainEnd] = this.#columns.at(-1) as Column;
          columns[i] = [start, Math.max(mainEnd, newEnd)];
          if (newEnd > mainEnd) this.#columns[this.#columns.length - 1] = [mainStart, newEnd];
        } else if (!blank(line.slice(end, nextStart))) throw new TableMarkupError(firstLine + offset);
      }
    }
  }

  /** init_row: each column of a row starts where one of the table's does, and ends where one does. */
  #checkSpans(columns: Column[], offset: number): void {
    let i = 0;
    for (const [start, end] of columns) {
      if (start !== this.#columns[i]?.[0]) throw new TableMarkupError(offset + 1);
      while (end !== this.#columns[i]?.[1]) {
        i++;
        if (i >= this.#columns.length) throw new TableMarkupError(offset + 1);
      }
      i++;
    }
  }
}
