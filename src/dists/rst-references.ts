// References, targets and substitutions across a reStructuredText document, as docutils 0.23 resolves
// them: two explicit targets of one name that point to different places (nodes.document
// .set_duplicate_name_id, a warning), a reference to a name no target has (transforms/references.py
// DanglingReferences, an error), a substitution no definition names (Substitutions, an error),
// anonymous references and targets that do not pair up (AnonymousHyperlinks, an error), and more
// auto-numbered or auto-symbol footnote references than such footnotes (Footnotes, an error). The
// references and inline targets come from the text blocks src/dists/rst.ts is sure docutils parses; the targets
// and definitions they must find are looked for everywhere, generously (a title, a target in a literal
// block, a name compared without its punctuation all count), so that a doubt never refuses a text.

import { ADORNMENT, LEADING_SPACES, SIMPLE_NAME } from './rst-patterns.ts';
import { PYTHON_SPACE } from './python-space.ts';
import { embeddedTarget, escapeToNull, type Found, normalizeName, referredName, unescapeNull } from './rst-inline.ts';

/** Explicit markup docutils certainly reads as such: its first line (indentation stripped, 1-based number) and the lines that go on it. */
export interface ExplicitMarkup {
  line: number;
  lines: string[];
}

/** A name as compared generously: lower case, letters and digits only (equal names always compare equal). */
const skeleton = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
/** A substitution name as compared generously: docutils compares them whitespace-normalized, exactly or in lower case. */
const substitutionKey = (name: string) => name.toLowerCase().replace(/[\s\\\0]+/gu, '');

/** Titles may hold inline markup whose text is not its source: roles, embedded targets, auto-numbered footnote references. */
const TITLE_MARKUP = /:[\p{L}\p{N}][^:`\s]*:|<[^<>]*>|\[[#*][^\]]*\]_/gu;
/** Stands in the names for every number, when auto-numbered footnotes may have any. */
const NUMBERED = '#';
/** Whether `names` has the name of skeleton `name`. */
const hasName = (names: ReadonlySet<string>, name: string) => names.has(name) || (names.has(NUMBERED) && /^[0-9]+$/.test(name));

/** Too many places a name may end at on one line: the line is not judged, and nothing is refused for want of a name. */
const MAX_NAME_ENDS = 8;

/**
 * The names (skeletons) any explicit target of the document may have, or undefined when one of them
 * cannot be read: explicit targets, footnotes and citations, `:name:` and `:figname:` options,
 * directive arguments (`contents` names its topic) and inline targets. Not section titles (implicit
 * targets) nor the texts of embedded targets (`phraseTexts`).
 */
function declaredNames(source: readonly string[]): Set<string> | undefined {
  const names = new Set<string>(['contents']);
  const add = (name: string) => names.add(skeleton(name));
  for (const raw of source) {
    // Explicit markup may follow a list item's or a field's marker on its line: looked for anywhere.
    const text = raw.trim();
    const target = /(?:^|\s)\.\.\s+_(.*)$/.exec(text);
    if (target) {
      // The name ends at a colon; which one, on one line, is tried for each.
      const colons = [...(target[1] as string).matchAll(/:/g)].map((m) => m.index);
      if (colons.length === 0 || colons.length > MAX_NAME_ENDS) return undefined;
      for (const at of colons) add((target[1] as string).slice(0, at));
    }
    const label = /(?:^|\s)\.\.\s+\[([^\]]+)\]/.exec(text);
    if (label) add(label[1] as string);
    // A substitution definition's directive (replace, unicode, date, image) names nothing by its argument.
    const argument = /(?:^|\s)\.\.\s+[^\s:|]+\s?::(.*)$/.exec(text) ?? /(?:^|\s):(?:fig)?name:(.*)$/.exec(text);
    if (argument) add(argument[1] as string);
  }
  const whole = source.join('\n');
  // Auto-numbered footnotes (`.. [#]`) are named by the number they get (Footnotes.number_footnotes):
  // any number may then be a target.
  if (/\.\.\s+\[#/.test(whole)) names.add(NUMBERED);
  for (const m of whole.matchAll(/_`([^`]*)`/g)) add(m[1] as string);
  return names;
}

/** The names (skeletons) the section titles of the document may have: the lines beside any adornment. */
function titleNames(source: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const [i, raw] of source.entries()) {
    if (!ADORNMENT.test(raw.trim())) continue;
    for (const title of [source[i - 1], source[i + 1]]) {
      if (title === undefined) continue;
      names.add(skeleton(title));
      names.add(skeleton(title.replace(TITLE_MARKUP, ' ')));
    }
  }
  return names;
}

/** How many phrases of the document may name a target by their text (`text <uri>`_, `text <alias_>`_), by skeleton. */
function phraseTexts(source: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (name: string) => counts.set(skeleton(name), (counts.get(skeleton(name)) ?? 0) + 1);
  // An anonymous one (`text <uri>`__) names nothing (Inliner.phrase_ref): a reference to its text finds no target.
  for (const m of source.join('\n').matchAll(/`([^`]*)`_(?!_)/g)) {
    const phrase = m[1] as string;
    if (!phrase.includes('<')) continue;
    const embedded = embeddedTarget(escapeToNull(phrase));
    // Its text names the target; an alias (`<name_>`) names none: it refers to a target named elsewhere.
    // The text before `<` counts too where escapes or spacing make it another name (read generously).
    const before = phrase.slice(0, phrase.lastIndexOf('<'));
    const text = embedded ? unescapeNull(embedded.text) : before;
    add(text);
    if (skeleton(before) !== skeleton(text)) add(before);
  }
  return counts;
}

/** The names a document's targets may have, by where they come from (skeletons). */
interface Names {
  declared: Set<string>;
  titles: Set<string>;
  /** how many phrases name each */
  phrases: Map<string, number>;
  /** all of them */
  all: Set<string>;
}

/** The names a document's targets may have, or undefined when one of them cannot be read. */
function namesOf(source: readonly string[]): Names | undefined {
  const declared = declaredNames(source);
  if (!declared) return undefined;
  const [titles, phrases] = [titleNames(source), phraseTexts(source)];
  return { declared, titles, phrases, all: new Set([...declared, ...titles, ...phrases.keys()]) };
}

/** The substitution names the document may define (keys), or undefined when a definition's name cannot be read on its line. */
function substitutionNames(source: readonly string[]): Set<string> | undefined {
  const keys = new Set<string>();
  for (const raw of source) {
    const definition = /(?:^|\s)\.\.\s+\|(.*)$/.exec(raw);
    if (!definition) continue;
    // The name ends at a bar; which one, on one line, is tried for each.
    const rest = definition[1] as string;
    const bars = [...rest.matchAll(/\|/g)].map((m) => m.index);
    if (bars.length === 0 || bars.length > MAX_NAME_ENDS) return undefined;
    for (const at of bars) keys.add(substitutionKey(rest.slice(0, at)));
  }
  return keys;
}

/** Anonymous targets (`__ uri`, `.. __: uri`): how many there may be anywhere. */
const ANONYMOUS_TARGET_MARK = String.raw`(?:__(?: |$)|\.\. +__ ?:(?: |$))`;
const ANONYMOUS_TARGET = new RegExp(`^${ANONYMOUS_TARGET_MARK}`);
/** The same after a list item's or a field's marker too. */
const ANONYMOUS_TARGET_ANYWHERE = new RegExp(String.raw`(?:^|\s)${ANONYMOUS_TARGET_MARK}`, 'g');

/**
 * A phrase reference with `__` whose text ends in an embedded URI or alias (`text <uri>`__): docutils
 * gives it its target at once, so it is no anonymous reference (Inliner.phrase_ref). Only the plain
 * form is taken: no backslash, backquote or white space in the brackets' edges.
 */
const EMBEDDED_LINK_REFERENCE = /(?:^|[ `])<[^<>\s\\`](?:[^<>\\`]*[^<>\s\\`])?>`__(?!_)/g;

/**
 * The most anonymous references the document may hold: each needs its own `__` in the source, but a
 * substitution definition that holds one adds one for each of its uses (Infinity then).
 */
function anonymousReferencesAtMost(source: readonly string[]): number {
  let count = 0;
  let inDefinition = -1;
  for (const raw of source) {
    const indent = raw.length - raw.replace(LEADING_SPACES, '').length;
    // A definition goes on over blank lines while its lines are indented (get_first_known_indented).
    if (/(?:^|\s)\.\.\s+\|/.test(raw)) inDefinition = indent;
    else if (raw.trim() !== '' && indent <= inDefinition) inDefinition = -1;
    // An anonymous target's own `__` is no reference.
    const text = raw.replace(LEADING_SPACES, '').replace(ANONYMOUS_TARGET, '').replace(EMBEDDED_LINK_REFERENCE, '');
    for (const run of text.match(/_{2,}/g) ?? []) {
      if (inDefinition >= 0) return Number.POSITIVE_INFINITY;
      count += Math.floor(run.length / 2);
    }
  }
  return count;
}

/** states.Body.explicit.patterns.target, after `.. _`: an anonymous target, or a name, quoted or not, then a colon. */
export const TARGET = new RegExp(
  String.raw`^(?:_|(?!_)(\x60?)(?![ \x60])(.+?)(?<![${PYTHON_SPACE}\0])\1)(?<!(?<!\0):)(?<![${PYTHON_SPACE}\0]) ?:(?: +|$)`,
  'u',
);

/** What an explicit target points to: a URI, another target's name, the next element (neither), or something not read here. */
type Pointee = { uri?: string; name?: string; unread?: boolean };

/** An explicit target docutils certainly makes: its normalized name, what it points to, and its line. */
interface ExplicitTarget {
  name: string;
  to: Pointee;
  line: number;
}

/** A hyperlink target's name and pointee (states.Body.hyperlink_target, parse_target), when its name is on its first line. */
function hyperlinkTarget(markup: ExplicitMarkup): ExplicitTarget | undefined {
  const start = /^\.\. +_(?! |$)/.exec(markup.lines[0] as string);
  if (!start) return undefined;
  const escaped = escapeToNull((markup.lines[0] as string).slice(start[0].length));
  const m = TARGET.exec(escaped);
  if (!m || m[2] === undefined) return undefined;
  const block = [escaped.slice(m[0].length).trim(), ...markup.lines.slice(1).map((l) => escapeToNull(l))].filter((l, i) => i > 0 || l !== '');
  const name = normalizeName(unescapeNull(m[2]));
  if (block.join('').includes('\0')) return { name, to: { unread: true }, line: markup.line };
  const referred = referredName(block);
  if (referred !== undefined) return { name, to: { name: normalizeName(referred) }, line: markup.line };
  // The URI loses its whitespace; an e-mail address gets "mailto:" (Inliner.adjust_uri), compared here without it.
  const uri = block
    .join(' ')
    .replace(/\s+/gu, '')
    .replace(/^mailto:/, '');
  return { name, to: uri === '' ? {} : { uri }, line: markup.line };
}

/** A footnote's or citation's label with a name: a number, or a simple name (auto-numbered or not). */
const LABEL = new RegExp(String.raw`^\.\. +\[#?([0-9]+|${SIMPLE_NAME})\](?: |$)`, 'u');

/** A footnote's or citation's label (states.Body.footnote, citation): an explicit target of that name, pointing nowhere. */
function labelTarget(markup: ExplicitMarkup): ExplicitTarget | undefined {
  const label = LABEL.exec(markup.lines[0] as string);
  return label ? { name: normalizeName(label[1] as string), to: {}, line: markup.line } : undefined;
}

/** set_duplicate_name's "same reference" test; what is not read here is taken for the same. */
const samePointee = (a: Pointee, b: Pointee) =>
  !!a.unread || !!b.unread || (b.name !== undefined && b.name === a.name) || (b.uri !== undefined && b.uri === a.uri);

/**
 * nodes.document.set_duplicate_name for explicit targets in document order: the first of a name holds
 * it; another pointing elsewhere (or nowhere) is a warning, and so is any after that. Implicit
 * targets (titles, embedded URIs) never change the outcome for explicit ones.
 */
function duplicateTargets(targets: ExplicitTarget[]): string[] {
  const holders = new Map<string, ExplicitTarget | null>();
  const out: string[] = [];
  for (const target of targets.sort((a, b) => a.line - b.line)) {
    const holder = holders.get(target.name);
    if (holder === undefined) holders.set(target.name, target);
    else if (holder === null || !samePointee(holder.to, target.to)) {
      out.push(`line ${target.line}: Duplicate explicit target name: "${target.name}".`);
      holders.set(target.name, null);
    }
  }
  return out;
}

/** References to names no target of the document has, and substitutions no definition names. */
function unresolved(found: readonly Found[], source: readonly string[], names: ReadonlySet<string> | undefined): string[] {
  const substitutions = found.some((f) => f.kind === 'substitution') ? substitutionNames(source) : undefined;
  const out: string[] = [];
  for (const f of found) {
    // An alias in a named phrase is judged as the indirect target it makes (indirectTargetProblems).
    if (f.kind === 'reference' && f.indirect === undefined && names && skeleton(f.name) !== '' && !hasName(names, skeleton(f.name))) {
      out.push(`line ${f.line}: Unknown target name: "${normalizeName(f.name)}".`);
    }
    if (f.kind === 'substitution' && substitutions && substitutionKey(f.name) !== '' && !substitutions.has(substitutionKey(f.name))) {
      out.push(`line ${f.line}: Undefined substitution referenced: "${f.name}".`);
    }
  }
  return out;
}

/** docutils' make_id with readme-renderer's id prefix: the id a target of that name gets in PyPI's HTML. */
function htmlId(name: string): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '');
  return `user-content-${ascii
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[-0-9]+|-+$/g, '')}`;
}

const indirectError = (line: number, name: string, refname: string, what: string) =>
  `line ${line}: Indirect hyperlink target "${name}" (id="${htmlId(name)}") refers to target "${refname}", ${what}.`;

/**
 * IndirectHyperlinks.resolve_indirect_target for the targets that refer to another by name: explicit
 * ones (`.. _a: b_`) and those a named phrase with an alias makes (`` `a <b_>`_ ``). One that refers to
 * a name no target may have does not exist; a phrase that refers to its own name refers to itself
 * (circular), or, when a title has that name too, to a name held twice (a duplicate). Where another
 * explicit target may hold the name, or the names cannot all be read, nothing is judged.
 */
function indirectTargetProblems(found: readonly Found[], targets: readonly ExplicitTarget[], names: Names | undefined): string[] {
  if (!names) return [];
  const out: string[] = [];
  const exists = (name: string) => skeleton(name) === '' || hasName(names.all, skeleton(name));
  for (const t of targets) if (t.to.name !== undefined && !exists(t.to.name)) out.push(indirectError(t.line, t.name, t.to.name, 'which does not exist'));
  const aliases = found.filter((f): f is Found & { kind: 'reference'; indirect: string } => f.kind === 'reference' && f.indirect !== undefined);
  if (aliases.length === 0) return out;
  for (const f of aliases) {
    const [name, refname] = [normalizeName(f.indirect), normalizeName(f.name)];
    if (name !== refname) {
      if (!exists(f.name)) out.push(indirectError(f.line, name, refname, 'which does not exist'));
      continue;
    }
    const key = skeleton(name);
    if (key === '' || names.declared.has(key) || (names.phrases.get(key) ?? 0) > 1) continue;
    out.push(
      names.titles.has(key)
        ? `line ${f.line}: Indirect hyperlink target (id="${htmlId(name)}") refers to target "${refname}", which is a duplicate, and cannot be used as a unique reference.`
        : indirectError(f.line, name, refname, 'forming a circular reference'),
    );
  }
  return out;
}

/** What may make a title's name differ from its text (inline markup, escapes, a reference's end). */
const TITLE_MAY_HOLD_MARKUP = /[\x60*|\\]|_(?![\p{L}\p{N}])/u;
/** Text between a start-string and an end-string: no white space at its edges, no markup character within. */
const INNER = String.raw`[^*\x60|\\<>\s](?:[^*\x60|\\<>]*[^*\x60|\\<>\s])?`;
/**
 * A title that is one piece of inline markup whose text is plain: strong, emphasis, literal, a
 * reference by name or phrase, a phrase with an embedded URI or alias (its text).
 */
const WRAPPED_TITLE = new RegExp(
  String.raw`^(?:\*\*(${INNER})\*\*|\*(${INNER})\*|\x60\x60(${INNER})\x60\x60|\x60(${INNER})(?:\s+<[^<>\x60\\\s]+>)?\x60_|(${SIMPLE_NAME})_)$`,
  'u',
);

/** A title's name as docutils gives it (normalize_name(title.astext())), when it is certain. */
function titleName(title: string): string | undefined {
  const wrapped = WRAPPED_TITLE.exec(title);
  if (wrapped) return normalizeName(wrapped.slice(1).find((text) => text !== undefined) as string);
  return TITLE_MAY_HOLD_MARKUP.test(title) ? undefined : normalizeName(title);
}

/**
 * Section titles and named phrases' embedded targets are implicit targets
 * (nodes.document.note_implicit_target): two of one name leave it to neither (set_duplicate_name_id),
 * but for two phrases to one URI or name, and a reference to it is an error (DanglingReferences)
 * unless an explicit target of that name holds it. `titles` are the texts of the titles certainly
 * read as such; a name some target, footnote or directive may declare is not judged, nor one only
 * phrases give.
 */
function duplicateImplicitReferences(found: readonly Found[], titles: readonly string[], names: Names | undefined): string[] {
  if (!names) return [];
  const titled = new Map<string, number>();
  for (const name of titles.map(titleName)) if (name !== undefined) titled.set(name, (titled.get(name) ?? 0) + 1);
  const phrased = new Set(found.flatMap((f) => (f.kind === 'embedded target' ? [normalizeName(f.name)] : [])));
  const out: string[] = [];
  for (const f of found) {
    if (f.kind !== 'reference' || f.indirect !== undefined) continue;
    const name = normalizeName(f.name);
    if ((titled.get(name) ?? 0) + (phrased.has(name) ? 1 : 0) < 2 || names.declared.has(skeleton(name))) continue;
    out.push(`line ${f.line}: Duplicate target name, cannot be used as a unique reference: "${name}".`);
  }
  return out;
}

/** An auto-numbered footnote without a label (`.. [#]`) and an auto-symbol one (`.. [*]`), looked for anywhere (in a literal block too). */
const AUTO_NUMBERED_FOOTNOTE = /(?:^|\s)\.\.\s+\[#\](?:\s|$)/;
const AUTO_SYMBOL_FOOTNOTE = /(?:^|\s)\.\.\s+\[\*\](?:\s|$)/;

/** The labels (skeletons) of every labelled auto-numbered footnote (`.. [#label]`) the text may hold. */
function labelledFootnotes(source: readonly string[]): Set<string> {
  return new Set(source.flatMap((line) => [...line.matchAll(/\.\.\s+\[#([^\]]*)\]/g)].map((m) => skeleton(m[1] as string))));
}

/**
 * Footnotes.number_footnote_references and symbolize_footnotes: each `[#]_` (and `[#label]_` of a
 * label no footnote has) takes the next footnote `.. [#]`, each `[*]_` the next `.. [*]`; a reference
 * with none left is an error. The references are those docutils certainly reads, the footnotes every
 * line that may be one, and a label with an escape is taken for one a footnote has: a doubt refuses
 * nothing.
 */
function autoFootnoteProblems(found: readonly Found[], source: readonly string[]): string[] {
  const out: string[] = [];
  const labelled = found.some((f) => f.kind === 'auto footnote reference' && f.label !== undefined) ? labelledFootnotes(source) : new Set<string>();
  const unresolvedLabel = (label: string | undefined) => label === undefined || (!label.includes('\0') && !labelled.has(skeleton(label)));
  for (const symbol of [false, true]) {
    const references = found.filter((f) => f.kind === 'auto footnote reference' && f.symbol === symbol && unresolvedLabel(f.label));
    if (references.length === 0) continue;
    const footnotes = source.filter((line) => (symbol ? AUTO_SYMBOL_FOOTNOTE : AUTO_NUMBERED_FOOTNOTE).test(line)).length;
    const first = references[footnotes];
    if (!first) continue;
    const available = symbol ? 'footnotes' : footnotes > 1 ? 'footnotes' : 'footnote';
    out.push(`line ${first.line}: Too many ${symbol ? 'symbol' : 'autonumbered'} footnote references: only ${footnotes} corresponding ${available} available.`);
  }
  return out;
}

/** AnonymousHyperlinks: as many anonymous references as anonymous targets, when both counts can be bounded. */
function anonymousMismatch(found: readonly Found[], source: readonly string[], explicit: readonly ExplicitMarkup[]): string | undefined {
  const references = found.filter((f) => f.kind === 'anonymous reference');
  const targets = explicit.filter((e) => ANONYMOUS_TARGET.test(e.lines[0] as string));
  if (references.length === 0 && targets.length === 0) return undefined;
  let targetsAtMost = 0;
  for (const line of source) targetsAtMost += (line.match(ANONYMOUS_TARGET_ANYWHERE) ?? []).length;
  if (references.length <= targetsAtMost && anonymousReferencesAtMost(source) >= targets.length) return undefined;
  const line = references[0]?.line ?? (targets[0] as ExplicitMarkup).line;
  return `line ${line}: Anonymous hyperlink mismatch: ${references.length} references but ${targets.length} targets.`;
}

/**
 * docutils' problems with the references, targets and inline markup of a document: `found` is what
 * it finds in the text blocks it certainly parses for inline markup, `explicit` the explicit markup
 * it certainly reads, `source` every line of the text.
 */
export function referenceProblems(
  source: readonly string[],
  found: readonly Found[],
  explicit: readonly ExplicitMarkup[],
  titles: readonly string[],
): string[] {
  const out = found.flatMap((f) => (f.kind === 'warning' ? [`line ${f.line}: ${f.message}`] : []));
  const targets: ExplicitTarget[] = [];
  for (const markup of explicit) {
    const target = hyperlinkTarget(markup) ?? labelTarget(markup);
    if (target) targets.push(target);
  }
  for (const f of found) if (f.kind === 'target') targets.push({ name: normalizeName(f.name), to: {}, line: f.line });
  for (const problem of duplicateTargets(targets)) out.push(problem);
  const names = found.some((f) => f.kind === 'reference') || targets.some((t) => t.to.name !== undefined) ? namesOf(source) : undefined;
  for (const problem of indirectTargetProblems(found, targets, names)) out.push(problem);
  for (const problem of unresolved(found, source, names?.all)) out.push(problem);
  for (const problem of duplicateImplicitReferences(found, titles, names)) out.push(problem);
  const anonymous = anonymousMismatch(found, source, explicit);
  if (anonymous) out.push(anonymous);
  for (const problem of autoFootnoteProblems(found, source)) out.push(problem);
  return out;
}
