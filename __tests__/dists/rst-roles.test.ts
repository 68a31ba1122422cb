// src/dists/rst-roles.ts against docutils itself: every role name docutils knows in English (and
// some it does not), each with texts that are and are not PEP or RFC numbers as Python's int() reads
// them, roles derived from each of them, role and default-role directives of every shape, and
// csv-table directives with and without data. readme_renderer renders each text as the PyPI stand-in
// runs it, and the pre-flight's verdict must be docutils' for every one: these are the shapes the
// check claims, so no miss is allowed either way.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rstProblems } from '../../src/dists/rst.ts';
import { assertSameVerdicts, rendersOnPyPI } from '../../test/helpers/docutils.ts';

/** docutils' English role names, the canonical one it reaches only by that name, and names it does not know, in other cases too. */
const NAMES =
  'abbreviation ab acronym ac code emphasis literal math pep-reference pep rfc-reference rfc strong subscript sub superscript sup title-reference title t raw index i anonymous-reference citation-reference footnote-reference named-reference substitution-reference uri-reference uri url target restructuredtext-unimplemented-role RAW Pep Index nosuch func'.split(
    ' ',
  );
/** Texts around Python's int(): signs, underscores, spaces, escapes, a section, other digits, hex. */
const TEXTS = [
  '8',
  '0',
  '-1',
  '9999',
  '10000',
  'abc',
  '8#x',
  '2822#section-3',
  ' 8',
  '1_0',
  '1__0',
  '_1',
  '+8',
  '\u0663',
  'x\\ y',
  '8\\#x',
  '0x8',
  '08',
  '1 2',
];
const ROLE_ARGUMENTS = ['c', 'c(raw)', 'c (raw)', 'c( raw )', 'c(raw) x', '123', 'a.b', '1.2', '', 'c()', 'c(nosuch)', 'c(c)', 'x-1', '_x', 'C(Pep)'];

function texts(): string[] {
  const out: string[] = [];
  for (const name of NAMES) for (const text of TEXTS) out.push(`Text :${name}:\`${text}\` y.\n`);
  for (const base of [undefined, ...NAMES])
    for (const text of ['8', 'abc', '0']) out.push(`.. role:: c${base ? `(${base})` : ''}\n\nText :c:\`${text}\` y and \`${text}\`:C:.\n`);
  for (const args of ROLE_ARGUMENTS) {
    out.push(`.. role:: ${args}\n\nText.\n`, `.. role:: ${args}\n   :class: k\n\nText.\n`);
    out.push(`.. role::\n   ${args}\n\nText :c:\`x\`.\n`, `.. role::\n\n   ${args}\n\nText.\n`);
  }
  out.push('.. role:: x(raw)\n   :format: html\n\n.. role:: x\n\nA :x:`y` here.\n', '.. role:: x(raw)\n\n.. role:: y(x)\n\nText :y:`z`.\n');
  for (const role of ['', 'math', 'raw', 'nosuch', 'c', 'RAW', 'code', 'index', 'pep']) out.push(`.. role:: c\n\n.. default-role:: ${role}\n\nText.\n`);
  for (const options of [
    ':file: a.csv',
    ':url: https://e.com/a.csv',
    ':FILE: a.csv',
    ':file: a\n   :url: b',
    ':header-rows: 1',
    ':file: a.csv\n   :nosuch: 1',
    ':header-rows: x\n   :file: a',
    ':delim: ;',
  ])
    out.push(`.. csv-table:: T\n   ${options}\n`, `.. csv-table:: T\n   ${options}\n\n   a, b\n   c, d\n`, `.. csv-table::\n   ${options}\n\n`);
  return out;
}

describe('roles, role directives and csv-table data against docutils', () => {
  const all = texts();
  const rendered = rendersOnPyPI(all);

  it(`gives docutils' verdict on each of ${all.length} texts`, () => assertSameVerdicts(all, rendered));

  it('words what docutils says', () => {
    assert.deepEqual(rstProblems('.. role:: raw-html(raw)\n   :format: html\n\nA :raw-html:`<br>` b.\n'), ['line 4: raw (and derived) roles disabled']);
    assert.deepEqual(rstProblems('See :pep:`abc`.\n'), ['line 1: PEP number must be a number from 0 to 9999; "abc" is invalid.']);
    assert.deepEqual(rstProblems('See :uri:`x`.\n'), ['line 1: Interpreted text role "uri" not implemented.']);
    assert.deepEqual(rstProblems('.. csv-table:: T\n   :file: a.csv\n'), ['line 1: File and URL access deactivated; ignoring "csv-table" directive.']);
  });
});
