// Interpreted text roles as docutils 0.23 resolves and runs them (parsers/rst/roles.py, the English
// language module, directives/misc.py Role and DefaultRole). A role docutils does not know is an
// error; so are the roles it knows but has not implemented (`index`, `uri`, `target` …), a PEP or RFC
// number that is none, and every role derived from `raw`, which readme_renderer disables (a
// warning): `.. role:: raw-html(raw)` is the usual README mistake. PyPI refuses each.
import { LEADING_SPACES, SIMPLE_NAME } from './rst-patterns.ts';
import { unescapeNull } from './rst-inline.ts';
import { pyInt } from './python-int.ts';
import { noClassName } from './rst-option-values.ts';

/** languages/en.py roles: each English role name with the canonical name it stands for. */
const ENGLISH: Readonly<Record<string, string>> = {
  abbreviation: 'abbreviation',
  ab: 'abbreviation',
  acronym: 'acronym',
  ac: 'acronym',
  code: 'code',
  emphasis: 'emphasis',
  literal: 'literal',
  math: 'math',
  'pep-reference': 'pep-reference',
  pep: 'pep-reference',
  'rfc-reference': 'rfc-reference',
  rfc: 'rfc-reference',
  strong: 'strong',
  subscript: 'subscript',
  sub: 'subscript',
  superscript: 'superscript',
  sup: 'superscript',
  'title-reference': 'title-reference',
  title: 'title-reference',
  t: 'title-reference',
  raw: 'raw',
  index: 'index',
  i: 'index',
  'anonymous-reference': 'anonymous-reference',
  'citation-reference': 'citation-reference',
  'footnote-reference': 'footnote-reference',
  'named-reference': 'named-reference',
  'substitution-reference': 'substitution-reference',
  'uri-reference': 'uri-reference',
  uri: 'uri-reference',
  url: 'uri-reference',
  target: 'target',
};

/** The canonical roles roles.py registers as unimplemented_role: using one is an error. */
const UNIMPLEMENTED = new Set([
  'index',
  'named-reference',
  'anonymous-reference',
  'uri-reference',
  'footnote-reference',
  'citation-reference',
  'substitution-reference',
  'target',
  'restructuredtext-unimplemented-role',
]);

/** Every canonical role roles.py registers (_role_registry). */
const REGISTRY = new Set([
  'abbreviation',
  'acronym',
  'emphasis',
  'literal',
  'strong',
  'subscript',
  'superscript',
  'title-reference',
  'pep-reference',
  'rfc-reference',
  'raw',
  'code',
  'math',
  ...UNIMPLEMENTED,
]);

/** `.. role::` with its text (the directive's first content line), indentation stripped. */
const ROLE_DIRECTIVE = /^\.\. +role ?::(?: +|$)(.*)$/i;
/** A role's name where a role directive's text starts. */
const ROLE_NAME = new RegExp(`^${SIMPLE_NAME}`, 'u');
/** Role.argument_pattern: a new role's name, and the role it derives from in parentheses. */
const ROLE_ARGUMENTS = new RegExp(String.raw`^(${SIMPLE_NAME})\s*(?:\(\s*(${SIMPLE_NAME})\s*\)\s*)?$`, 'u');

/**
 * The roles a description defines with the role directive: each new name (lower case) with the bases
 * of its definitions (lower case; undefined for none, docutils' generic custom role, or for arguments
 * docutils refuses, which this reading does not hold against the role's uses).
 */
export type DefinedRoles = ReadonlyMap<string, ReadonlyArray<string | undefined>>;

/** definedRoles' answers per text. */
const definedPerText = new WeakMap<readonly { text: string }[], DefinedRoles>();

/** The roles the text's role directives define, wherever they stand. */
export function definedRoles(lines: readonly { text: string }[]): DefinedRoles {
  const known = definedPerText.get(lines);
  if (known) return known;
  const defined = new Map<string, Array<string | undefined>>();
  for (const [i, line] of lines.entries()) {
    const marker = ROLE_DIRECTIVE.exec(line.text.replace(LEADING_SPACES, ''));
    // With nothing after `::`, the next line holds the role's names.
    const text = marker && (marker[1]?.trim() || lines[i + 1]?.text.trim());
    const name = text && ROLE_NAME.exec(text)?.[0];
    if (!text || !name) continue;
    const base = ROLE_ARGUMENTS.exec(text)?.[2]?.toLowerCase();
    const bases = defined.get(name.toLowerCase()) ?? [];
    bases.push(base);
    defined.set(name.toLowerCase(), bases);
  }
  definedPerText.set(lines, defined);
  return defined;
}

/** What a standard role's name stands for (roles.role: the English name, else the name tried as canonical); undefined when docutils knows none. */
function canonicalRole(name: string): string | undefined {
  const lower = name.toLowerCase();
  const canonical = Object.hasOwn(ENGLISH, lower) ? (ENGLISH[lower] as string) : lower;
  return REGISTRY.has(canonical) ? canonical : undefined;
}

/** Whether docutils finds a role by this name: one the text defines, or a standard one. */
export const knownRole = (name: string, defined: DefinedRoles) => defined.has(name.toLowerCase()) || canonicalRole(name) !== undefined;

/** What a canonical role says when it runs on `text` (escaped, as docutils passes it) used as `written`, if it refuses it. */
function runProblem(canonical: string, written: string, text: string): string | undefined {
  if (canonical === 'raw') return 'raw (and derived) roles disabled';
  if (UNIMPLEMENTED.has(canonical)) return `Interpreted text role "${written}" not implemented.`;
  const shown = unescapeNull(text);
  if (canonical === 'pep-reference') {
    const n = pyInt(shown);
    return n === undefined || n < 0 || n > 9999 ? `PEP number must be a number from 0 to 9999; "${shown}" is invalid.` : undefined;
  }
  if (canonical === 'rfc-reference') {
    // The number before a `#` and its section, if any.
    const n = pyInt(shown.split('#')[0] as string);
    return n === undefined || n < 1 ? `RFC number must be a number greater than or equal to 1; "${shown}" is invalid.` : undefined;
  }
  return undefined;
}

/**
 * What running a role the text defines says: what its base says. A role defined more than once, or
 * whose base is defined in turn, is refused only when every way to read it is.
 */
function definedRoleProblem(name: string, written: string, text: string, defined: DefinedRoles, seen: ReadonlySet<string>): string | undefined {
  const problems = (defined.get(name) ?? []).map((base) => {
    if (base === undefined || seen.has(base)) return undefined;
    if (defined.has(base)) return definedRoleProblem(base, written, text, defined, new Set([...seen, base]));
    const canonical = canonicalRole(base);
    return canonical ? runProblem(canonical, written, text) : `Unknown interpreted text role "${written}".`;
  });
  return problems.every((p) => p !== undefined) ? problems[0] : undefined;
}

/**
 * The problem of interpreted text with the role `name` (as written; docutils looks it up in lower
 * case) and its `text` (escaped) in a text block whose first line is `line` (1-based, the line
 * docutils names), if docutils refuses it.
 */
export function roleProblem(name: string, text: string, line: number, defined: DefinedRoles): string | undefined {
  const lower = name.toLowerCase();
  const canonical = canonicalRole(name);
  const problem = defined.has(lower)
    ? definedRoleProblem(lower, name, text, defined, new Set([lower]))
    : canonical
      ? runProblem(canonical, name, text)
      : `Unknown interpreted text role "${name}".`;
  return problem && `line ${line}: ${problem}`;
}

/**
 * What the role directive (written as `written`) reports when it runs (Role.run), if anything: given
 * its first content line (`first`: the text after `::`, else the next line; undefined when there is
 * none), no text there, arguments that are no role names, a base role docutils does not know, or a
 * name that makes no class name. Its options (`more`: lines after the first) are not judged.
 */
export function roleDirectiveProblem(written: string, first: string | undefined, more: boolean, defined: DefinedRoles): string | undefined {
  if (first === undefined) return `"${written}" directive requires arguments on the first line.`;
  const m = ROLE_ARGUMENTS.exec(first);
  if (!m) return `"${written}" directive arguments not valid role names: "${first}".`;
  const [, name, base] = m as unknown as [string, string, string | undefined];
  // A role is defined once its directive ran: its own name is no base yet, unless another definition made it.
  const definedBefore = base !== undefined && base.toLowerCase() === name.toLowerCase() ? (defined.get(name.toLowerCase())?.length ?? 0) > 1 : true;
  if (base !== undefined && !(definedBefore && knownRole(base, defined))) return `Unknown interpreted text role "${base}".`;
  if (!more && noClassName(name)) return `Invalid argument for "${written}" directive:\ncannot make "${name}" into a class name.`;
  return undefined;
}

/** What the default-role directive reports of its argument (DefaultRole.run): a role docutils does not know. */
export function defaultRoleProblem(argument: string, defined: DefinedRoles): string | undefined {
  return argument !== '' && !knownRole(argument, defined) ? `Unknown interpreted text role "${argument}".` : undefined;
}
