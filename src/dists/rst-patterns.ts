// Patterns of reStructuredText that several of the description's readers share (src/dists/rst.ts,
// rst-inline.ts, rst-references.ts, rst-names.ts, rst-literal.ts), each as docutils 0.23 spells it.

import { PY_WORD_CHARS } from './python-classes.ts';
import { PYTHON_SPACE } from './python-space.ts';

/** Body.pats nonalphanum7bit: the 7-bit punctuation characters, as a character class. */
const NONALPHANUM_7BIT = '[!-/:-@[-`{-~]';

/** docutils' `line` pattern: one punctuation character repeated, alone on the line (a title's under- or overline, a transition). */
export const ADORNMENT = new RegExp(`^(${NONALPHANUM_7BIT})\\1*$`);

/** A line that may start a quoted literal block (QuotedLiteralBlock.initial_quoted): one of those characters first. */
export const QUOTE = new RegExp(`^${NONALPHANUM_7BIT}`);

/** A paragraph's end that asks for a literal block (Body.paragraph): `::` not escaped by a backslash. */
export const LITERAL_MARKER = /(?<!\\)(?:\\\\)*::$/;

const PY_SPACE_AT_START = new RegExp(`^[${PYTHON_SPACE}]*`, 'u');

/** A line's indentation as str.lstrip measures it (docutils' get_indented): Python's white space, not only spaces. */
export const pyIndent = (text: string): number => (PY_SPACE_AT_START.exec(text)?.[0] ?? '').length;

/** Python's \w without "_", as a character class (python-classes.ts). */
const PY_WORD = `[${PY_WORD_CHARS}]`;

/** docutils' Inliner.simplename: runs of Python's word characters joined by one of `-._+:` at a time. */
export const SIMPLE_NAME = `(?:${PY_WORD})+(?:[-._+:](?:${PY_WORD})+)*`;

/**
 * The spaces a line is indented by: docutils indents with spaces only (a tab is expanded first). A
 * no-break or other Unicode space right after them is counted by docutils' get_indented (str.lstrip)
 * only where a block quote's margin is measured, and not where an item's is known; counting spaces
 * alone is the closer of the two on random documents.
 */
export const LEADING_SPACES = /^ +/;

/** docutils' field_marker (states.Body.patterns), with the spaces after it; the field's name (between its colons) is the first group. */
export const FIELD_MARKER = /^:(?![: ])((?:[^:\\]|\\.|:(?![ `]|$))*)(?<! ):(?: +|$)/;

/** Body.patterns bullet: a bullet character, then spaces or the end of the line. */
export const BULLET_MARKER = /^[-+*\u2022\u2023\u2043](?: +|$)/;

/** A grid table's top border at its block's margin (Body.patterns grid_table_top). */
export const GRID_TOP = /^\+-[-+]+-\+$/;

/** A simple table's border (Body.patterns simple_table_top): it runs to the blank line after its bottom border. */
export const SIMPLE_TABLE_BORDER = /^=+(?: +=+)+$/;

/** A field name read as it is written: no inline markup, no escapes. */
export const PLAIN_FIELD_NAME = /^[^`*|_\\[\]<>]+$/;
