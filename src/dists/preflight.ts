// PyPI's acceptance rules, applied before any token is requested, to the upload *form* the action
// sends (src/pypi/upload.ts: uploadFields) and the file, in the order warehouse's file_upload applies
// them (warehouse/forklift/legacy.py). Each Problem carries its place in that order (`rank`): the
// first error by rank is what PyPI would answer, word for word; the others are what it would answer
// once that one is fixed. Messages are PyPI's (or packaging's, which PyPI passes on); `fix` says
// what to do.
//
// verifyMetadata (the `verify-metadata` input) decides what stays an error:
//
// | rule                                                                  | true    | false   |
// | --------------------------------------------------------------------- | ------- | ------- |
// | upload form (name, pyversion), Metadata-Version, Name, Version        | error   | error   |
// | file name: characters, extension, PEP 625, PEP 427, platform tags,    | error   | error   |
// |   name and version against the metadata; archive checks (inspect.ts)  |         |         |
// | the other metadata fields (packaging's and warehouse's validators)    | error   | warning |
// | reStructuredText description problems we can detect (description-rst) | error   | skipped |
// | Markdown description that renders to nothing                          | error   | skipped |
// |   (description-markdown-empty)                                        |         |         |
// | fields the action does not send (unparsed by packaging: repeated      | warning | skipped |
// |   single-use field, unknown field; twine refuses such a file)         |         |         |
// | release metadata differs between files (release-inconsistent)         | warning | warning |
// | file > 100 MiB (file-too-large: a project may have a higher limit)    | warning | warning |

import { uploadFields, toRaw } from './metadata.ts';
import { CLASSIFIERS_SOURCE, isKnownClassifier } from './metadata-validators.ts';
import { metadataErrors, parseFormMetadata, pickMetadataError, sanitizeForm, uploadFormError, type FormPairs } from './form-rules.ts';
import { checkAcross } from './release-rules.ts';
import { RANK } from './rank.ts';
import { rstProblems } from './rst.ts';
import { markdownRendersNothing } from './markdown.ts';
import { checkFilenameRules, filenameOnlyProblems } from './filename-rules.ts';
import { pyRepr } from './pyrepr.ts';
import { inspectDist, type InspectOptions } from './inspect.ts';
import type { Dist, Problem, Severity } from './types.ts';
import { optimizeFromNowOn } from '../io/optimizing-compilers.ts';
import { OPTIMIZE_DESCRIPTION_CHARS } from '../tunables.ts';

export { RANK, byPyPIOrder } from './rank.ts';

/** warehouse SUPPORTED_METADATA_VERSIONS: 2.0 was never valid; 2.6 not yet accepted. */
export const SUPPORTED_METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];
/** warehouse MAX_FILESIZE (default per-file limit). */
export const MAX_FILESIZE = 100 * 1024 * 1024;
/** The longest file name (in bytes) the usual file systems take. */
const NAME_MAX = 255;
export const SIZE_LIMIT_URL = 'https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase';

export interface PreflightOptions {
  verifyMetadata: boolean;
  /** Classifiers the index lists as accepted today, beyond this action's copy (src/pypi/classifiers.ts). */
  listedClassifiers?: ReadonlySet<string>;
}

/** The checks of one dist: what it reads, and where the findings go. */
export interface DistCheck {
  d: Dist;
  opts: PreflightOptions;
  out: Problem[];
  /** The form as warehouse sees it after `sanitize`. */
  form: FormPairs;
  add(severity: Severity, rank: number, code: string, message: string, fix: string): void;
}

export function preflight(dists: Dist[], opts: PreflightOptions): Problem[] {
  const problems: Problem[] = [];
  // Appended one by one: a spread of a long array (130,000 repeated fields) overflows the stack.
  for (const d of dists) for (const p of checkDist(d, opts)) problems.push(p);
  for (const p of checkAcross(dists)) problems.push(p);
  return problems;
}

/** The classifiers the dists name that this action's copy of trove-classifiers does not know (the index may). */
export function unknownClassifiers(dists: Dist[]): string[] {
  const unknown = new Set<string>();
  for (const d of dists) for (const [k, v] of uploadFields(d)) if (k === 'classifiers' && !isKnownClassifier(v)) unknown.add(v);
  return [...unknown];
}

/** The form fields the action sends for a dist, routing fields included (src/pypi/upload.ts). */
export function sentForm(d: Dist): FormPairs {
  return [[':action', 'file_upload'], ['protocol_version', '1'], ...uploadFields(d)];
}

function checkDist(d: Dist, opts: PreflightOptions): Problem[] {
  const out: Problem[] = [];
  const ctx: DistCheck = {
    d,
    opts,
    out,
    // A large wheel's digest may still be being read (prepare.ts): the upload sends it once known.
    form: sanitizeForm(sentForm(d).map(([k, v]): [string, string] => [k, k === 'sha256_digest' && !v ? '0'.repeat(64) : v])),
    add: (severity, rank, code, message, fix) => out.push({ severity, rank, code, file: d.filename, message, fix }),
  };
  const formOk = checkForm(ctx);
  if (formOk) checkMetadata(ctx);
  checkNotSent(ctx);
  checkDescription(ctx);
  checkFilenameRules(ctx);
  if (Buffer.byteLength(`${d.filename}.publish.attestation`) > NAME_MAX) {
    ctx.add(
      'warning',
      RANK.other,
      'sidecar-name-too-long',
      `${d.filename}.sigstore.json and ${d.filename}.publish.attestation are not written when attestations are made: longer than the ${NAME_MAX} bytes a file name may have. The attestation is uploaded with the dist all the same; PyPI serves it (provenance API).`,
      'Nothing to do: PyPI accepts wheel names up to 246 bytes. For local copies of the attestations, shorten the name (version or build tag).',
    );
  }
  if (d.size > MAX_FILESIZE) {
    ctx.add(
      'warning',
      RANK.size,
      'file-too-large',
      `File too large: ${(d.size / 1024 / 1024).toFixed(1)} MiB, above PyPI's default limit of 100 MB per file. The upload fails unless the project has a higher limit.`,
      `Shrink the dist (exclude data/test files), or request a file size limit increase: ${SIZE_LIMIT_URL}`,
    );
  }
  return out;
}

function checkForm(ctx: DistCheck): boolean {
  const message = uploadFormError(ctx.form);
  if (!message) return true;
  const name = message.includes('for Name.');
  ctx.add(
    'error',
    RANK.form,
    name ? (message.includes('This field is required') ? 'metadata-name-missing' : 'metadata-name-invalid') : 'upload-form-invalid',
    message,
    name
      ? 'Set [project] name in pyproject.toml to a name of ASCII letters, digits, ".", "_" and "-" that starts and ends with a letter or digit ("UNKNOWN" counts as no name), and rebuild.'
      : "A wheel's file name must carry its Python tag (e.g. py3): rebuild it rather than renaming it.",
  );
  return false;
}

const CERTAIN_FIELDS = new Set(['metadata-version', 'name', 'version']);

/** Fixes for the metadata fields, keyed by warehouse's field name. */
const METADATA_FIXES: Record<string, string> = {
  'metadata-version': 'PyPI accepts Metadata-Version 1.0-1.2 and 2.1-2.5: upgrade (or, for 2.6, pin) the build backend and rebuild.',
  name: 'Set [project] name in pyproject.toml ("UNKNOWN" counts as no name) and rebuild.',
  version:
    'Use a PEP 440 version without a local part (+…): for setuptools-scm, build from a clean tag (actions/checkout with fetch-depth: 0) or set local_scheme = "no-local-version".',
  summary: 'Make [project] description in pyproject.toml (the Summary) a single line of at most 512 characters.',
  'description-content-type': 'Use text/markdown, text/x-rst or text/plain, with no charset but "UTF-8" spelt so (readme = "README.md" sets it for you).',
  'requires-python': 'Use a PEP 440 specifier such as ">=3.9" for [project] requires-python.',
  'provides-extra': 'Rename the optional-dependencies group to letters, digits, "-", "_" and "." only.',
  dynamic: 'Dynamic may list only core metadata fields other than Name and Version: upgrade the build backend and rebuild.',
  'license-file': 'license-files must be relative paths with "/" separators and no globs left unresolved; upgrade the build backend.',
  'author-email': 'Fix the e-mail of [project] authors / maintainers in pyproject.toml and rebuild.',
  'maintainer-email': 'Fix the e-mail of [project] authors / maintainers in pyproject.toml and rebuild.',
  classifier: `Use only classifiers from https://pypi.org/classifiers/ (check the spelling, replace deprecated ones). A publish also takes one newer than this check's copy (${CLASSIFIERS_SOURCE}) when the index lists it.`,
  'home-page': 'Give an http(s) URL in [project.urls] and rebuild.',
  'download-url': 'Give an http(s) URL in [project.urls] and rebuild.',
  'project-url': 'Every [project.urls] entry needs a label of at most 32 characters and an http(s) URL.',
  'requires-dist': 'PyPI refuses dependencies on URLs and malformed requirements: depend on released versions (PEP 508) and rebuild.',
  'license-expression': 'Use a valid SPDX license expression (https://spdx.org/licenses/) for [project] license and rebuild.',
  license: 'Keep only the SPDX license expression: drop the legacy license text ([project] license = {text = …}).',
};

/** A stable code for a metadata error (docs and tests name them). */
function metadataCode(field: string, message: string): string {
  if (message.includes(' introduced in metadata version ')) return 'metadata-field-too-new';
  const required = message.endsWith(' is a required field');
  switch (field) {
    case 'metadata-version':
      return message.startsWith('None ') ? 'metadata-version-missing' : 'metadata-version-unsupported';
    case 'name':
      return required ? 'metadata-name-missing' : 'metadata-name-invalid';
    case 'version':
      return required ? 'metadata-version-field-missing' : message.includes('local versions') ? 'version-local' : 'metadata-version-invalid';
    case 'summary':
      return message.includes('512') ? 'summary-too-long' : 'summary-multiline';
    case 'home-page':
    case 'download-url':
      return 'url-invalid';
    case 'project-url':
      return message.includes('32 characters') ? 'project-url-label-too-long' : message.startsWith('Must have') ? 'project-url-invalid' : 'url-invalid';
    case 'requires-dist':
    case 'provides-dist':
    case 'obsoletes-dist':
      return message.startsWith("Can't have direct dependency") ? 'requirement-direct-url' : 'requirement-invalid';
    case 'author-email':
    case 'maintainer-email':
      return 'email-invalid';
    case 'license':
      return 'license-and-expression';
    case 'dynamic':
      return 'dynamic-invalid';
    default:
      return message.endsWith(' has invalid data')
        ? 'metadata-field-repeated'
        : `${field}-invalid`.replace('description-content-type-invalid', 'description-content-type');
  }
}

function checkMetadata(ctx: DistCheck): void {
  const { first, later, crash } = metadataErrors(ctx.form, ctx.opts.listedClassifiers);
  if (crash) {
    ctx.add(
      'error',
      RANK.metadata,
      'metadata-server-error',
      `PyPI fails on this metadata with a server error (500): packaging raises ${crash.exception} on ${crash.field} ${pyRepr(crash.value)}, which warehouse does not catch.`,
      crash.field === 'description-content-type' && crash.exception !== 'KeyError'
        ? 'Write Description-Content-Type on one line as a plain type such as "text/markdown; charset=UTF-8" (readme = "README.md" in pyproject.toml sets it) and rebuild.'
        : crash.exception === 'SyntaxError'
          ? 'Write each quoted string of the environment markers on one line, without backslashes, and rebuild.'
          : crash.field === 'license-expression'
            ? 'Drop the "+" after the LicenseRef (packaging fails on "LicenseRef-…+"; "or later" belongs in the license text) and rebuild.'
            : `The ${crash.field} value is invalid, and the braces in it break the error PyPI would word: fix the value (a template left unfilled?) and rebuild.`,
    );
    return;
  }
  if (!first.length) return;
  const primary = pickMetadataError(first) as string;
  // PyPI's answer first, then the rest (what PyPI answers once that one is fixed).
  const all = [...first, ...later].map((e) => ({ field: e.field.replace(/_/g, '-'), raw: e.message, message: pickMetadataError([e]) as string }));
  all.sort((x, y) => Number(y.message === primary) - Number(x.message === primary));
  const bom = ctx.d.metadata.body?.startsWith('\ufeff')
    ? `${ctx.d.kind === 'wheel' ? 'METADATA' : 'PKG-INFO'} starts with a byte-order mark, so no field of it can be read (packaging and twine read it so too): write it without the BOM. `
    : '';
  all.forEach(({ field, raw, message }, i) => {
    const severity: Severity = CERTAIN_FIELDS.has(field) || ctx.opts.verifyMetadata ? 'error' : 'warning';
    const code = metadataCode(field, raw);
    const fix =
      code === 'metadata-field-too-new'
        ? `Raise Metadata-Version to at least the version named (upgrade the build backend) or drop the field.`
        : (METADATA_FIXES[field] ?? 'Fix the field in your project configuration (pyproject.toml) and rebuild.');
    ctx.add(severity, RANK.metadata + (i ? 1 : 0), code, message, bom + fix);
  });
}

/** Fields packaging cannot parse are not sent (twine would refuse the file): say so. */
function checkNotSent(ctx: DistCheck): void {
  if (!ctx.opts.verifyMetadata) return;
  const { unparsed } = toRaw(ctx.d.metadata);
  for (const [key, values] of unparsed) {
    if (key === '(encoding)') {
      ctx.add(
        'warning',
        RANK.notSent,
        'metadata-encoding',
        `${ctx.d.kind === 'wheel' ? 'METADATA' : 'PKG-INFO'} is not valid UTF-8: its undecodable bytes are sent as U+FFFD (twine refuses such a file).`,
        'Core metadata must be UTF-8: fix the encoding of the fields (often the description or author) in your project configuration and rebuild.',
      );
    } else {
      ctx.add(
        'warning',
        RANK.notSent,
        values.length > 1 ? 'metadata-field-repeated' : 'metadata-field-unknown',
        `Core metadata field ${pyRepr(key)} ${values.length > 1 ? `appears ${values.length} times but may appear only once` : 'is not a known field'}: it is not sent to PyPI (twine refuses the file: "unrecognized or malformed field ${pyRepr(key)}").`,
        'Remove the field or the repeated value, or check its spelling against the core metadata specification, and rebuild.',
      );
    }
  }
}

// The dists of a release nearly always share one description: each text is read once per run. A
// few recent texts are remembered, not every one (a run may check hundreds of projects).
const readDescriptions = new Map<string, string[]>();
function rstProblemsOnce(description: string): string[] {
  let issues = readDescriptions.get(description);
  if (issues) return issues;
  issues = rstProblems(description);
  if (readDescriptions.size >= 8) readDescriptions.delete(readDescriptions.keys().next().value as string);
  readDescriptions.set(description, issues);
  return issues;
}

/** The longest docutils message shown with a refused description's fix. */
const DOCUTILS_MESSAGE_MAX = 200;

function checkDescription(ctx: DistCheck): void {
  // As parse_form_metadata reads them: an empty content type is none, and the description is then rendered as reStructuredText.
  const { raw } = parseFormMetadata(ctx.form.filter(([k]) => k === 'description' || k === 'description_content_type'));
  const description = raw.get('description') as string | undefined;
  if (!ctx.opts.verifyMetadata || !description) return;
  if (description.length >= OPTIMIZE_DESCRIPTION_CHARS) optimizeFromNowOn();
  const dctField = raw.get('description_content_type') as string | undefined;
  const dct = dctField?.split(';')[0]?.trim().toLowerCase();
  if (dct === 'text/markdown') {
    checkMarkdownDescription(ctx, description, dctField as string);
    return;
  }
  if (dct !== undefined && dct !== 'text/x-rst') return;
  const issues = rstProblemsOnce(description);
  if (!issues.length) return;
  const head = dctField ? `The description failed to render for '${dctField}'.` : 'The description failed to render in the default format of reStructuredText.';
  // The message is PyPI's own; what docutils would say goes with the fix. docutils quotes names from
  // the text (a target name may be a whole paragraph long): each of its messages is bounded here.
  const found = `docutils: ${issues
    .slice(0, 3)
    .map((m) => (m.length > DOCUTILS_MESSAGE_MAX ? `${m.slice(0, DOCUTILS_MESSAGE_MAX - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : m))
    .join(' ')}`;
  ctx.add(
    'error',
    RANK.description,
    'description-rst',
    `${head} See https://pypi.org/help/#description-content-type for more information.`,
    dctField
      ? `${found} Fix the reStructuredText (check with \`python -m readme_renderer README.rst\`).`
      : `${found} Your README is probably Markdown: set readme = "README.md" (Description-Content-Type: text/markdown) or fix the reStructuredText.`,
  );
}

/** Markdown never fails to parse; what PyPI refuses is a text that renders to nothing (src/dists/markdown.ts). */
function checkMarkdownDescription(ctx: DistCheck, description: string, dctField: string): void {
  if (!markdownRendersNothing(description)) return;
  ctx.add(
    'error',
    RANK.description,
    'description-markdown-empty',
    `The description failed to render for '${dctField}'. See https://pypi.org/help/#description-content-type for more information.`,
    description.trim()
      ? 'The Markdown description holds only link or footnote definitions, which render to nothing: give the README some text, and rebuild.'
      : 'The Markdown description is blank (an empty README renders to nothing): write the README, or drop readme from [project] in pyproject.toml, and rebuild.',
  );
}

/** PyPI's verdict on one file as the action would upload it: the pre-flight of that file alone. */
export interface Verdict {
  accepted: boolean;
  /** What PyPI would answer (the first error in its order), when refused. */
  message?: string;
  /** The form the action would send, when it could read the file. */
  form?: FormPairs;
  problems: Problem[];
}

/** The pre-flight of one file on its own (no cross-file rules): the entry point of `check`-like callers. */
export async function pypiVerdict(path: string, opts: PreflightOptions & InspectOptions = { verifyMetadata: true }): Promise<Verdict> {
  const r = await inspectDist(path, opts);
  const problems = [...r.problems];
  if (r.dist) for (const p of checkDist(r.dist, opts)) problems.push(p);
  else if (/\.(whl|tar\.gz|zip)$/.test(r.problems[0]?.file ?? '')) {
    const file = r.problems[0]?.file as string;
    for (const p of filenameOnlyProblems(file, file.endsWith('.whl') ? 'wheel' : 'sdist')) problems.push(p);
  }
  problems.sort(byPyPIOrderLocal);
  const firstError = problems.find((p) => p.severity === 'error');
  return { accepted: !firstError, ...(firstError ? { message: firstError.message } : {}), ...(r.dist ? { form: sentForm(r.dist) } : {}), problems };
}

const byPyPIOrderLocal = (a: Problem, b: Problem): number => (a.rank ?? RANK.other) - (b.rank ?? RANK.other);
