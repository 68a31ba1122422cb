// A wheel's entry_points.txt as warehouse validates it (warehouse/utils/wheel.py
// validate_entrypoints): UTF-8, a valid INI file for Python's configparser with "=" as the only
// delimiter (case-sensitive keys, strict: no repeated section or key, every line inside a section),
// and every name in [console_scripts] and [gui_scripts] matching [\w.-]+ (so no "/" or "..").
// PyPI refuses the wheel otherwise: "Wheel '…' has invalid entry points defined in the entry_points.txt
// file". This follows configparser.RawConfigParser._read's rules (Python 3.14) as far as a
// ConfigParser(delimiters=("=",)) meets them; written for this check.

import { PY_WORD_CHARS } from './python-classes.ts';
import { PYTHON_SPACE, pyStrip } from './python-space.ts';
import { PY_UTF8 } from './python-text.ts';

const COMMENT = /^[#;]/;
// Python's \w (its Unicode's letters and numbers, "_") plus "." and "-", the whole name.
const ENTRY_POINT_NAME = new RegExp(`^[${PY_WORD_CHARS}_.-]+$`, 'u');
// Python's whitespace (str.strip, \s), not JavaScript's.
const WS = PYTHON_SPACE;
const LEADING = new RegExp(`^[${WS}]+`);
const TRAILING = new RegExp(`[${WS}]+$`);
const OPTION = new RegExp(`^(.*?)[${WS}]*=[${WS}]*(.*)$`);

/** Why warehouse would refuse this entry_points.txt (undefined when it accepts it). */
export function entryPointsError(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = PY_UTF8.decode(bytes);
  } catch {
    return 'entry_points.txt is not decodable as UTF-8';
  }
  const sections = new Map<string, Set<string>>();
  const defaults = new Set<string>();
  const seenSections = new Set<string>();
  let current: Set<string> | undefined;
  let sectionName = '';
  let option: string | undefined;
  let indent = Number.MAX_SAFE_INTEGER;
  // io.StringIO iteration: lines end at "\n" only ("\r" stays and is stripped like whitespace).
  for (const line of text.split(/(?<=\n)/)) {
    const value = COMMENT.test(pyStrip(line)) ? '' : pyStrip(line);
    if (!value) continue; // empty lines inside a value are allowed (empty_lines_in_values)
    const lineIndent = line.length - line.replace(LEADING, '').length;
    if (current && option !== undefined && lineIndent > indent) continue; // continuation line
    indent = lineIndent;
    const header = /^\[(.+)\]/.exec(value);
    if (header) {
      sectionName = header[1] as string;
      // A second [DEFAULT] is not a duplicate for configparser (it is not in its section list).
      if (sectionName !== 'DEFAULT' && seenSections.has(sectionName))
        return `entry_points.txt is not a valid INI file: DuplicateSectionError(${JSON.stringify(sectionName)})`;
      seenSections.add(sectionName);
      current = sectionName === 'DEFAULT' ? defaults : (sections.get(sectionName) ?? new Set());
      sections.set(sectionName, current);
      option = undefined;
      continue;
    }
    if (!current) return 'entry_points.txt is not a valid INI file: MissingSectionHeaderError';
    const eq = OPTION.exec(value);
    const name = eq ? (eq[1] as string).replace(TRAILING, '') : '';
    if (!eq || !name) return 'entry_points.txt is not a valid INI file: ParsingError';
    if (current.has(name)) return `entry_points.txt is not a valid INI file: DuplicateOptionError(${JSON.stringify(name)})`;
    current.add(name);
    option = name;
  }
  for (const s of ['console_scripts', 'gui_scripts']) {
    const names = sections.get(s);
    if (!names) continue;
    for (const n of new Set([...names, ...defaults])) {
      if (!ENTRY_POINT_NAME.test(n)) return `Invalid entry point name ${JSON.stringify(n)} in ${JSON.stringify(s)}`;
    }
  }
  return undefined;
}
