// The project's rule "no function in src/ over 80 lines", as a check CI can run:
//   node scripts/check-function-length.ts [DIR=src] [MAX=80]
// Prints each function longer than MAX lines (from the line it starts on to its closing brace, both
// included) and exits 1 if there is one. Functions are found on tokens, not on text: Node strips the
// TypeScript types first (positions kept), then a small tokenizer skips strings, template literals,
// regular expressions and comments, so a brace inside any of them never counts. A function is a
// `function` body, an arrow function's block body, or a method body (`name(…) {` in a class or an
// object literal); a nested function counts for itself and inside its parent.
import { readdirSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join, relative } from 'node:path';

interface Token {
  text: string;
  line: number;
}

/** After these, a `/` starts a regular expression rather than dividing. */
const BEFORE_REGEX = new Set([
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
  '=>',
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
]);
/** A block after `keyword (…)` is a statement's, not a method's. */
const CONTROL = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'await', 'function', 'return', 'typeof']);

/** The end (exclusive) of the quoted string, template text or comment starting at `i`. */
function skipQuoted(src: string, i: number, quote: string): number {
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === quote) return j + 1;
  }
  return src.length;
}

function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      while (/[a-z]/i.test(src[j + 1] ?? '')) j++;
      return j + 1;
    }
  }
  return src.length;
}

/** Template text from `i` (just after a backtick or a closing `}` of `${…}`) to its end: the index after it, and whether `${` stopped it. */
function skipTemplate(src: string, i: number): { end: number; expr: boolean } {
  for (let j = i; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === '`') return { end: j + 1, expr: false };
    else if (src[j] === '$' && src[j + 1] === '{') return { end: j + 2, expr: true };
  }
  return { end: src.length, expr: false };
}

/** The tokens that matter for finding functions: words, and every punctuator but those inside literals. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  // For each open `{`: whether it opened a template's `${…}` (its `}` resumes the template text).
  const braces: boolean[] = [];
  let line = 1;
  let i = 0;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (src[k] === '\n') line++;
    i = to;
  };
  const push = (text: string, end: number) => {
    tokens.push({ text, line });
    advance(end);
  };
  while (i < src.length) {
    const c = src[i] as string;
    const rest = src.slice(i, i + 2);
    if (/\s/.test(c)) advance(i + 1);
    else if (rest === '//') advance(src.indexOf('\n', i) === -1 ? src.length : src.indexOf('\n', i));
    else if (rest === '/*') advance(src.indexOf('*/', i + 2) === -1 ? src.length : src.indexOf('*/', i + 2) + 2);
    else if (c === '"' || c === "'") push('""', skipQuoted(src, i, c));
    else if (c === '`' || (c === '}' && braces.at(-1) === true)) {
      if (c === '}') braces.pop();
      const t = skipTemplate(src, i + 1);
      push('``', t.end);
      if (t.expr) braces.push(true);
    } else if (c === '/' && (tokens.length === 0 || BEFORE_REGEX.has(tokens.at(-1)?.text ?? ''))) push('/re/', skipRegex(src, i));
    else if (/[\w$]/.test(c)) {
      const word = /^[\w$]+/.exec(src.slice(i, i + 200))?.[0] ?? c;
      push(word, i + word.length);
    } else if (rest === '=>') push('=>', i + 2);
    else {
      if (c === '{') braces.push(false);
      else if (c === '}') braces.pop();
      push(c, i + 1);
    }
  }
  return tokens;
}

/** For each bracket token, the index of its partner. */
function partners(tokens: Token[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  tokens.forEach((t, i) => {
    if (t.text === '(' || t.text === '{' || t.text === '[') open.push(i);
    else if (t.text === ')' || t.text === '}' || t.text === ']') {
      const o = open.pop();
      if (o === undefined) return;
      pairs.set(o, i);
      pairs.set(i, o);
    }
  });
  return pairs;
}

export interface LongFunction {
  line: number;
  name: string;
  lines: number;
}

/** Where a function whose body opens at token `body` starts, and its name; undefined when the block is not a function body. */
function functionAt(tokens: Token[], pairs: Map<number, number>, body: number): { start: number; name: string } | undefined {
  const before = tokens[body - 1];
  if (before?.text === '=>') {
    const params = tokens[body - 2]?.text === ')' ? (pairs.get(body - 2) ?? body - 2) : body - 2;
    const named =
      tokens[params - 1]?.text === '=' || tokens[params - 2]?.text === '='
        ? tokens[params - 2]?.text === '='
          ? tokens[params - 3]
          : tokens[params - 2]
        : undefined;
    return { start: tokens[params]?.line ?? 0, name: named?.text ?? '(arrow)' };
  }
  if (before?.text !== ')') return undefined;
  const open = pairs.get(body - 1);
  if (open === undefined) return undefined;
  const head = tokens[open - 1];
  if (!head) return undefined;
  if (head.text === 'function' || tokens[open - 2]?.text === 'function')
    return {
      start: tokens[open - 2]?.text === 'function' ? (tokens[open - 2]?.line ?? 0) : head.line,
      name: head.text === 'function' ? '(function)' : head.text,
    };
  if (head.text === ']' || (/^[\w$]+$/.test(head.text) && !CONTROL.has(head.text))) return { start: head.line, name: head.text };
  return undefined;
}

export function longFunctions(source: string, max: number): LongFunction[] {
  const tokens = tokenize(stripTypeScriptTypes(source, { mode: 'strip' }));
  const pairs = partners(tokens);
  const found: LongFunction[] = [];
  tokens.forEach((t, i) => {
    if (t.text !== '{') return;
    const fn = functionAt(tokens, pairs, i);
    const close = pairs.get(i);
    if (!fn || close === undefined) return;
    const lines = (tokens[close]?.line ?? 0) - fn.start + 1;
    if (lines > max) found.push({ line: fn.start, name: fn.name, lines });
  });
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

if (import.meta.main) {
  const dir = process.argv[2] ?? 'src';
  const max = Number(process.argv[3] ?? 80);
  let count = 0;
  for (const file of tsFiles(dir)) {
    for (const f of longFunctions(readFileSync(file, 'utf8'), max)) {
      console.log(`${relative(process.cwd(), file)}:${f.line} ${f.name}: ${f.lines} lines (at most ${max})`);
      count++;
    }
  }
  if (count > 0) console.log(`${count} function(s) over ${max} lines: split them into named steps.`);
  process.exit(count > 0 ? 1 : 0);
}
