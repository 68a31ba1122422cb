// Seeded random runs of enumerated lines for the differential against docutils
// (__tests__/dists/rst-random.test.ts): enumerators of every sequence and format, many of them
// ambiguous (a letter that is also a Roman numeral, an invalid numeral, "#", a number out of
// sequence), on lines that may or may not be items, indented, with text or markup after them, under
// a paragraph or a title, and inside a bullet, a number, a field, an admonition or a block quote.
import { Rng } from './rng.ts';

const ENUMERATORS = ['a', 'b', 'c', 'h', 'i', 'j', 'ii', 'iii', 'iv', 'v', 'vi', 'x', 'xi', 'y', 'z', 'A', 'B', 'I', 'II', 'V', 'X', 'C', 'D', 'M'];
const ODD = ['l', 'm', 'MMMMCMXCIX', 'iiii', 'IIII', 'vv', '#', '1', '2', '3', 'Z', 'cd', 'cm'];
const FORMATS = [(e: string) => `${e}.`, (e: string) => `${e})`, (e: string) => `(${e})`];
const TEXTS = ['text', 'bad_ ref', '*emph*', 'ok words', '``lit``', 'see snake_case_', ':emphasis:`e`', 'plain', '**kw**', '|sub|'];
const WRAPPERS = ['- ', '* ', '1. ', '   ', ':f: ', '.. note:: '];

/** `n` documents from `seed`: the same every time. */
export function randomEnumerations(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  const docs: string[] = [];
  for (let k = 0; k < n; k++) docs.push(enumeration(rng));
  return docs;
}

function enumeration(rng: Rng): string {
  const all = [...ENUMERATORS, ...ODD];
  const lines: string[] = [];
  let format = rng.pick(FORMATS);
  const first = rng.int(all.length);
  const inSequence = rng.next() < 0.6;
  for (let k = 0, count = 1 + rng.int(6); k < count; k++) {
    const indent = rng.next() < 0.15 ? rng.pick(['   ', '  ', ' ', '    ']) : '';
    if (rng.next() < 0.2) format = rng.pick(FORMATS);
    const enumerator = inSequence ? (all[(first + k) % all.length] as string) : rng.pick(all);
    const r = rng.next();
    if (r < 0.6) lines.push(`${indent}${format(enumerator)} ${rng.pick(TEXTS)}`);
    else if (r < 0.7) lines.push(`${indent}${format(enumerator)}`);
    else if (r < 0.85) lines.push(`${indent}${rng.pick(TEXTS)}`);
    else lines.push(`${indent}${' '.repeat(1 + rng.int(4))}${rng.pick(TEXTS)}`);
    if (rng.next() < 0.3) lines.push('');
  }
  if (rng.next() < 0.5) lines.push('', rng.pick(TEXTS));
  if (rng.next() < 0.3) {
    const wrapper = rng.pick(WRAPPERS);
    const under = ' '.repeat(wrapper.length);
    for (let k = 0; k < lines.length; k++) lines[k] = lines[k] === '' ? '' : `${k === 0 ? wrapper : under}${lines[k]}`;
  }
  if (rng.next() < 0.2) lines.unshift(rng.pick(['Para text', 'Title', '- bullet', '']), rng.pick(['', '=====', '']));
  lines.push('', '.. |sub| replace:: S');
  return `${lines.join('\n')}\n`;
}
