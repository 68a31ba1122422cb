// A wheel's RECORD as warehouse checks it on upload (warehouse/utils/wheel.py `_validate_record`):
// the text split with Python's str.splitlines, read by the csv module's default (excel) dialect, and
// the first field of every row compared with the archive's file members. What warehouse makes of it:
//   - csv.Error (a field over csv's 131,072-character limit): "does not contain the required RECORD";
//   - a blank line: unpacking its empty row raises ValueError, which warehouse does not catch (500);
//   - a mismatch: the upload is accepted, and the project's owners get an e-mail about it.

import { pythonSplitlines } from './python-text.ts';

/** csv.field_size_limit()'s default. */
const FIELD_LIMIT = 128 * 1024;

class FieldTooLarge extends Error {}

type State = 'record' | 'field' | 'in-field' | 'quoted' | 'quote-in-quoted';

/**
 * The first field of each row `csv.reader(lines)` gives (CPython's _csv.c state machine, excel
 * dialect: "," and '"', doubled quotes, not strict), or null for an empty row. Throws FieldTooLarge
 * where csv raises "field larger than field limit".
 */
function firstFields(lines: string[]): Array<string | null> {
  const rows: Array<string | null> = [];
  let state: State = 'record';
  let field = '';
  let fieldLength = 0;
  let first: string | null = null;
  const add = (c: string) => {
    if (fieldLength >= FIELD_LIMIT) throw new FieldTooLarge();
    field += c;
    fieldLength++;
  };
  const save = () => {
    first ??= field;
    field = '';
    fieldLength = 0;
  };
  const endRow = () => {
    rows.push(first);
    first = null;
    state = 'record';
  };
  for (const line of lines) {
    for (const c of line) {
      if (state === 'record') state = 'field';
      if (state === 'field') {
        if (c === '"') state = 'quoted';
        else if (c === ',') save();
        else {
          add(c);
          state = 'in-field';
        }
      } else if (state === 'in-field') {
        if (c === ',') {
          save();
          state = 'field';
        } else add(c);
      } else if (state === 'quoted') {
        if (c === '"') state = 'quote-in-quoted';
        else add(c);
      } else if (c === '"') {
        add(c);
        state = 'quoted';
      } else if (c === ',') {
        save();
        state = 'field';
      } else {
        add(c);
        state = 'in-field';
      }
    }
    // The end of a line ends the row, except inside quotes, where the row goes on in the next line.
    if (state === 'quoted') continue;
    if (state !== 'record') save();
    endRow();
  }
  // At the end of the input, a quoted field still open is saved with its row.
  if (state === 'quoted') {
    save();
    endRow();
  }
  return rows;
}

export type RecordVerdict = { kind: 'unreadable' } | { kind: 'blank-line' } | { kind: 'checked'; unlisted: string[]; absent: string[] };

/** warehouse's verdict on RECORD's text, for a wheel of `memberNames` whose .dist-info is `distInfo`. */
export function recordVerdict(text: string, memberNames: Iterable<string>, distInfo: string): RecordVerdict {
  let rows: Array<string | null>;
  try {
    rows = firstFields(pythonSplitlines(text));
  } catch (e) {
    if (e instanceof FieldTooLarge) return { kind: 'unreadable' };
    throw e;
  }
  if (rows.includes(null)) return { kind: 'blank-line' };
  const listed = new Set(rows.map((name) => (name as string).replaceAll('\\', '/')));
  const exempt = new Set([`${distInfo}/RECORD.jws`, `${distInfo}/RECORD.p7s`]);
  const files = new Set<string>();
  for (const name of memberNames) if (!name.endsWith('/') && !name.endsWith('\\') && !exempt.has(name)) files.add(name);
  return {
    kind: 'checked',
    unlisted: [...files].filter((f) => !listed.has(f)),
    absent: [...listed].filter((f) => !files.has(f)),
  };
}
