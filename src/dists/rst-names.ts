// Directive names in a reStructuredText description, as docutils (0.23, what the PyPI stand-in runs)
// resolves them: a name docutils does not know is an error, and readme_renderer disables the `raw`
// and `include` directives (a warning). Both fail the upload. Sphinx's own (`toctree`, `automodule`
// …) are the usual cause; roles are src/dists/rst-roles.ts's.
import directiveSpecs from './data/rst-directives.json' with { type: 'json' };
import { SIMPLE_NAME } from './rst-patterns.ts';

/** What docutils says of a directive (scripts/gen-dist-data.py): its arguments, content and options. */
export interface DirectiveSpec {
  required: number;
  optional: number;
  /** whether the last argument takes spaces (final_argument_whitespace) */
  finalWhitespace: boolean;
  content: boolean;
  /** each option's name, with how its value is judged (src/dists/rst-directive-options.ts) */
  options: Record<string, string>;
  /** the values an `align` option accepts */
  align?: string[];
  /** the name an alias stands for */
  canonical?: string;
}

/** docutils' English directive names and its registry (case-insensitive), from docutils itself. */
const DIRECTIVES = directiveSpecs.directives as Record<string, DirectiveSpec>;

/** What docutils says of the directive of this name (lower case), if it knows one. */
export const directiveSpec = (name: string): DirectiveSpec | undefined => (Object.hasOwn(DIRECTIVES, name) ? DIRECTIVES[name] : undefined);
/** Directives readme_renderer turns off (raw_enabled and file_insertion_enabled are false). */
const DISABLED = new Set(['raw', 'include']);

/** `.. name::` or `.. |substitution| name::` (states.Body.explicit's directive patterns). */
const DIRECTIVE = new RegExp(String.raw`^\.\. +(\|[^|]+\| +)?(${SIMPLE_NAME}) ?::(?: +|$)`, 'u');
/** A directive as an explicit markup line names it: in lower case, with the text after its `::`. */
export interface Directive {
  name: string;
  /** the name as the text spells it, which docutils' messages repeat */
  written: string;
  rest: string;
  /** in a substitution definition (`.. |name| image:: …`), where docutils judges some things otherwise */
  substitution: boolean;
}

/** The directive an explicit markup line (indentation stripped) names, if it names one. */
export function directiveOf(text: string): Directive | undefined {
  const m = DIRECTIVE.exec(text);
  return m
    ? { name: (m[2] as string).toLowerCase(), written: m[2] as string, rest: text.slice(m[0].length).trim(), substitution: m[1] !== undefined }
    : undefined;
}

/** Whether docutils refuses content to this directive ("no content permitted": has_content is false). */
export const takesNoContent = (name: string) => directiveSpec(name)?.content === false;

/** The name a directive's alias stands for (`code-block` and `sourcecode` are `code`). */
export const canonicalDirective = (name: string) => directiveSpec(name)?.canonical ?? name;

/** Why docutils cannot run the directive, if it cannot; `line` is 1-based. Messages name it as written. */
export function directiveProblem(directive: Directive, line: number): string | undefined {
  if (!directiveSpec(directive.name)) return `line ${line}: Unknown directive type "${directive.written}".`;
  if (DISABLED.has(directive.name)) return `line ${line}: "${directive.written}" directive disabled.`;
  return undefined;
}

/** Directives that run only in a substitution definition (directives/misc.py Replace, Unicode, Date). */
const SUBSTITUTION_ONLY = new Set(['replace', 'unicode', 'date']);

/** Why docutils refuses a directive once it runs (its arguments read): one of a substitution definition's, used outside one. */
export function contextProblem(directive: Directive, line: number): string | undefined {
  if (directive.substitution || !SUBSTITUTION_ONLY.has(canonicalDirective(directive.name))) return undefined;
  return `line ${line}: Invalid context: the "${directive.written}" directive can only be used within a substitution definition.`;
}
