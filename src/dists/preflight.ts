// PyPI's acceptance rules, applied before any token is requested. Messages are PyPI's own text
// (pypi/warehouse warehouse/forklift/legacy.py + metadata.py, packaging's messages it passes on),
// so users can search for them; every Problem names the file and says what to do.
//
// verifyMetadata (the `verify-metadata` input) decides what stays an error:
//
// | rule (code)                                                   | verifyMetadata: true | false    |
// | ------------------------------------------------------------- | -------------------- | -------- |
// | filename parse (wheel-/sdist-filename-invalid)                 | error                | error    |
// | PEP 625 sdist name, .zip sdist (sdist-name-pep625)             | error                | error    |
// | name in filename vs Name (filename-project-mismatch,           | error                | error    |
// |   wheel-name-not-normalized), version (filename-version-mismatch) |                   |          |
// | wheel platform tag (wheel-platform-tag)                        | error                | error    |
// | Metadata-Version missing / 2.0 / > 2.5 (metadata-version-*)    | error                | error    |
// | Name / Version missing or invalid, local version              | error                | error    |
// | single-use field given twice (metadata-field-repeated)         | error                | error    |
// | filename too long, one sdist per release, same file twice      | error                | error    |
// | Summary, URLs, Project-URL labels, Requires-Dist & co,         | error                | warning  |
// |   License+License-Expression, Description-Content-Type,        |                      |          |
// |   Dynamic, Provides-Extra, Requires-Python, License-File paths,|                      |          |
// |   field newer than Metadata-Version, e-mail shape              |                      |          |
// | reStructuredText description problems (description-rst)        | error                | skipped  |
// | unknown metadata fields (metadata-field-unknown)               | warning              | skipped  |
// | release metadata differs between files (release-inconsistent)  | warning              | warning  |
// | file > 100 MiB (file-too-large)                                | warning              | warning  |
//
// "false" keeps as errors only what makes the upload impossible or is certain to be refused; the
// rest are PyPI's rules too, but our re-implementation is approximate (see rules.ts NOT_CHECKED),
// so without verification we let PyPI have the last word.

import {
  canonicalizeName,
  expectedSdistFilename,
  filenameName,
  InvalidFilename,
  isValidName,
  isValidPlatformTag,
  parseSdistFilename,
  parseWheelFilename,
  type Version,
  tryParseVersion,
  versionsEqual,
} from './filename.ts';
import { MAX_FILENAME_BYTES } from './find.ts';
import { EMAIL_TO_RAW, RAW_TO_EMAIL, STRING_FIELDS, toRaw } from './metadata.ts';
import { pyRepr } from './pyrepr.ts';
import {
  descriptionContentTypeError,
  isValidUrl,
  licenseFileError,
  parseRequirement,
  rstProblems,
  specifierSetError,
} from './rules.ts';
import type { Dist, Problem, Severity } from './types.ts';

/** warehouse SUPPORTED_METADATA_VERSIONS: 2.0 was never valid; 2.6 not yet accepted. */
export const SUPPORTED_METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];
/** warehouse MAX_FILESIZE (default per-file limit). */
export const MAX_FILESIZE = 100 * 1024 * 1024;
export const SIZE_LIMIT_URL = 'https://docs.pypi.org/project-management/storage-limits#requesting-a-file-size-limit-increase';
const CORE_METADATA_URL = 'https://packaging.python.org/specifications/core-metadata';
const LOCAL_VERSION_URL = 'https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers';

// packaging: the metadata version that introduced each field (Metadata._Validator(added=...)).
const ADDED: Record<string, string> = {
  dynamic: '2.2',
  supported_platforms: '1.1',
  description_content_type: '2.1',
  download_url: '1.1',
  maintainer: '1.2',
  maintainer_email: '1.2',
  license_expression: '2.4',
  license_files: '2.4',
  classifiers: '1.1',
  requires_dist: '1.2',
  requires_python: '1.2',
  requires_external: '1.2',
  project_urls: '1.2',
  provides_extra: '2.1',
  provides_dist: '1.2',
  obsoletes_dist: '1.2',
  import_names: '2.5',
  import_namespaces: '2.5',
  requires: '1.1',
  provides: '1.1',
  obsoletes: '1.1',
};
const ALL_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6'];

// warehouse DYNAMIC_FIELDS (lower-cased).
const DYNAMIC_FIELDS = new Set(
  [
    'Platform', 'Supported-Platform', 'Summary', 'Description', 'Description-Content-Type', 'Keywords',
    'Home-Page', 'Download-Url', 'Author', 'Author-Email', 'Maintainer', 'Maintainer-Email', 'License',
    'License-Expression', 'License-File', 'Classifier', 'Requires-Dist', 'Requires-Python',
    'Requires-External', 'Project-Url', 'Provides-Extra', 'Provides-Dist', 'Obsoletes-Dist', 'Requires',
    'Provides', 'Obsoletes', 'Import-Name', 'Import-Namespace',
  ].map((f) => f.toLowerCase()),
);

export interface PreflightOptions {
  verifyMetadata: boolean;
}

/** PyPI's metadata error form: "{error}. See {url} for more information." */
function pypiMeta(msg: string, url = CORE_METADATA_URL): string {
  return `${msg}${msg.endsWith('.') ? '' : '.'} See ${url} for more information.`;
}

export function preflight(dists: Dist[], opts: PreflightOptions): Problem[] {
  const problems: Problem[] = [];
  // Appended one by one: a spread of a long array (130,000 repeated fields) overflows the stack.
  for (const d of dists) for (const p of checkDist(d, opts)) problems.push(p);
  for (const p of checkAcross(dists)) problems.push(p);
  return problems;
}

function checkDist(d: Dist, opts: PreflightOptions): Problem[] {
  const out: Problem[] = [];
  const f = d.filename;
  const certain = (code: string, message: string, fix: string): void => {
    out.push({ severity: 'error', code, file: f, message, fix });
  };
  // Rules whose severity depends on verify-metadata.
  const meta = (code: string, message: string, fix: string): void => {
    out.push({ severity: opts.verifyMetadata ? 'error' : 'warning', code, file: f, message, fix });
  };
  const REBUILD = 'Fix it in your project configuration (pyproject.toml) and rebuild.';

  // ---- Metadata that decides everything else ----
  const { raw, unparsed } = toRaw(d.metadata);
  const mv = typeof raw.metadata_version === 'string' ? raw.metadata_version : undefined;
  if (mv === undefined) {
    certain('metadata-version-missing', pypiMeta("'metadata-version' is a required field"), 'Rebuild with an up-to-date build backend; every METADATA/PKG-INFO starts with Metadata-Version.');
  } else if (!SUPPORTED_METADATA_VERSIONS.includes(mv)) {
    const fix =
      mv === '2.0'
        ? 'Metadata-Version 2.0 was never a valid version (PEP 426 was withdrawn): upgrade the build backend (e.g. setuptools, wheel) and rebuild.'
        : ALL_VERSIONS.includes(mv) || /^\d+\.\d+$/.test(mv)
          ? `PyPI accepts Metadata-Version up to 2.5. Pin your build backend to a release that writes ≤ 2.5 until PyPI supports ${mv}.`
          : 'Rebuild with a standard build backend; the Metadata-Version header is malformed.';
    certain('metadata-version-unsupported', pypiMeta(`${pyRepr(mv)} is not a valid metadata version`), fix);
  }
  const metadataAge = mv !== undefined ? ALL_VERSIONS.indexOf(mv) : -1;

  const name = typeof raw.name === 'string' ? raw.name : undefined;
  if (unparsed.has('name')) certain('metadata-field-repeated', pypiMeta("'name' has invalid data"), `Name appears more than once in the metadata. ${REBUILD}`);
  else if (!name) certain('metadata-name-missing', pypiMeta("'Name' is a required field"), 'Set [project] name in pyproject.toml and rebuild.');
  else if (!isValidName(name)) certain('metadata-name-invalid', pypiMeta(`${pyRepr(name)} is invalid for 'Name'`), 'A project name may contain only ASCII letters, digits, ".", "_" and "-", and must start and end with a letter or digit.');

  const versionText = typeof raw.version === 'string' ? raw.version : undefined;
  let version: Version | undefined;
  if (unparsed.has('version')) certain('metadata-field-repeated', pypiMeta("'version' has invalid data"), `Version appears more than once in the metadata. ${REBUILD}`);
  else if (!versionText) certain('metadata-version-field-missing', pypiMeta("'Version' is a required field"), 'Set the project version (pyproject.toml [project] version or your dynamic version plugin) and rebuild.');
  else {
    version = tryParseVersion(versionText);
    if (!version) certain('metadata-version-invalid', pypiMeta(`${pyRepr(versionText)} is invalid for 'Version'`), 'Use a PEP 440 version such as 1.2.3, 1.2.3rc1 or 1.2.3.post1 (for setuptools-scm, check that tags are fetched: actions/checkout with fetch-depth: 0).');
    else if (version.local) {
      certain('version-local', pypiMeta(`The use of local versions in ${pyRepr(version.normalized)} is not allowed.`, LOCAL_VERSION_URL), `PyPI does not accept local versions ("+${version.local.join('.')}"). With setuptools-scm this means the build was not on a clean tag: build from the tag, or set local_scheme = "no-local-version".`);
    }
  }

  // ---- Filename rules (warehouse legacy.py, in its order) ----
  if (Buffer.byteLength(f) > MAX_FILENAME_BYTES) certain('dist-name-too-long', `Filename is too long: '${f}'`, 'Shorten the project name, version or build tag.');
  if (/[\x00-\x1f\x7f]/.test(f)) certain('dist-name-control-chars', 'Cannot upload a file with non-printable characters (ordinals 0-31) or the DEL character (ordinal 127) in the name.', 'Rename the file (rebuild it) so its name has only printable characters.');

  if (d.kind === 'sdist') {
    let fromName: string | undefined;
    try {
      fromName = parseSdistFilename(f).name;
    } catch (e) {
      if (!(e instanceof InvalidFilename)) throw e;
      certain('sdist-filename-invalid', `Invalid source distribution filename: ${f}`, 'An sdist must be named {name}-{version}.tar.gz (PEP 625); rebuild it with `python -m build --sdist`.');
    }
    if (fromName !== undefined && name && version) {
      // warehouse: a post-release version may contain "-" ("1.0-1"); split on the second-to-last "-".
      if (version.isPostrelease && fromName !== canonicalizeName(name) && (f.match(/-/g) ?? []).length >= 2) {
        const i = f.lastIndexOf('-');
        const j = f.lastIndexOf('-', i - 1);
        if (j > 0 && tryParseVersion(f.slice(j + 1, f.endsWith('.zip') ? -4 : -7))) fromName = canonicalizeName(f.slice(0, j));
      }
      if (canonicalizeName(fromName) !== canonicalizeName(name)) {
        certain('filename-project-mismatch', `Start filename for ${pyRepr(name)} with ${pyRepr(filenameName(name))}.`, `The file name says project "${fromName}" but its PKG-INFO says Name: ${name}. Rebuild instead of renaming the file.`);
      } else {
        const expected = expectedSdistFilename(name, version);
        if (f !== expected) {
          certain(f.endsWith('.zip') ? 'sdist-zip' : 'sdist-name-pep625', `Filename ${pyRepr(f)} is invalid, should be ${pyRepr(expected)}.`,
            f.endsWith('.zip')
              ? `PyPI accepts only .tar.gz sdists (PEP 625). Build with \`python -m build --sdist\` (or setuptools ≥ 69.3) to get ${expected}, and remove the .zip.`
              : `PEP 625 requires the normalized name with underscores and the normalized version. Upgrade the build backend (setuptools ≥ 69.3, hatchling, flit-core ≥ 3.9…) and rebuild to get ${expected}.`);
        }
      }
    }
  } else {
    try {
      const w = parseWheelFilename(f);
      for (const t of [...new Set(w.tags.map((t) => t.platform))]) {
        if (!isValidPlatformTag(t)) {
          certain('wheel-platform-tag', `Binary wheel '${f}' has an unsupported platform tag '${t}'.`,
            t.startsWith('linux_')
              ? 'PyPI does not accept linux_* wheels: repair them into manylinux/musllinux wheels with auditwheel (cibuildwheel does this for you), or upload only the sdist.'
              : 'Build for a platform tag PyPI accepts (manylinux_X_Y / musllinux_X_Y, macosx_10_N or macosx_{11..15,26}_0, win*, ios, android, pyemscripten).');
        }
      }
      if (name) {
        const canonical = canonicalizeName(name);
        if (canonical !== w.name) {
          certain('filename-project-mismatch', `Start filename for ${pyRepr(name)} with ${pyRepr(canonical.replace(/-/g, '_'))}.`, `The file name says project "${w.name}" but its METADATA says Name: ${name}. Rebuild instead of renaming the file.`);
        } else if (w.nameAsWritten !== filenameName(name)) {
          certain('wheel-name-not-normalized', `Filename ${pyRepr(f)} should contain the normalized project name ${pyRepr(filenameName(name))}, not ${pyRepr(w.nameAsWritten)}.`, `Upgrade the build backend (wheel ≥ 0.41 / setuptools ≥ 75.8, hatchling, maturin ≥ 1.x write normalized names) and rebuild; the wheel must start with ${filenameName(name)}-.`);
        }
      }
      if (version && !versionsEqual(version, w.version)) {
        certain('filename-version-mismatch', `Version in filename should be ${pyRepr(version.normalized)} not ${pyRepr(w.version.normalized)}.`, 'The file name and METADATA disagree on the version: rebuild instead of renaming, and make sure the build saw the right version (e.g. fetch tags for setuptools-scm).');
      }
    } catch (e) {
      if (!(e instanceof InvalidFilename)) throw e;
      certain('wheel-filename-invalid', e.message, 'A wheel must be named {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl (PEP 427): rebuild it rather than renaming it.');
    }
  }

  // ---- The rest of core metadata (warehouse _validate_metadata + packaging validators) ----
  // twine drops License-File below 2.4, so PyPI never sees it there.
  const sentLicenseFiles = metadataAge >= ALL_VERSIONS.indexOf('2.4');
  for (const [key, values] of unparsed) {
    if (key === 'name' || key === 'version') continue;
    if (key === 'license-file' && !sentLicenseFiles) continue;
    const rawKey = EMAIL_TO_RAW.get(key);
    if (key === '(encoding)') continue; // reported by inspect
    if (rawKey && (STRING_FIELDS.has(rawKey) || rawKey === 'keywords' || rawKey === 'project_urls' || key === 'description')) {
      const what = key === 'description' ? 'The description is given both as a Description header and as the message body (or twice)' : key === 'project-url' ? 'Two Project-URL entries have the same label' : `${RAW_TO_EMAIL.get(rawKey)} appears ${values.length} times but may appear only once`;
      meta('metadata-field-repeated', pypiMeta(`${pyRepr(key)} has invalid data`), `${what}. ${REBUILD}`);
    } else if (opts.verifyMetadata && !rawKey) {
      out.push({ severity: 'warning', code: 'metadata-field-unknown', file: f, message: `Unrecognized core metadata field ${pyRepr(key)}: PyPI ignores it (twine would refuse the file: "unrecognized or malformed field").`, fix: 'Remove the field, or check its spelling against the core metadata specification.' });
    }
  }

  if (metadataAge >= 0) {
    for (const key of Object.keys(raw)) {
      const added = ADDED[key];
      if (key === 'license_files' && !sentLicenseFiles) continue;
      if (added && ALL_VERSIONS.indexOf(added) > metadataAge) {
        const field = RAW_TO_EMAIL.get(key) ?? key;
        meta('metadata-field-too-new', pypiMeta(`${field.toLowerCase()} introduced in metadata version ${added}, not ${mv}`), `Raise Metadata-Version to at least ${added} (upgrade the build backend) or drop ${field}.`);
      }
    }
  }

  const summary = raw.summary;
  if (typeof summary === 'string') {
    if (/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/.test(summary)) meta('summary-multiline', pypiMeta("'Summary' must be a single line"), 'Make [project] description in pyproject.toml a single line.');
    if ([...summary].length > 512) meta('summary-too-long', pypiMeta("'summary' field must be 512 characters or less."), `Shorten [project] description (the Summary) to at most 512 characters (it has ${[...summary].length}).`);
  }

  for (const [key, field] of [['home_page', 'home-page'], ['download_url', 'download-url']] as const) {
    const url = raw[key];
    if (typeof url === 'string' && !isValidUrl(url)) meta('url-invalid', pypiMeta(`${pyRepr(url)} is not a valid url.`), `${RAW_TO_EMAIL.get(key)} must be an http(s) URL; fix it in [project.urls] and rebuild.`);
    void field;
  }
  for (const [label, url] of Object.entries(raw.project_urls ?? {})) {
    if (!label) meta('project-url-invalid', pypiMeta('Must have a label'), 'Every Project-URL needs a label: "Label, https://…" ([project.urls] keys).');
    else if ([...label].length > 32) meta('project-url-label-too-long', pypiMeta(`${pyRepr(label)} must be 32 characters or less.`), 'Shorten the [project.urls] key to at most 32 characters.');
    else if (!url) meta('project-url-invalid', pypiMeta('Must have a URL'), `Give the Project-URL ${JSON.stringify(label)} a URL ("Label, https://…").`);
    else if (!isValidUrl(url)) meta('url-invalid', pypiMeta(`${pyRepr(url)} is not a valid url`), `The Project-URL ${JSON.stringify(label)} must be an http(s) URL; fix it in [project.urls].`);
  }

  for (const key of ['requires_dist', 'provides_dist', 'obsoletes_dist'] as const) {
    const field = (RAW_TO_EMAIL.get(key) ?? key).toLowerCase();
    for (const req of (raw[key] as string[] | undefined) ?? []) {
      const parsed = parseRequirement(req);
      if (typeof parsed === 'string') {
        meta('requirement-invalid', pypiMeta(`${pyRepr(req)} is invalid for ${pyRepr(field)}`), `${parsed}. Fix the dependency in pyproject.toml and rebuild.`);
      } else if (parsed.url !== undefined) {
        meta('requirement-direct-url', pypiMeta(`Can't have direct dependency: ${req}`), 'PyPI refuses dependencies on URLs ("pkg @ https://…" / git URLs): depend on a released version instead, or move it to an optional extra you do not publish.');
      }
    }
  }

  if (typeof raw.license === 'string' && raw.license && typeof raw.license_expression === 'string' && raw.license_expression) {
    meta('license-and-expression', pypiMeta('License is deprecated when License-Expression is present. Only License-Expression should be present'), 'Remove the legacy license text ([project] license = {text=…} / license classifier-era settings) and keep only the SPDX license expression.');
  }

  if (typeof raw.description_content_type === 'string') {
    const e = descriptionContentTypeError(raw.description_content_type);
    if (e) meta('description-content-type', pypiMeta(e), 'Use text/markdown, text/x-rst or text/plain (readme = "README.md" sets it for you).');
  }

  for (const dyn of (raw.dynamic as string[] | undefined) ?? []) {
    const lower = dyn.toLowerCase();
    if (['name', 'version', 'metadata-version'].includes(lower)) meta('dynamic-invalid', pypiMeta(`${pyRepr(lower)} is not allowed as a dynamic field`), 'Name and Version must be static in an sdist; upgrade the build backend.');
    else if (!DYNAMIC_FIELDS.has(lower)) meta('dynamic-invalid', pypiMeta(`Dynamic field ${pyRepr(lower)} is not a valid dynamic field.`), 'Dynamic may list only core metadata fields; upgrade the build backend.');
  }

  for (const extra of (raw.provides_extra as string[] | undefined) ?? []) {
    if (!isValidName(extra)) meta('provides-extra-invalid', pypiMeta(`${pyRepr(extra)} is invalid for 'Provides-Extra'`), 'Rename the optional-dependencies group to letters, digits, "-", "_" and "." only.');
  }

  if (typeof raw.requires_python === 'string' && specifierSetError(raw.requires_python)) {
    meta('requires-python-invalid', pypiMeta(`${pyRepr(raw.requires_python)} is invalid for 'Requires-Python'`), 'Use a PEP 440 specifier such as ">=3.9" for [project] requires-python.');
  }

  if (sentLicenseFiles) {
    for (const lf of (raw.license_files as string[] | undefined) ?? []) {
      const e = licenseFileError(lf);
      if (e) meta('license-file-invalid', pypiMeta(e), 'license-files must be relative paths with "/" separators and no globs left unresolved; upgrade the build backend.');
    }
  }

  for (const key of ['author_email', 'maintainer_email'] as const) {
    const v = raw[key];
    if (typeof v !== 'string') continue;
    // Only a single address is validated by warehouse (email.utils.parseaddr); loose shape check.
    if (!v.includes(',')) {
      const addr = (/<([^>]*)>/.exec(v)?.[1] ?? v).trim();
      if (addr && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(addr)) {
        meta('email-invalid', pypiMeta(`${pyRepr(addr)} is not a valid email address`), `Fix ${RAW_TO_EMAIL.get(key)} ([project] authors/maintainers email) and rebuild.`);
      }
    }
  }

  // ---- Description must render (warehouse readme.render; rst is the default) ----
  if (opts.verifyMetadata && typeof raw.description === 'string') {
    const dct = typeof raw.description_content_type === 'string' ? raw.description_content_type.split(';')[0]?.trim().toLowerCase() : undefined;
    if (dct === undefined || dct === 'text/x-rst') {
      const issues = rstProblems(raw.description);
      if (issues.length) {
        out.push({
          severity: 'error',
          code: 'description-rst',
          file: f,
          message: `${dct ? "The description failed to render for 'text/x-rst'." : 'The description failed to render in the default format of reStructuredText.'} See https://pypi.org/help/#description-content-type for more information. (${issues.slice(0, 3).join(' ')})`,
          fix: dct ? 'Fix the reStructuredText (check with `python -m readme_renderer README.rst`).' : 'Your README is probably Markdown: set readme = "README.md" (Description-Content-Type: text/markdown) or fix the reStructuredText.',
        });
      }
    }
  }

  if (d.size > MAX_FILESIZE) {
    out.push({ severity: 'warning', code: 'file-too-large', file: f, message: `File too large: ${(d.size / 1024 / 1024).toFixed(1)} MiB, above PyPI's default limit of 100 MB per file. The upload fails unless the project has a higher limit.`, fix: `Shrink the dist (exclude data/test files), or request a file size limit increase: ${SIZE_LIMIT_URL}` });
  }
  return out;
}

/** packaging canonicalize_version: trailing ".0"s don't make a different release. */
function releaseKey(v: Version): string {
  const r = [...v.release];
  while (r.length > 1 && r[r.length - 1] === 0n) r.pop();
  return [v.epoch, r.join('.'), v.pre?.join(''), v.post, v.dev, v.local?.join('.')].join('|');
}


/** Rules spanning files: one sdist per release, repeated files, one release's metadata agreeing. */
function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function checkAcross(dists: Dist[]): Problem[] {
  const out: Problem[] = [];
  const releases = new Map<string, Dist[]>();
  const byName = new Map<string, Dist[]>();
  for (const d of dists) {
    const v = tryParseVersion(d.metadata.get('Version') ?? d.version);
    const key = `${canonicalizeName(d.metadata.get('Name') ?? d.project)} ${v ? releaseKey(v) : d.version}`;
    appendTo(releases, key, d);
    appendTo(byName, d.filename, d);
  }
  for (const [filename, same] of byName) {
    if (same.length < 2) continue;
    const identical = same.every((d) => d.digests.sha256 === (same[0] as Dist).digests.sha256);
    const sev: Severity = identical ? 'warning' : 'error';
    out.push({
      severity: sev,
      code: 'dist-duplicate-file',
      file: filename,
      message: identical
        ? `${filename} is listed ${same.length} times (${same.map((d) => d.path).join(', ')}); it is uploaded once.`
        : `Two different files are both named ${filename} (${same.map((d) => d.path).join(', ')}); PyPI would answer "File already exists" for the second.`,
      fix: 'Make packages-dir list each dist once (check overlapping directories/globs and artifact downloads).',
    });
  }
  for (const files of releases.values()) {
    const sdists = files.filter((d) => d.kind === 'sdist' && !d.filename.endsWith('.zip'));
    const uniqueSdists = [...new Set(sdists.map((d) => d.filename))];
    if (uniqueSdists.length > 1) {
      for (const fn of uniqueSdists.slice(1)) {
        out.push({ severity: 'error', code: 'sdist-one-per-release', file: fn, message: `Only one sdist may be uploaded per release. (${uniqueSdists.join(', ')} are all sdists of the same version.)`, fix: 'Keep a single .tar.gz sdist for this version in packages-dir.' });
      }
    }
    // The first file creates the release; PyPI silently ignores later files' metadata.
    const first = files[0] as Dist;
    for (const d of files.slice(1)) {
      for (const field of ['Requires-Python', 'Summary', 'Requires-Dist', 'License-Expression']) {
        const a = first.metadata.getAll(field).join('\n');
        const b = d.metadata.getAll(field).join('\n');
        if (a !== b && field !== 'Requires-Dist') {
          out.push({ severity: 'warning', code: 'release-inconsistent', file: d.filename, message: `${field} differs from ${first.filename} (${JSON.stringify(b)} vs ${JSON.stringify(a)}); PyPI keeps the release metadata of the first file uploaded and ignores this one's.`, fix: 'Build all files of a release from the same source and configuration.' });
        }
      }
    }
  }
  return out;
}
