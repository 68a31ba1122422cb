// A grid table as docutils 0.23 reads it (states.Body.isolate_grid_table, then
// tableparser.GridTableParser): the lines it takes, the problems of its frame, whether its cells
// trace out a complete grid, and the text of each cell (which rst.ts parses as a body of its own).
// Columns are docutils': code points, an East Asian wide or full-width one followed by a pad
// (pad_double_width), combining ones dropped where docutils drops them (strip_combining_chars), from
// the unicodedata of the Python that runs docutils (rst-width.ts).
import { PY_SPACE_CHAR, PYTHON_SPACE } from './python-space.ts';
import { isCombining, isWide } from './rst-width.ts';

/** The grid table's top border, and a border that may be its bottom (Body.grid_table_top_pat). */
const BORDER = /^\+-[-+]+-\+ *$/;
/** The head/body row separator (GridTableParser.head_body_separator_pat). */
const HEAD_BODY = /^\+=[=+]+=\+ *$/;
/** docutils' double_width_pad_char. */
const PAD = '\0';
/** A line `not line.strip()` takes for blank. */
const BLANK = new RegExp(`^[${PYTHON_SPACE}]*$`, 'u');

/** A line as docutils' table code sees it: its code points, each wide one followed by a pad. */
export function padded(line: string): string[] {
  const out: string[] = [];
  for (const ch of line) {
    out.push(ch);
    if (isWide(ch.codePointAt(0) as number)) out.push(PAD);
  }
  return out;
}

/** str.strip: Python's white space off both ends. */
function pyStrip(line: string[]): string[] {
  let [start, end] = [0, line.length];
  while (start < end && PY_SPACE_CHAR.test(line[start] as string)) start++;
  while (end > start && PY_SPACE_CHAR.test(line[end - 1] as string)) end--;
  return line.slice(start, end);
}

const stripCombining = (line: string[]) => line.filter((ch) => !isCombining(ch.codePointAt(0) as number));
/** Whether a table line holds a combining character, which moves get_2D_block's columns in ways not followed here. */
export const hasCombining = (line: readonly string[]) => line.some((ch) => isCombining(ch.codePointAt(0) as number));

/** docutils' error: its line is relative to the table's first line. */
class TableMarkupError extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super('Malformed table.');
    this.offset = offset;
  }
}

/** An assertion of docutils' parser would fail: docutils raises, so the text is not judged. */
class ParserCrash extends Error {}

/** The problems docutils reports for the grid table whose top border is `lines[0]` (each as `offset: message`). */
export interface GridTableReading {
  problems: Array<{ offset: number; message: string }>;
  /** The cells' texts, when the table parses (each parsed by docutils as a body of its own), with the offset of their first line. */
  cells: TableCell[];
}

/** A cell's text as docutils' get_2D_block gives it to the nested parse: its lines, trailing white space and common indentation off. */
export interface TableCell {
  offset: number;
  lines: string[];
}

/**
 * Reads the grid table that starts at `lines[0]`: `lines` are the lines from there to the end of
 * the block it stands in, at the block's margin. Undefined when the table is not judged.
 */
export function readGridTable(lines: readonly string[]): GridTableReading | undefined {
  const problems: GridTableReading['problems'] = [];
  // get_text_block(flush_left=True): to the first blank line; an indented line ends it, an error.
  const block: string[] = [];
  let blankFinish = true;
  for (const [i, line] of lines.entries()) {
    if (BLANK.test(line)) break;
    if (line.startsWith(' ')) {
      problems.push({ offset: i, message: 'Unexpected indentation.' });
      blankFinish = false;
      break;
    }
    block.push(line);
  }
  const frame = isolate(block.map(padded));
  let cells: TableCell[] = [];
  if (frame.problem) problems.push(frame.problem);
  else {
    try {
      cells = parseGrid(frame.block);
    } catch (error) {
      if (error instanceof ParserCrash) return undefined;
      if (!(error instanceof TableMarkupError)) throw error;
      problems.push({ offset: error.offset, message: 'Malformed table.' });
    }
  }
  if (!blankFinish || frame.cut) problems.push({ offset: frame.block.length, message: 'Blank line required after table.' });
  return { problems, cells };
}

/** isolate_grid_table past the text block (its lines padded): its left edge, bottom border and right edge. */
function isolate(lines: string[][]): { block: string[][]; cut: boolean; problem?: { offset: number; message: string } } {
  const block = lines.map(pyStrip);
  const width = (block[0] as string[]).length;
  const text = (i: number) => (block[i] as string[]).join('');
  let cut = false;
  // Python's loop variable outlives the loop: the line a bottom border is missing at depends on it.
  let at = block.length - 1;
  const edge = block.findIndex((l) => !'+|'.includes(l[0] as string));
  if (edge >= 0) {
    block.length = edge;
    at = edge;
    cut = true;
  }
  if (!BORDER.test(text(block.length - 1))) {
    let bottom = -1;
    for (let i = block.length - 2; i > 1; i--) {
      at = i;
      if (BORDER.test(text(i))) {
        bottom = i;
        break;
      }
    }
    if (bottom < 0) return { block, cut, problem: { offset: at, message: 'Malformed table.' } };
    block.length = bottom + 1;
    cut = true;
  }
  const misaligned = block.findIndex((l) => stripCombining(l).length !== width || !'+|'.includes(l.at(-1) as string));
  if (misaligned >= 0) return { block, cut, problem: { offset: misaligned, message: 'Malformed table.' } };
  return { block, cut };
}

/** GridTableParser.parse up to its cells: raises TableMarkupError where docutils does; the cells' texts. */
function parseGrid(source: readonly string[][]): TableCell[] {
  const block = [...source];
  let separator = 0;
  for (const [i, line] of block.entries()) {
    if (!HEAD_BODY.test(line.join(''))) continue;
    if (separator) throw new TableMarkupError(i);
    separator = i;
    block[i] = line.map((ch) => (ch === '=' ? '-' : ch));
  }
  const scan = new GridScan(block);
  scan.run();
  // Cells whose lines hold a combining character are not read.
  if (source.some(hasCombining)) return [];
  return scan.cells.map(({ top, left, bottom, right }) => ({ offset: top + 1, lines: get2DBlock(source, top + 1, left + 1, bottom, right) }));
}

/**
 * A cell's text as StringList.get_2D_block(top, left, bottom, right) cuts it from a table's padded
 * lines, then without the pads: each line's slice, rstripped, then the common indentation off.
 */
export function get2DBlock(block: readonly string[][], top: number, left: number, bottom: number, right: number): string[] {
  const lines = block.slice(top, bottom).map((line) => pyRstrip(line.slice(left, right)));
  let indent = right;
  for (const line of lines) if (line.length > 0) indent = Math.min(indent, line.length - pyStrip(line).length);
  const cut = indent > 0 && indent < right ? indent : 0;
  return lines.map((line) =>
    line
      .slice(cut)
      .filter((ch) => ch !== PAD)
      .join(''),
  );
}

/** str.rstrip: Python's white space off the end. */
export function pyRstrip(line: string[]): string[] {
  let end = line.length;
  while (end > 0 && PY_SPACE_CHAR.test(line[end - 1] as string)) end--;
  return line.slice(0, end);
}

/** GridTableParser.parse_table: traces each cell from its upper-left corner, top to bottom. */
class GridScan {
  /** The lines without combining characters, which the scans read (stripped_block). */
  readonly #block: readonly string[][];
  readonly #bottom: number;
  readonly #right: number;
  readonly #done: number[];
  /** The cells traced, in the order docutils finds them. */
  readonly cells: Array<{ top: number; left: number; bottom: number; right: number }> = [];

  constructor(block: readonly string[][]) {
    this.#block = block.map(stripCombining);
    this.#bottom = block.length - 1;
    // The width is the first line's with its combining characters, as docutils takes it.
    this.#right = (block[0] as string[]).length - 1;
    this.#done = new Array<number>((block[0] as string[]).length).fill(-1);
  }

  /** A character of the block; docutils indexes past a line's end only when it is too short, and raises. */
  #at(row: number, col: number): string {
    const ch = this.#block[row]?.[col];
    if (ch === undefined) throw new ParserCrash();
    return ch;
  }

  run(): void {
    const corners: Array<[number, number]> = [[0, 0]];
    while (corners.length > 0) {
      const [top, left] = corners.shift() as [number, number];
      if (top === this.#bottom || left === this.#right || top <= (this.#done[left] as number)) continue;
      if (this.#at(top, left) !== '+') throw new ParserCrash();
      const cell = this.#scanRight(top, left);
      if (!cell) continue;
      this.#markDone(top, left, cell.bottom, cell.right);
      this.cells.push({ top, left, bottom: cell.bottom, right: cell.right });
      corners.push([top, cell.right], [cell.bottom, left]);
      corners.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    }
    for (let col = 0; col < this.#right; col++) if (this.#done[col] !== this.#bottom - 1) throw new TableMarkupError(0);
  }

  #markDone(top: number, left: number, bottom: number, right: number): void {
    for (let col = left; col < right; col++) {
      if (this.#done[col] !== top - 1) throw new ParserCrash();
      this.#done[col] = bottom - 1;
    }
  }

  #scanRight(top: number, left: number): { bottom: number; right: number } | undefined {
    for (let i = left + 1; i <= this.#right; i++) {
      const ch = this.#at(top, i);
      if (ch === '+') {
        const bottom = this.#scanDown(top, left, i);
        if (bottom !== undefined) return { bottom, right: i };
      } else if (ch !== '-') return undefined;
    }
    return undefined;
  }

  #scanDown(top: number, left: number, right: number): number | undefined {
    for (let i = top + 1; i <= this.#bottom; i++) {
      const ch = this.#at(i, right);
      if (ch === '+') {
        if (this.#scanLeft(top, left, i, right)) return i;
      } else if (ch !== '|') return undefined;
    }
    return undefined;
  }

  #scanLeft(top: number, left: number, bottom: number, right: number): boolean {
    for (let i = right - 1; i > left; i--) {
      const ch = this.#at(bottom, i);
      if (ch !== '+' && ch !== '-') return false;
    }
    if (this.#at(bottom, left) !== '+') return false;
    for (let i = bottom - 1; i > top; i--) {
      const ch = this.#at(i, left);
      if (ch !== '+' && ch !== '|') return false;
    }
    return true;
  }
}
