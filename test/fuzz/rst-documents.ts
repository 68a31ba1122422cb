// Seeded random reStructuredText documents for the differential against docutils
// (__tests__/dists/rst-random.test.ts): tables, line blocks, enumerations, option and field lists,
// footnotes, citations, substitutions, targets, titles, transitions, doctests, directives and
// comments, alone or nested in items, quotes and admonitions. `mode` weighs the constructs.
let seed = 1;
let mode = 'mix';
const rnd = () => {
  seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
  seed = (seed ^ (seed >>> 13)) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const chance = (p: number) => rnd() < p;
const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));

const WORDS = ['foo', 'bar', 'État', 'x', 'data', 'the', 'install', 'v1.2', 'None', '2', 'héllo', '日本', 'a_b', 'end.', 'Python', 'pip', 'and', '-', 'ok'];
const INLINE = [
  '*emph*',
  '**strong**',
  '``lit``',
  '`interp`',
  ':code:`x`',
  ':sub:`2`',
  'ref_',
  '`phrase ref`_',
  '[1]_',
  '[#]_',
  '[*]_',
  '[CIT2002]_',
  '|sub|',
  '|x|_',
  '`link <https://e.com>`_',
  '`link <https://e.com>`__',
  'anon__',
  'https://example.com',
  'a@b.org',
  '\\*',
  '\\`',
  '_`inline tgt`',
  '*',
  '|',
  '`',
  '_',
  '2 * 3',
  'snake_case_',
  ':pep:`8`',
  '**kw**',
  '[#note]_',
  '|br| x',
  ':emphasis:`e`',
  '`t`:strong:',
  '--',
  '->',
  '<x>',
  'x|y',
];
function phrase(k = int(1, 5), markup = 0.3): string {
  const out: string[] = [];
  for (let i = 0; i < k; i++) out.push(chance(markup) ? pick(INLINE) : pick(WORDS));
  return out.join(' ');
}
const ADORN = ['=', '-', '~', '^', '*', '+', '#', '"', "'", '`', ':', '.', '_'];
let adornUsed: string[] = [];
function title(): string[] {
  const t = chance(0.2)
    ? phrase(int(1, 3), 0.3)
    : pick(['Installation', 'Usage', 'Changelog', 'Überblick', 'API', '1.0 (2024-01-01)', 'Features', 'ÉÉ', '日本語', 'A', 'x']);
  const ch = chance(0.7) && adornUsed.length ? pick(adornUsed) : pick(ADORN);
  if (!adornUsed.includes(ch)) adornUsed.push(ch);
  const w = [...t].length + (chance(0.15) ? int(-2, -1) : chance(0.5) ? 0 : int(1, 6));
  const line = ch.repeat(Math.max(1, w));
  if (chance(0.25)) {
    const o = chance(0.1) ? ch.repeat(Math.max(1, w + int(-1, 1))) : line;
    return [o, (chance(0.3) ? ' ' : '') + t, line];
  }
  return [t, line];
}
function gridTable(): string[] {
  const cols = int(1, 4),
    rows = int(1, 4);
  const widths = Array.from({ length: cols }, () => int(3, 12));
  const sep = (c: string) => '+' + widths.map((w) => c.repeat(w)).join('+') + '+';
  const cell = (w: number) => {
    let s = chance(0.4) ? phrase(int(1, 2), 0.4) : pick(WORDS);
    if ([...s].length > w - 2) s = [...s].slice(0, w - 2).join('');
    return ' ' + s.padEnd(w - 1);
  };
  const out = [sep('-')];
  const header = chance(0.5);
  for (let r = 0; r < rows; r++) {
    const k = int(1, 2);
    for (let j = 0; j < k; j++) out.push('|' + widths.map(cell).join('|') + '|');
    out.push(sep(r === 0 && header && rows > 1 ? '=' : '-'));
  }
  if (chance(0.15)) {
    const i = int(0, out.length - 1);
    out[i] = out[i]!.slice(0, -1) + (chance(0.5) ? '' : 'x+');
  } // broken
  if (chance(0.1)) {
    // span
    const i = int(1, out.length - 2);
    if (out[i]!.startsWith('+')) out[i] = '|' + ' '.repeat(out[i]!.length - 2) + '|';
  }
  return out;
}
function simpleTable(): string[] {
  const cols = int(1, 4),
    rows = int(1, 5);
  const widths = Array.from({ length: cols }, () => int(2, 10));
  const border = widths.map((w) => '='.repeat(w)).join('  ');
  const row = () =>
    widths
      .map((w, i) => {
        let s = chance(0.4) ? phrase(int(1, 2), 0.4) : pick(WORDS);
        if (i < cols - 1 && [...s].length > w) s = [...s].slice(0, w).join('');
        if (chance(0.1)) s = '';
        return i < cols - 1 ? s.padEnd(w) : s;
      })
      .join('  ')
      .trimEnd();
  const out = [border];
  if (chance(0.5)) {
    out.push(row(), chance(0.8) ? border : widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (let r = 0; r < rows; r++) {
    out.push(row());
    if (chance(0.1)) out.push('');
    if (chance(0.05)) out.push('  ' + pick(WORDS));
  }
  out.push(chance(0.9) ? border : border.slice(0, -1));
  return out;
}
function lineBlock(): string[] {
  const out: string[] = [];
  for (let i = int(1, 4); i > 0; i--) {
    out.push(chance(0.1) ? '|' : '| ' + (chance(0.3) ? '  ' : '') + phrase(int(1, 4), 0.3));
    if (chance(0.2)) out.push('  ' + phrase(2, 0.2));
  }
  return out;
}
function romanOf(k: number, up: boolean): string {
  const r = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'][k - 1]!;
  return up ? r.toUpperCase() : r;
}
function enumList(ind = ''): string[] {
  const style = pick(['arabic', 'alpha', 'Alpha', 'roman', 'Roman', 'auto']);
  const fmt = pick(['.', ')', '()']);
  const start = style === 'auto' ? 1 : chance(0.7) ? 1 : int(1, 5);
  const k = int(1, 4);
  const out: string[] = [];
  const blankBetween = chance(0.6);
  for (let i = 0; i < k; i++) {
    let num =
      style === 'arabic'
        ? String(start + i)
        : style === 'alpha'
          ? String.fromCharCode(96 + start + i)
          : style === 'Alpha'
            ? String.fromCharCode(64 + start + i)
            : style === 'roman'
              ? romanOf(start + i, false)
              : style === 'Roman'
                ? romanOf(start + i, true)
                : '#';
    if (style !== 'auto' && chance(0.05)) num = String(start + i + 1);
    if (chance(0.1) && i > 0) num = '#';
    const m = fmt === '()' ? `(${num})` : num + fmt;
    const body = phrase(int(1, 5), 0.3);
    out.push(ind + m + ' ' + body);
    if (chance(0.3)) out.push(ind + ' '.repeat(m.length + 1) + phrase(int(1, 3), 0.3));
    if (chance(0.15)) {
      out.push('');
      out.push(...enumOrBullet(ind + ' '.repeat(m.length + 1)));
    }
    if (blankBetween && i < k - 1) out.push('');
  }
  return out;
}
function bulletList(ind = ''): string[] {
  const b = pick(['*', '-', '+', '•']);
  const out: string[] = [];
  const blankBetween = chance(0.5);
  for (let i = int(1, 4); i > 0; i--) {
    out.push(ind + b + ' ' + phrase(int(1, 5), 0.3));
    if (chance(0.25)) out.push(ind + '  ' + phrase(int(1, 3), 0.3));
    if (chance(0.2)) {
      out.push('');
      out.push(...(chance(0.5) ? enumOrBullet(ind + '  ') : [ind + '  ' + phrase(3, 0.2)]));
    }
    if (blankBetween && i > 1) out.push('');
  }
  return out;
}
function enumOrBullet(ind: string): string[] {
  return chance(0.5) ? enumList(ind) : bulletList(ind);
}
function optionList(): string[] {
  const opts = ['-a', '-b file', '--verbose', '--output=FILE', '--output FILE', '/V', '-f <path>', '-a, --all', '--x-y', '-1', '+v', '--long-option-name'];
  const out: string[] = [];
  for (let i = int(1, 4); i > 0; i--) {
    const o = pick(opts);
    const gap = pick(['  ', '   ', '\t', ' ']);
    if (chance(0.2)) {
      out.push(o);
      out.push('    ' + phrase(3, 0.2));
    } else {
      out.push(o + gap + phrase(int(1, 4), 0.3));
      if (chance(0.3)) out.push(' '.repeat(pick([o.length + gap.length, 4, 8, 2])) + phrase(2, 0.3));
    }
    if (chance(0.2)) out.push('');
  }
  return out;
}
function fieldList(ind = ''): string[] {
  const names = ['Author', 'Version', 'param x', 'Date', 'License', 'returns', 'Copyright', ':x', 'a\\: b', 'Ünicode', 'type `x`', 'Status'];
  const out: string[] = [];
  for (let i = int(1, 4); i > 0; i--) {
    const nm = pick(names);
    const first = chance(0.85) ? ' ' + phrase(int(1, 4), 0.3) : '';
    out.push(`${ind}:${nm}:${first}`);
    const cont = int(0, 2);
    const ci = pick(['  ', '    ', '   ', ' '.repeat(nm.length + 3)]);
    for (let j = 0; j < cont; j++) out.push(ind + ci + phrase(int(1, 3), 0.3));
    if (chance(0.15)) {
      out.push('');
      out.push(...bulletList(ind + ci));
    }
    if (chance(0.1)) out.push('');
  }
  return out;
}
function footnotes(): string[] {
  const labels = ['1', '2', '#', '#note', '*', 'CIT2002', 'Knuth84', '#a', '3'];
  const out: string[] = [];
  for (let i = int(1, 3); i > 0; i--) {
    const l = pick(labels);
    out.push(`.. [${l}]` + (chance(0.85) ? ' ' + phrase(int(1, 4), 0.2) : ''));
    if (chance(0.4)) out.push(pick(['   ', '  ', '      ']) + phrase(int(1, 3), 0.2));
    if (chance(0.5)) out.push('');
  }
  return out;
}
function substitutions(): string[] {
  const names = ['sub', 'x', 'br', 'badge', 'Sub Name', 'logo', 'pypi'];
  const out: string[] = [];
  for (let i = int(1, 3); i > 0; i--) {
    const nm = pick(names);
    const kind = pick(['image', 'replace', 'unicode', 'date', 'image2', 'plain']);
    if (kind === 'image') {
      out.push(`.. |${nm}| image:: https://img.shields.io/pypi/v/foo.svg`);
      if (chance(0.6)) out.push('   :target: https://pypi.org/project/foo');
      if (chance(0.4)) out.push('   :alt: ' + pick(['PyPI', 'Latest Version', 'x']));
      if (chance(0.2)) out.push('   :width: ' + pick(['100', '100px', '50%', 'abc']));
    } else if (kind === 'replace') out.push(`.. |${nm}| replace:: ${phrase(int(1, 3), 0.3)}`);
    else if (kind === 'unicode') out.push(`.. |${nm}| unicode:: ${pick(['U+00A9', '0xA9', '.. comment', 'U+2122 .. trademark', 'xyz'])}`);
    else if (kind === 'date') out.push(`.. |${nm}| date::` + (chance(0.5) ? ' %Y' : ''));
    else if (kind === 'image2') {
      out.push(`.. |${nm}|`);
      out.push('   image:: a.png');
    } else out.push(`.. |${nm}| ${phrase(2, 0)}`);
    if (chance(0.3)) out.push('');
  }
  return out;
}
function targets(): string[] {
  const out: string[] = [];
  for (let i = int(1, 3); i > 0; i--) {
    out.push(
      pick([
        '.. _ref: https://example.com',
        '.. _phrase ref: https://example.com/p',
        '.. _`phrase ref`: https://x.org',
        '.. __: https://anon.org',
        '__ https://anon2.org',
        '.. _x: ref_',
        '.. _inline tgt:',
        '.. _State:',
        '.. _ref:',
        '.. _link: https://e.com',
        '.. _ref: https://other.com',
        '.. _a b: `phrase ref`_',
        '.. _pypi:',
        '.. _CIT2002: https://c.org',
      ]),
    );
    if (chance(0.2)) out.push('   https://continued.org/path');
    if (chance(0.5)) out.push('');
  }
  return out;
}
function doctest(): string[] {
  const out = ['>>> ' + pick(['1 + 1', 'print("x")', 'import foo', 'x = *a']), pick(['2', 'x', '...', '... more', '>>> y', '  indented'])];
  if (chance(0.3)) out.push('>>> ' + pick(['*x', '`y']));
  return out;
}
function directive(ind = ''): string[] {
  const d = pick([
    'image',
    'figure',
    'code-block',
    'code',
    'sourcecode',
    'csv-table',
    'list-table',
    'contents',
    'include',
    'note',
    'warning',
    'admonition',
    'topic',
    'sidebar',
    'container',
    'raw',
    'math',
    'rubric',
    'epigraph',
    'highlights',
    'pull-quote',
    'compound',
    'parsed-literal',
    'line-block',
    'table',
    'sectnum',
    'header',
    'footer',
    'class',
    'role',
    'default-role',
    'title',
    'meta',
    'unicode',
    'replace',
    'target-notes',
    'danger',
    'tip',
    'hint',
    'compound',
    'todo',
    'versionadded',
    'highlight',
    'literalinclude',
    'toctree',
  ]);
  const sub = ind + '   ';
  const out: string[] = [];
  const arg: Record<string, string> = {
    image: ' https://x.org/a.png',
    figure: ' a.png',
    'code-block': pick([' python', ' bash', '', ' nosuchlang', ' pycon']),
    code: pick([' python', '', ' text']),
    sourcecode: ' python',
    'csv-table': pick([' Table', '']),
    'list-table': pick([' T', '']),
    contents: pick(['', ' Table of Contents']),
    include: ' README.rst',
    admonition: ' ' + phrase(2, 0.3),
    topic: ' ' + phrase(2, 0.3),
    sidebar: ' Side',
    rubric: ' R',
    raw: ' html',
    math: '',
    table: pick(['', ' T']),
    class: ' special',
    role: pick([' custom', ' custom(emphasis)', '']),
    'default-role': pick([' code', '', ' nosuch']),
    title: ' T',
    unicode: ' U+00A9',
    replace: ' x',
    container: pick(['', ' cls']),
    note: pick(['', ' ' + phrase(3, 0.3)]),
    warning: pick(['', ' ' + phrase(2, 0.2)]),
  };
  out.push(`${ind}.. ${d}::${arg[d] ?? ''}`);
  const opts: Record<string, string[]> = {
    image: [
      ':alt: x',
      ':width: 100',
      ':width: 50%',
      ':height: 2em',
      ':target: https://t.org',
      ':class: c',
      ':align: center',
      ':align: middle',
      ':scale: 50',
      ':width: huge',
      ':name: img',
    ],
    figure: [':alt: x', ':figwidth: 50%', ':width: 200px', ':align: left'],
    'code-block': [':linenos:', ':class: c', ':number-lines:', ':name: n', ':emphasize-lines: 2'],
    code: [':number-lines: 3', ':class: c'],
    'csv-table': [':header: "a", "b"', ':widths: 10, 20', ':delim: ;', ':file: x.csv', ':widths: auto'],
    'list-table': [':header-rows: 1', ':widths: 10 20', ':stub-columns: 1', ':header-rows: 5'],
    contents: [':depth: 2', ':local:', ':backlinks: none', ':depth: x'],
    include: [':literal:'],
    raw: [':file: x'],
    math: [':label: m'],
    table: [':widths: auto', ':align: center'],
  };
  if (opts[d] && chance(0.6)) for (let i = int(1, 2); i > 0; i--) out.push(sub + pick(opts[d]!));
  const body = pick(['none', 'text', 'code', 'csv', 'list', 'table', 'caption']);
  if (d === 'csv-table' || (body === 'csv' && chance(0.3))) {
    out.push(ind + (chance(0.9) ? '' : ''));
    out.push(sub + '"a", "b"');
    out.push(sub + pick(['1, 2', '"x, y", 3', '1', '"bad']));
  } else if (d === 'list-table' || (body === 'list' && chance(0.3))) {
    out.push('');
    const c = int(1, 3);
    for (let r = int(1, 3); r > 0; r--) {
      for (let j = 0; j < (chance(0.9) ? c : c + 1); j++) out.push(sub + (j === 0 ? '* - ' : '  - ') + phrase(int(1, 2), 0.3));
    }
  } else if (d === 'table') {
    out.push('');
    out.push(...simpleTable().map((l) => sub + l));
  } else if (
    body !== 'none' ||
    [
      'note',
      'warning',
      'admonition',
      'topic',
      'sidebar',
      'container',
      'epigraph',
      'code-block',
      'code',
      'math',
      'parsed-literal',
      'line-block',
      'raw',
      'compound',
      'highlights',
      'pull-quote',
    ].includes(d)
  ) {
    if (chance(0.85)) out.push('');
    if (['code-block', 'code', 'sourcecode', 'raw', 'math'].includes(d)) {
      out.push(sub + pick(['def f(*args):', 'pip install x', '$ echo `x`', 'x = [1]_', 'E = mc^2', '<b>x</b>']));
      if (chance(0.4)) out.push(sub + '    return 1');
    } else if (d === 'figure') {
      out.push(sub + phrase(3, 0.3));
      if (chance(0.5)) {
        out.push('');
        out.push(sub + phrase(3, 0.3));
      }
    } else {
      for (let i = int(1, 2); i > 0; i--) out.push(sub + phrase(int(2, 5), 0.3));
      if (chance(0.3)) {
        out.push('');
        out.push(...bulletList(sub));
      }
    }
  }
  return out;
}
function comment(): string[] {
  return pick([
    ['..'],
    ['.. a comment'],
    ['.. comment', '   more comment'],
    ['..', '   indented comment'],
    ['.. TODO: x'],
    ['.. |not'],
    ['.. [not a footnote'],
    ['.. _'],
    ['.. :: x'],
  ]);
}
function paragraph(ind = ''): string[] {
  const k = int(1, 3);
  const out: string[] = [];
  for (let i = 0; i < k; i++) out.push(ind + phrase(int(2, 7), 0.35));
  if (chance(0.1)) out[out.length - 1] += pick(['::', ':', ' ::']);
  return out;
}
function definition(): string[] {
  return [phrase(int(1, 2), 0.2) + (chance(0.3) ? ' : classifier' : ''), '   ' + phrase(int(2, 5), 0.3), ...(chance(0.3) ? ['   ' + phrase(2, 0.2)] : [])];
}
function blockQuote(): string[] {
  const out = paragraph('   ');
  if (chance(0.3)) out.push('', '   -- Attribution');
  return out;
}
function transition(): string[] {
  return [pick(['-', '=', '*', '~', '_']).repeat(int(4, 12))];
}
function literal(): string[] {
  return [
    phrase(int(2, 4), 0.2) + pick(['::', ' ::', ':', ':\\:']),
    '',
    '    ' + pick(['code *x', 'pip install foo', '>>> 1', '| pipe']),
    ...(chance(0.3) ? ['      more'] : []),
  ];
}

const CONSTRUCTS: Record<string, () => string[]> = {
  title,
  gridTable,
  simpleTable,
  lineBlock,
  enumList: () => enumList(),
  bulletList: () => bulletList(),
  optionList,
  fieldList: () => fieldList(),
  footnotes,
  substitutions,
  targets,
  doctest,
  directive: () => directive(),
  comment,
  paragraph: () => paragraph(),
  definition,
  blockQuote,
  transition,
  literal,
};
const WEIGHTS: Record<string, Record<string, number>> = {
  mix: {},
  tables: { gridTable: 6, simpleTable: 6, paragraph: 2, title: 1 },
  lists: { enumList: 6, optionList: 4, fieldList: 4, bulletList: 2, lineBlock: 3, paragraph: 2, definition: 2 },
  refs: { footnotes: 4, substitutions: 4, targets: 4, paragraph: 6, title: 1, directive: 1 },
  directives: { directive: 8, paragraph: 2, title: 1, comment: 2, substitutions: 1 },
  nest: {
    enumList: 3,
    bulletList: 3,
    fieldList: 2,
    optionList: 1,
    paragraph: 3,
    definition: 2,
    directive: 2,
    literal: 1,
    lineBlock: 1,
    doctest: 1,
    simpleTable: 1,
    gridTable: 1,
    footnotes: 1,
    title: 1,
  },
  titles: { title: 6, transition: 3, paragraph: 3, comment: 1, bulletList: 1, targets: 1, doctest: 1 },
};
function chooseConstruct(): string {
  const w = WEIGHTS[mode]!;
  const keys = Object.keys(CONSTRUCTS);
  const tot = keys.reduce((s, k) => s + (w[k] ?? (Object.keys(w).length ? 0.3 : 1)), 0);
  let x = rnd() * tot;
  for (const k of keys) {
    x -= w[k] ?? (Object.keys(w).length ? 0.3 : 1);
    if (x <= 0) return k;
  }
  return 'paragraph';
}
function nest(block: string[]): string[] {
  // place inside a list item / blockquote / admonition / field
  const how = pick(['quote', 'bullet', 'note', 'field', 'enum', 'footnote', 'def', 'option', 'alpha']);
  if (how === 'def') return [phrase(2, 0.2), ...block.map((l) => (l === '' ? '' : '   ' + l))];
  if (how === 'option') return ['--opt  ' + phrase(2, 0.2), '', ...block.map((l) => (l === '' ? '' : '       ' + l))];
  if (how === 'alpha') return ['a) ' + phrase(2, 0.2), '', ...block.map((l) => (l === '' ? '' : '   ' + l))];
  const ind = how === 'quote' ? '   ' : how === 'bullet' ? '  ' : how === 'note' ? '   ' : how === 'field' ? '   ' : how === 'enum' ? '   ' : '   ';
  const head =
    how === 'quote'
      ? []
      : how === 'bullet'
        ? ['- ' + phrase(2, 0.2), '']
        : how === 'note'
          ? ['.. note::', '']
          : how === 'field'
            ? [':Field: ' + phrase(2, 0.2), '']
            : how === 'enum'
              ? ['1. ' + phrase(2, 0.2), '']
              : ['.. [1] ' + phrase(2, 0.2), ''];
  return [...head, ...block.map((l) => (l === '' ? '' : ind + l))];
}
function document(): string {
  adornUsed = [];
  const lines: string[] = [];
  const parts = int(1, 6);
  for (let p = 0; p < parts; p++) {
    let b = CONSTRUCTS[chooseConstruct()]!();
    if (chance(mode === 'nest' ? 0.5 : 0.12)) b = nest(b);
    if (mode === 'nest' && chance(0.2)) b = nest(b);
    lines.push(...b);
    const gap = chance(mode === 'nest' ? 0.6 : 0.85) ? 1 : chance(0.5) ? 0 : 2;
    for (let g = 0; g < gap; g++) lines.push('');
  }
  // perturbations
  if (chance(0.05)) {
    const i = int(0, lines.length - 1);
    lines[i] = '\t' + lines[i];
  }
  let text = lines.join('\n');
  if (chance(0.05)) text = text.replace(/\n/g, '\r\n');
  if (chance(0.03)) text = '\ufeff' + text;
  if (chance(0.75)) text = complete(text);
  return text + pick(['', '\n', '\n\n']);
}
// Appends definitions for the references the text uses, so that more texts render.
function complete(text: string): string {
  const add: string[] = [];
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  if (/\[1\]_/.test(text) && !/\.\. \[1\]/.test(text)) add.push('.. [1] one');
  for (let i = count(/\[#\]_/g) - count(/\.\. \[#\]/g); i > 0; i--) add.push('.. [#] auto');
  for (let i = count(/\[\*\]_/g) - count(/\.\. \[\*\]/g); i > 0; i--) add.push('.. [*] sym');
  if (/\[#note\]_/.test(text) && !/\.\. \[#note\]/.test(text)) add.push('.. [#note] note');
  if (/\[CIT2002\]_/.test(text) && !/\.\. \[CIT2002\]/.test(text)) add.push('.. [CIT2002] cit');
  if (/\bref_/.test(text) && !/\.\. _ref:/.test(text)) add.push('.. _ref: https://r.org');
  if (/`phrase ref`_/.test(text) && !/_`?phrase ref`?:/.test(text)) add.push('.. _phrase ref: https://p.org');
  if (/\|sub\|/.test(text) && !/\.\. \|sub\|/.test(text)) add.push('.. |sub| replace:: S');
  if (/\|x\|/.test(text) && !/\.\. \|x\|/.test(text)) add.push('.. |x| replace:: X', '.. _x: https://x.org');
  if (/\|br\|/.test(text) && !/\.\. \|br\|/.test(text)) add.push('.. |br| unicode:: U+2028');
  for (let i = count(/[^_]__(?![_a-z])/g) - count(/(?:^|\n)(?:\.\. __:|__ )/g); i > 0; i--) add.push('__ https://a.org');
  return add.length ? text.replace(/\n*$/, '') + '\n\n' + add.join('\n') : text;
}
/** The modes: which constructs a document is mostly made of. */
export const MODES = Object.keys(WEIGHTS);

/** `n` documents from `start` (a seed) in `kind` (one of MODES): the same every time. */
export function randomRstDocuments(start: number, n: number, kind: string): string[] {
  seed = start;
  mode = kind;
  const texts: string[] = [];
  for (let t = 0; t < n; t++) texts.push(document());
  return texts;
}
