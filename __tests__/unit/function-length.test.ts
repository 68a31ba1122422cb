// scripts/check-function-length.ts finds functions on tokens: braces inside strings, template
// literals, regular expressions and comments never count, and every kind of function body does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longFunctions } from '../../scripts/check-function-length.ts';

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('check-function-length', () => {
  it('measures a function from its first line to its closing brace, both included', () => {
    const src = `export function long(a: string): Promise<void> {\n${body(8)}\n}\n`;
    assert.deepEqual(longFunctions(src, 9), [{ line: 1, name: 'long', lines: 10 }]);
    assert.deepEqual(longFunctions(src, 10), []);
  });

  it('finds arrow functions, methods, getters and functions nested in others', () => {
    const src = [
      'const arrow = async (x: number): Promise<number> => {',
      body(3),
      '};',
      'class C<T> {',
      '  method<U>(u: U): { a: string } {',
      body(3),
      '  }',
      '  get size(): number {',
      body(3),
      '  }',
      '}',
      'const o = { handler() {',
      body(3),
      '} };',
      'function outer() {',
      '  const inner = () => {',
      body(3),
      '  };',
      '}',
    ].join('\n');
    const names = longFunctions(src, 4).map((f) => `${f.name}:${f.lines}`);
    assert.deepEqual(names, ['arrow:5', 'method:5', 'size:5', 'handler:5', 'outer:7', 'inner:5']);
  });

  it('ignores braces in strings, templates, regular expressions and comments, and blocks of statements', () => {
    const src = [
      'function f() {',
      '  const s = \'{{{\' + "}}";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text holding a template literal
      '  const t = `${ {a: 1}.a } {`;',
      '  const r = /[{}]+\\}/g;',
      '  // } } }',
      '  /* { */',
      '  if (s) {',
      '    for (const x of [1]) { while (false) {} }',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(longFunctions(src, 1), [{ line: 1, name: 'f', lines: 10 }]);
  });
});
