// License-Expression as packaging (warehouse's pin) checks it: packaging.licenses
// canonicalize_license_expression. The expression must be a well-formed combination of identifiers
// with AND / OR / WITH and parentheses (case-insensitive), every license identifier must be on the
// SPDX list packaging ships (a trailing "+" allowed), every WITH operand on its exception list, and a
// LicenseRef- name may use only letters, digits, "." and "-". The lists are data generated from that
// packaging release (scripts/gen-dist-data.py → data/spdx.json).

import spdx from './data/spdx.json' with { type: 'json' };
import { PythonCrash } from './pep508.ts';
import { PYTHON_SPACE } from './python-space.ts';

const LICENSES = new Map(Object.entries(spdx.licenses));
const EXCEPTIONS = new Map(Object.entries(spdx.exceptions));
const OPERATORS = new Set(['or', 'and', 'with', '(', ')']);
const LICENSE_REF_ALLOWED = /^[A-Za-z0-9.-]*$/;

/**
 * Is the token list a well-formed boolean expression? packaging turns it into Python ("False or (False
 * and False)", WITH read as "or") and compiles that; this is the same grammar:
 *   expr := term (("or" | "and") term)*     term := operand | "(" expr ")"
 */
function wellFormed(tokens: string[]): boolean {
  let pos = 0;
  const term = (): boolean => {
    const t = tokens[pos];
    if (t === undefined) return false;
    if (t === '(') {
      pos++;
      if (!expr() || tokens[pos] !== ')') return false;
      pos++;
      return true;
    }
    if (OPERATORS.has(t)) return false;
    pos++;
    return true;
  };
  const expr = (): boolean => {
    if (!term()) return false;
    while (tokens[pos] === 'or' || tokens[pos] === 'and' || tokens[pos] === 'with') {
      pos++;
      if (!term()) return false;
    }
    return true;
  };
  return expr() && pos === tokens.length;
}

// Python's str.split() with no argument: runs of Unicode whitespace (\ufeff is none).
const PY_SPLIT = new RegExp(`[${PYTHON_SPACE}]+`);
const splitPy = (s: string): string[] => s.split(PY_SPLIT).filter(Boolean);

/**
 * Why packaging refuses the expression, or undefined when it is valid. Throws PythonCrash where
 * packaging raises KeyError: it looks a LicenseRef with a trailing "+" up without the "+" among the
 * expression's own LicenseRef tokens, so `LicenseRef-Foo+` fails unless `LicenseRef-Foo` is there too.
 */
export function licenseExpressionError(raw: string): string | undefined {
  const invalid = `Invalid license expression: '${raw}'`;
  if (!raw) return invalid;
  const tokens = splitPy(raw.replaceAll('(', ' ( ').replaceAll(')', ' ) ').toLowerCase());
  const shape: string[] = [];
  for (const t of tokens) {
    if (!OPERATORS.has(t)) shape.push('x');
    else if (t === 'with') shape.push('or');
    else if ((t === '(' && shape.length && !['or', 'and', '('].includes(shape[shape.length - 1] as string)) || (t === ')' && shape[shape.length - 1] === '('))
      return invalid;
    else shape.push(t);
  }
  if (!wellFormed(shape)) return invalid;
  let previous = '';
  for (const t of tokens) {
    if (OPERATORS.has(t)) {
      previous = t;
      continue;
    }
    if (previous === 'with') {
      if (!EXCEPTIONS.has(t)) return `Unknown license exception: '${t}'`;
    } else {
      const id = t.endsWith('+') ? t.slice(0, -1) : t;
      if (id.startsWith('licenseref-')) {
        if (!LICENSE_REF_ALLOWED.test(id)) return `Invalid licenseref: '${id}'`;
        if (!tokens.includes(id)) throw new PythonCrash('KeyError', raw);
      } else if (!LICENSES.has(id)) return `Unknown license: '${id}'`;
    }
    previous = t;
  }
  return undefined;
}
