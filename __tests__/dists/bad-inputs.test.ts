// Malformed dists, bad filenames and bad metadata: each must produce a Problem that names the file,
// carries PyPI's wording (or ours where PyPI has none) and says how to fix it.

import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rm } from 'node:fs/promises';
import { inspectDist } from '../../src/dists/inspect.ts';
import { preflight } from '../../src/dists/preflight.ts';
import type { Dist, Problem } from '../../src/dists/types.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dists-bad-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
const fresh = (): string => join(root, String(n++));

async function problemsFor(paths: string[], verifyMetadata = true): Promise<Problem[]> {
  const dists: Dist[] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    const r = await inspectDist(p);
    // Small dists are read once into memory; large ones by random access: both must judge alike.
    assert.deepEqual(await inspectDist(p, { wholeReadMax: 0 }), r, `${p}: in memory and random access differ`);
    problems.push(...r.problems);
    if (r.dist) dists.push(r.dist);
  }
  return [...problems, ...preflight(dists, { verifyMetadata })];
}

interface Case {
  title: string;
  build: (dir: string) => Promise<string | string[]>;
  code: string;
  /** Substring of the message (PyPI's text where it has one). */
  message: string;
  severity?: 'error' | 'warning';
  /** Which file the problem must name (default: the (first) built file's basename). */
  file?: string;
}

const W =
  (o: Partial<Parameters<typeof buildWheel>[1]> = {}) =>
  (dir: string) =>
    buildWheel(dir, { name: 'sampleproject', version: '1.0.0', ...o });
const S =
  (o: Partial<Parameters<typeof buildSdist>[1]> = {}) =>
  (dir: string) =>
    buildSdist(dir, { name: 'sampleproject', version: '1.0.0', ...o });
const M = (metadata: Record<string, string | string[] | null>, o: Partial<Parameters<typeof buildWheel>[1]> = {}) => W({ metadata, ...o });

const CASES: Case[] = [
  // ---- wheel filenames ----
  {
    title: 'wheel with too few parts',
    build: W({ filename: 'sampleproject-1.0.0-py3-none.whl', distInfo: 'sampleproject-1.0.0.dist-info' }),
    code: 'wheel-filename-invalid',
    message: "Invalid wheel filename (wrong number of parts): 'sampleproject-1.0.0-py3-none'",
  },
  {
    title: 'wheel with invalid version',
    build: W({ filename: 'sampleproject-1.0x-py3-none-any.whl', distInfo: 'sampleproject-1.0x.dist-info' }),
    code: 'wheel-filename-invalid',
    message: 'Invalid wheel filename (invalid version)',
  },
  {
    title: 'wheel name with "__"',
    build: W({ filename: 'sample__project-1.0.0-py3-none-any.whl', distInfo: 'sample__project-1.0.0.dist-info' }),
    code: 'wheel-filename-invalid',
    message: 'Invalid project name',
  },
  {
    title: 'wheel with empty platform tag',
    build: W({ filename: 'sampleproject-1.0.0-py3-none-.whl' }),
    code: 'wheel-platform-tag',
    message: "Binary wheel 'sampleproject-1.0.0-py3-none-.whl' has an unsupported platform tag ''.",
  },
  {
    title: 'wheel with non-numeric build tag',
    build: W({ filename: 'sampleproject-1.0.0-abc-py3-none-any.whl' }),
    code: 'wheel-filename-invalid',
    message: 'Invalid build number: abc',
  },
  {
    title: 'linux_x86_64 wheel',
    build: W({ tag: 'cp312-cp312-linux_x86_64' }),
    code: 'wheel-platform-tag',
    message: "has an unsupported platform tag 'linux_x86_64'.",
  },
  {
    title: 'macosx 11 with minor != 0',
    build: W({ tag: 'cp312-cp312-macosx_11_3_arm64' }),
    code: 'wheel-platform-tag',
    message: "unsupported platform tag 'macosx_11_3_arm64'",
  },
  { title: 'musllinux with unknown arch', build: W({ tag: 'cp312-cp312-musllinux_1_2_ppc64' }), code: 'wheel-platform-tag', message: "'musllinux_1_2_ppc64'" },
  {
    title: 'wheel name not normalized',
    build: W({ name: 'SampleProject', filename: 'SampleProject-1.0.0-py3-none-any.whl', distInfo: 'SampleProject-1.0.0.dist-info' }),
    code: 'wheel-name-not-normalized',
    message: "Filename 'SampleProject-1.0.0-py3-none-any.whl' should contain the normalized project name 'sampleproject', not 'SampleProject'.",
  },
  {
    title: 'wheel of another project',
    build: M({ Name: 'otherproject' }),
    code: 'filename-project-mismatch',
    message: "Start filename for 'otherproject' with 'otherproject'.",
  },
  {
    title: 'wheel version differs from metadata',
    build: M({ Version: '1.1' }),
    code: 'filename-version-mismatch',
    message: "Version in filename should be '1.1' not '1.0.0'.",
  },
  // ---- wheel archives ----
  {
    title: 'wheel without WHEEL',
    build: W({ omit: ['WHEEL'] }),
    code: 'wheel-no-wheel-file',
    message: 'Invalid distribution file. WHEEL not found at sampleproject-1.0.0.dist-info/WHEEL',
  },
  {
    title: 'wheel without RECORD',
    build: W({ omit: ['RECORD'] }),
    code: 'wheel-no-record',
    message: 'does not contain the required RECORD file: sampleproject-1.0.0.dist-info/RECORD',
  },
  {
    title: 'wheel without METADATA',
    build: W({ omit: ['METADATA'] }),
    code: 'wheel-no-metadata',
    message: 'does not contain the required METADATA file: sampleproject-1.0.0.dist-info/METADATA',
  },
  {
    title: 'bzip2-compressed member',
    build: W({ method: 12 }),
    code: 'zip-compression-type',
    message: 'Invalid distribution file. File does not use a supported compression type',
  },
  {
    title: 'data descriptor',
    build: W({ zip: { dataDescriptor: true } }),
    code: 'zip-framing',
    message: 'ZIP archive not accepted: ZIP contains a data descriptor. See https://docs.pypi.org/archives',
  },
  { title: 'central directory comment', build: W({ zip: { cdComment: 'hi' } }), code: 'zip-framing', message: 'Comment in central directory' },
  { title: 'trailing data after the zip', build: W({ zip: { trailing: Buffer.from('junk') } }), code: 'zip-framing', message: 'Trailing data' },
  {
    title: 'duplicate member names',
    build: W({ rawMembers: [{ name: 'sampleproject/__init__.py', data: '__version__ = "1.0.0"\n' }] }),
    code: 'zip-framing',
    message: 'Duplicate filename in local headers',
  },
  { title: 'central directory size lie', build: W({ zip: { cdSizeLie: 'sampleproject/__init__.py' } }), code: 'zip-framing', message: 'Mis-matched file size' },
  {
    title: 'wheel that is not a zip',
    build: async (dir) => {
      await mkdir(dir, { recursive: true });
      const p = join(dir, 'sampleproject-1.0.0-py3-none-any.whl');
      await writeFile(p, 'not a zip at all');
      return p;
    },
    code: 'zip-not-zip',
    message: 'Invalid distribution file. File is not a zipfile',
  },
  {
    title: 'zip bomb (ratio > 50 above 64 MiB)',
    build: W({ files: { 'sampleproject/zeros.bin': Buffer.alloc(70 * 1024 * 1024) } }),
    code: 'zip-compression-ratio',
    message: 'File exceeds compression ratio of 50',
  },
  {
    title: 'entry point name with a path',
    build: W({ files: { 'sampleproject-1.0.0.dist-info/entry_points.txt': '[console_scripts]\n../evil = sampleproject:main\n' } }),
    code: 'wheel-entry-points',
    message: "Wheel 'sampleproject-1.0.0-py3-none-any.whl' has invalid entry points defined in the entry_points.txt file",
  },
  {
    title: 'entry_points.txt that is not INI',
    build: W({ files: { 'sampleproject-1.0.0.dist-info/entry_points.txt': 'console_scripts = x\n' } }),
    code: 'wheel-entry-points',
    message: 'has invalid entry points defined in the entry_points.txt file',
  },
  {
    title: 'PyArmor-encrypted module',
    build: W({ files: { 'sampleproject/core.py': "__pyarmor__(__name__, __file__, b'')\n" } }),
    code: 'dist-encrypted',
    message: 'Invalid distribution file. PyArmor-encrypted content is not allowed. See https://pypi.org/policy/acceptable-use-policy/ for more information.',
  },
  {
    title: 'SourceDefender-encrypted module',
    build: W({ files: { 'sampleproject/core.pye': '---BEGIN PYE FILE---\nxx\n---END PYE FILE---\n' } }),
    code: 'dist-encrypted',
    message: 'SourceDefender-encrypted content is not allowed.',
  },
  {
    title: 'wheel name over 246 bytes',
    build: W({ version: `10${'.1'.repeat(111)}` }),
    code: 'dist-name-too-long',
    message: "Filename is too long: 'sampleproject-10.1",
  },
  {
    title: 'retired extension .egg',
    build: async (dir) => {
      await mkdir(dir, { recursive: true });
      const p = join(dir, 'sampleproject-1.0.0-py3.12.egg');
      await writeFile(p, 'x');
      return p;
    },
    code: 'dist-unknown-format',
    message:
      'Invalid file extension: Use .tar.gz, .whl or .zip extension. See https://www.python.org/dev/peps/pep-0527 and https://peps.python.org/pep-0715/ for more information',
  },
  {
    title: 'upper-case extension .WHL',
    build: async (dir) => {
      await mkdir(dir, { recursive: true });
      const p = join(dir, 'sampleproject-1.0.0-py3-none-any.WHL');
      await writeFile(p, 'x');
      return p;
    },
    code: 'dist-unknown-format',
    message: 'Invalid file extension: Extension .WHL is invalid for filetype bdist_wheel. See https://www.python.org/dev/peps/pep-0527 for more information.',
  },
  {
    title: 'License-File missing from wheel',
    build: M({ 'License-File': 'LICENSE' }),
    code: 'license-file-missing',
    message: 'License-File LICENSE does not exist in distribution file sampleproject-1.0.0-py3-none-any.whl at sampleproject-1.0.0.dist-info/licenses/LICENSE',
  },
  // ---- metadata ----
  {
    title: 'Metadata-Version 2.0',
    build: M({ 'Metadata-Version': '2.0' }),
    code: 'metadata-version-unsupported',
    message: "'2.0' is not a valid metadata version. See https://packaging.python.org/specifications/core-metadata for more information.",
  },
  {
    title: 'Metadata-Version 2.6',
    build: M({ 'Metadata-Version': '2.6' }),
    code: 'metadata-version-unsupported',
    message: "'2.6' is not a valid metadata version",
  },
  {
    title: 'Metadata-Version garbage',
    build: M({ 'Metadata-Version': 'x' }),
    code: 'metadata-version-unsupported',
    message: "'x' is not a valid metadata version",
  },
  {
    title: 'no Metadata-Version',
    build: M({ 'Metadata-Version': null }),
    code: 'metadata-version-missing',
    message: 'None is not a valid metadata version. See https://packaging.python.org/specifications/core-metadata for more information.',
  },
  {
    title: 'no Name',
    build: M({ Name: null }),
    code: 'metadata-name-missing',
    message:
      "'' is an invalid value for Name. Error: This field is required. See https://packaging.python.org/specifications/core-metadata for more information.",
  },
  {
    title: 'invalid Name',
    build: M({ Name: 'sample project!' }),
    code: 'metadata-name-invalid',
    message:
      "'sample-project-' is an invalid value for Name. Error: Start and end with a letter or numeral containing only ASCII numeric and '.', '_' and '-'.",
  },
  { title: 'no Version', build: M({ Version: null }), code: 'metadata-version-field-missing', message: "'version' is a required field. See" },
  { title: 'invalid Version', build: M({ Version: '1.0-beta-x' }), code: 'metadata-version-invalid', message: "'1.0-beta-x' is invalid for 'version'. See" },
  {
    title: 'local version',
    build: W({ version: '1.0.0+local.7', distInfo: 'sampleproject-1.0.0+local.7.dist-info' }),
    code: 'version-local',
    message:
      "The use of local versions in '1.0.0+local.7' is not allowed. See https://packaging.python.org/en/latest/specifications/version-specifiers/#local-version-identifiers",
  },
  {
    title: 'Summary over 512 characters',
    build: M({ Summary: 'x'.repeat(513) }),
    code: 'summary-too-long',
    message: "'summary' field must be 512 characters or less.",
  },
  { title: 'Summary on two lines', build: M({ Summary: 'first\n        second' }), code: 'summary-multiline', message: "'summary' must be a single line. See" },
  {
    title: 'Summary given twice',
    build: M({ Summary: ['one', 'two'] }),
    code: 'metadata-field-repeated',
    message: "Core metadata field 'summary' appears 2 times but may appear only once: it is not sent to PyPI",
    severity: 'warning',
  },
  { title: 'Home-page not a URL', build: M({ 'Home-page': 'not a url' }), code: 'url-invalid', message: "'not a url' is not a valid url." },
  {
    title: 'Download-URL with ftp scheme',
    build: M({ 'Download-URL': 'ftp://example.com/x.tar.gz' }),
    code: 'url-invalid',
    message: "'ftp://example.com/x.tar.gz' is not a valid url.",
  },
  {
    title: 'Project-URL label over 32',
    build: M({ 'Project-URL': `${'L'.repeat(33)}, https://example.com` }),
    code: 'project-url-label-too-long',
    message: `'${'L'.repeat(33)}' must be 32 characters or less.`,
  },
  { title: 'Project-URL without URL', build: M({ 'Project-URL': 'Documentation' }), code: 'project-url-invalid', message: 'Must have a URL' },
  {
    title: 'Project-URL not http(s)',
    build: M({ 'Project-URL': 'Source, git+ssh://git@example.com/x' }),
    code: 'url-invalid',
    message: "'git+ssh://git@example.com/x' is not a valid url",
  },
  {
    title: 'direct URL dependency',
    build: M({ 'Requires-Dist': 'dep @ https://example.com/dep-1.0-py3-none-any.whl' }),
    code: 'requirement-direct-url',
    message: "Can't have direct dependency: dep @ https://example.com/dep-1.0-py3-none-any.whl",
  },
  {
    title: 'invalid requirement',
    build: M({ 'Requires-Dist': 'dep >>> 1' }),
    code: 'requirement-invalid',
    message: "'dep >>> 1' is invalid for 'requires-dist'",
  },
  {
    title: 'License with License-Expression',
    build: M({ License: 'MIT License', 'License-Expression': 'MIT' }),
    code: 'license-and-expression',
    message: 'License is deprecated when License-Expression is present. Only License-Expression should be present.',
  },
  {
    title: 'Description-Content-Type text/html',
    build: M({ 'Description-Content-Type': 'text/html' }),
    code: 'description-content-type',
    message: "'description-content-type' must be one of ['text/x-rst', 'text/markdown', 'text/plain'], not 'text/html'. See",
  },
  {
    title: 'Description-Content-Type latin-1',
    build: M({ 'Description-Content-Type': 'text/plain; charset=latin-1' }),
    code: 'description-content-type',
    message: "can only specify the UTF-8 charset, not 'latin-1'",
  },
  {
    title: 'Markdown variant unknown',
    build: M({ 'Description-Content-Type': 'text/markdown; variant=Rust' }),
    code: 'description-content-type',
    message: "valid Markdown variants for 'description-content-type' are ['GFM', 'CommonMark'], not 'Rust'. See",
  },
  { title: 'Dynamic: Version', build: M({ Dynamic: 'Version' }), code: 'dynamic-invalid', message: "'version' is not allowed as a dynamic field" },
  { title: 'Dynamic: unknown field', build: M({ Dynamic: 'Colour' }), code: 'dynamic-invalid', message: "'colour' is not a valid dynamic field. See" },
  {
    title: 'invalid extra name',
    build: M({ 'Provides-Extra': 'bad extra!' }),
    code: 'provides-extra-invalid',
    message: "'bad extra!' is invalid for 'provides-extra'. See",
  },
  {
    title: 'invalid Requires-Python',
    build: M({ 'Requires-Python': '>=3.x' }),
    code: 'requires-python-invalid',
    message: "'>=3.x' is invalid for 'requires-python'. See",
  },
  {
    title: 'License-Expression under Metadata-Version 2.1',
    build: M({ 'Metadata-Version': '2.1', 'License-Expression': 'MIT' }),
    code: 'metadata-field-too-new',
    message: 'license-expression introduced in metadata version 2.4, not 2.1',
  },
  {
    title: 'License-File with ".."',
    build: M({ 'License-File': '../LICENSE' }),
    code: 'license-file-invalid',
    message: "'../LICENSE' is invalid for 'license-file', parent directory indicators are not allowed",
  },
  {
    title: 'invalid author e-mail',
    build: M({ 'Author-email': 'Jane <jane-at-example>' }),
    code: 'email-invalid',
    message: "'jane-at-example' is not a valid email address",
  },
  {
    title: 'unknown classifier',
    build: M({ Classifier: ['Programming Language :: Python :: 3', 'Not :: A :: Classifier'] }),
    code: 'classifier-invalid',
    message: "'Not :: A :: Classifier' is not a valid classifier. See",
  },
  {
    title: 'deprecated classifier',
    build: M({ Classifier: 'Natural Language :: Ukranian' }),
    code: 'classifier-invalid',
    message: "The classifier 'Natural Language :: Ukranian' has been deprecated, use one of ['Natural Language :: Ukrainian'] instead.",
  },
  {
    title: 'unknown SPDX license',
    build: M({ 'License-Expression': 'MIT OR Foo-1.0' }),
    code: 'license-expression-invalid',
    message: "'MIT OR Foo-1.0' is invalid for 'license-expression'. See",
  },
  {
    title: 'malformed license expression',
    build: M({ 'License-Expression': 'MIT AND (Apache-2.0' }),
    code: 'license-expression-invalid',
    message: "'MIT AND (Apache-2.0' is invalid for 'license-expression'",
  },
  {
    title: 'marker that is not PEP 508',
    build: M({ 'Requires-Dist': "dep; os_name = 'nt'" }),
    code: 'requirement-invalid',
    message: `"dep; os_name = 'nt'" is invalid for 'requires-dist'`,
  },
  {
    title: 'Provides-Dist that is not PEP 508',
    build: M({ 'Provides-Dist': 'dep (>=1' }),
    code: 'requirement-invalid',
    message: "'dep (>=1' is invalid: Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier\n    dep (>=1\n        ~~~~^",
  },
  {
    title: 'author e-mail email-validator refuses',
    build: M({ 'Author-email': 'Jane <jane@example.invalid>' }),
    code: 'email-invalid',
    message: "'jane@example.invalid' is not a valid email address: The part after the @-sign is a special-use or reserved name that cannot be used with email.",
  },
  {
    title: 'Description-Content-Type charset in lower case',
    build: M({ 'Description-Content-Type': 'text/markdown; charset=utf-8' }),
    code: 'description-content-type',
    message: "'description-content-type' can only specify the UTF-8 charset, not 'utf-8'",
  },
  {
    title: 'rst description with short underline',
    build: W({ body: 'My project\n=====\n\nText.\n' }),
    code: 'description-rst',
    message: 'The description failed to render in the default format of reStructuredText.',
  },
  {
    title: 'rst description folded into a header, its title in a definition (old setuptools)',
    build: M({ Description: 'My project\n        ==========\n        \n        Text.' }),
    code: 'description-rst',
    message: 'The description failed to render in the default format of reStructuredText.',
  },
  {
    title: 'rst description with a Sphinx role',
    build: W({ body: 'Call :func:`main` to start.\n' }),
    code: 'description-rst',
    message: 'The description failed to render in the default format of reStructuredText.',
  },
  {
    title: 'rst description with a link to no target',
    build: W({ body: 'Read the docs_ first.\n' }),
    code: 'description-rst',
    message: 'The description failed to render in the default format of reStructuredText.',
  },
  {
    title: 'Markdown description that is blank (an empty README.md)',
    build: W({ metadata: { 'Description-Content-Type': 'text/markdown' }, body: '\n' }),
    code: 'description-markdown-empty',
    message: "The description failed to render for 'text/markdown'.",
  },
  {
    title: 'Markdown description of link definitions only',
    build: S({ metadata: { 'Description-Content-Type': 'text/markdown' }, body: '[docs]: https://example.com/docs\n' }),
    code: 'description-markdown-empty',
    message: "The description failed to render for 'text/markdown'.",
  },
  {
    title: 'description both in header and body',
    build: M({ Description: 'header text' }, { body: 'body text\n' }),
    code: 'metadata-field-repeated',
    message: "Core metadata field 'description' appears 2 times",
    severity: 'warning',
  },
  // ---- sdists ----
  {
    title: '.zip sdist',
    build: S({ format: 'zip' }),
    code: 'sdist-zip',
    message: "Filename 'sampleproject-1.0.0.zip' is invalid, should be 'sampleproject-1.0.0.tar.gz'.",
  },
  {
    title: 'sdist with unnormalized name',
    build: S({ name: 'Sample.Project', filename: 'Sample.Project-1.0.0.tar.gz' }),
    code: 'sdist-name-pep625',
    message: "Filename 'Sample.Project-1.0.0.tar.gz' is invalid, should be 'sample_project-1.0.0.tar.gz'.",
  },
  {
    title: 'sdist with unnormalized version',
    build: S({ version: '1.0.0RC1', filename: 'sampleproject-1.0.0RC1.tar.gz' }),
    code: 'sdist-name-pep625',
    message: "should be 'sampleproject-1.0.0rc1.tar.gz'.",
  },
  {
    title: 'sdist name without version',
    build: S({ filename: 'sampleproject.tar.gz' }),
    code: 'sdist-filename-invalid',
    message: 'Invalid source distribution filename: sampleproject.tar.gz',
  },
  {
    title: 'sdist of another project',
    build: S({ filename: 'otherproject-1.0.0.tar.gz' }),
    code: 'filename-project-mismatch',
    message: "Start filename for 'sampleproject' with 'sampleproject'.",
  },
  {
    title: 'sdist without PKG-INFO',
    build: S({ omitPkgInfo: true }),
    code: 'sdist-no-pkg-info',
    message: 'Invalid distribution file. PKG-INFO not found at sampleproject-1.0.0/PKG-INFO',
  },
  {
    title: 'sdist without top-level directory',
    build: S({ topDir: '' }),
    code: 'sdist-top-level',
    message: 'Invalid distribution file. Incorrect number of top-level directories in sdist',
  },
  {
    title: 'sdist member escaping with ..',
    build: S({ rawMembers: [{ name: 'sampleproject-1.0.0/../evil.py', data: 'x' }] }),
    code: 'sdist-member-escapes',
    message: 'evil.py',
    severity: 'warning',
  },
  {
    title: 'sdist symlink pointing outside',
    build: S({ rawMembers: [{ name: 'sampleproject-1.0.0/passwd', type: '2', linkname: '../../etc/passwd' }] }),
    code: 'sdist-link-escapes',
    message: 'symlink "sampleproject-1.0.0/passwd" points outside sampleproject-1.0.0/',
    severity: 'warning',
  },
  {
    title: 'sdist hard link pointing outside',
    build: S({ rawMembers: [{ name: 'sampleproject-1.0.0/h', type: '1', linkname: 'etc/shadow' }] }),
    code: 'sdist-link-escapes',
    message: 'hard link',
    severity: 'warning',
  },
  {
    title: 'sdist device member',
    build: S({ rawMembers: [{ name: 'sampleproject-1.0.0/tty', type: '3' }] }),
    code: 'sdist-special-member',
    message: 'character-device',
    severity: 'warning',
  },
  {
    title: 'sdist sparse member (pax)',
    // A sparse 1.0 member's data starts with its map: one region, at 0, of 1 byte (a malformed map is tarfile's ValueError).
    build: S({ rawMembers: [{ name: 'sampleproject-1.0.0/big', data: '1\n0\n1\n', pax: { 'GNU.sparse.major': '1', 'GNU.sparse.minor': '0' } }] }),
    code: 'sdist-sparse',
    message: 'tar archive not accepted: Sparse members are not allowed.',
  },
  {
    title: 'sdist GNU sparse type',
    build: S({ rawMembers: [{ name: 'sampleproject-1.0.0/big', data: 'x', type: 'S' }] }),
    code: 'sdist-sparse',
    message: 'Sparse members are not allowed',
  },
  {
    title: 'truncated sdist',
    build: S({ truncate: true, files: { 'data.bin': Buffer.from(Array.from({ length: 200000 }, (_, i) => (i * 7919) % 251)) } }),
    code: 'sdist-corrupt',
    message: 'Invalid distribution file. None',
  },
  {
    title: '.tar.gz that is not gzip',
    build: async (dir) => {
      await mkdir(dir, { recursive: true });
      const p = join(dir, 'sampleproject-1.0.0.tar.gz');
      await writeFile(p, 'plain text');
      return p;
    },
    code: 'sdist-not-tar',
    message: 'Invalid distribution file. File is not a tarfile',
  },
  {
    title: 'License-File missing from sdist',
    build: S({ metadata: { 'License-File': 'COPYING' } }),
    code: 'license-file-missing',
    message: 'License-File COPYING does not exist in distribution file sampleproject-1.0.0.tar.gz at sampleproject-1.0.0/COPYING',
  },
  // ---- across files ----
  {
    title: 'two sdists for one release',
    build: async (dir) => [await S()(dir), await S({ filename: 'sampleproject-1.0.tar.gz', topDir: 'sampleproject-1.0' })(dir)],
    code: 'sdist-one-per-release',
    message: 'Only one sdist may be uploaded per release.',
    file: 'sampleproject-1.0.tar.gz',
  },
  {
    title: 'same file name, different content',
    build: async (dir) => [await W()(join(dir, 'a')), await W({ files: { 'x.py': '1' } })(join(dir, 'b'))],
    code: 'dist-duplicate-file',
    message: 'PyPI would answer "File already exists" for the second',
  },
  {
    title: 'one content under two names (a wheel copied to another name for more tags)',
    build: async (dir) => {
      const wheel = await W()(dir);
      const copy = join(dir, 'sampleproject-1.0.0-py2.py3-none-any.whl');
      await copyFile(wheel, copy);
      return [copy, wheel];
    },
    code: 'dist-duplicate-content',
    message:
      'sampleproject-1.0.0-py3-none-any.whl has the same content as sampleproject-1.0.0-py2.py3-none-any.whl; PyPI knows a file by its content too, so only one of them can be uploaded, and PyPI would answer "File already exists (\'sampleproject-1.0.0-py3-none-any.whl\', …)" for the other.',
    file: 'sampleproject-1.0.0-py3-none-any.whl',
  },
];

describe('bad inputs produce a Problem naming the file and the fix', () => {
  it('has at least 40 cases', () => assert.ok(CASES.length >= 40, String(CASES.length)));
  for (const c of CASES) {
    it(c.title, async () => {
      const built = await c.build(fresh());
      const paths = Array.isArray(built) ? built : [built];
      const problems = await problemsFor(paths);
      const file = c.file ?? basename(paths[0] as string);
      const hit = problems.find((p) => p.code === c.code);
      assert.ok(hit, `expected code ${c.code}; got ${JSON.stringify(problems, null, 1)}`);
      assert.equal(hit.file, file);
      assert.ok(hit.message.includes(c.message), `message ${JSON.stringify(hit.message)} lacks ${JSON.stringify(c.message)}`);
      assert.equal(hit.severity, c.severity ?? 'error');
      assert.ok(hit.fix.length > 15, 'a fix is given');
    });
  }
});

describe('verifyMetadata: false', () => {
  it('keeps filename/version errors, downgrades content rules to warnings, skips rst', async () => {
    const dir = fresh();
    const a = await buildWheel(dir, {
      name: 'sampleproject',
      version: '1.0.0',
      metadata: { 'Home-page': 'nope', 'Metadata-Version': '2.0' },
      body: 'Title\n====\n',
    });
    const b = await buildWheel(dir, { name: 'sampleproject', version: '1.0.0', tag: 'py3-none-linux_x86_64' });
    const problems = await problemsFor([a, b], false);
    const by = (code: string) => problems.find((p) => p.code === code);
    assert.equal(by('url-invalid')?.severity, 'warning');
    assert.equal(by('metadata-version-unsupported')?.severity, 'error');
    assert.equal(by('wheel-platform-tag')?.severity, 'error');
    assert.equal(by('description-rst'), undefined);
  });
});

describe('size', () => {
  it('warns above 100 MiB with the limit-increase link', async () => {
    const r = await inspectDist(await buildWheel(fresh(), { name: 'sampleproject', version: '1.0.0' }));
    assert.ok(r.dist);
    const big: Dist = { ...r.dist, size: 150 * 1024 * 1024 };
    const p = preflight([big], { verifyMetadata: true }).find((x) => x.code === 'file-too-large');
    assert.ok(p);
    assert.equal(p.severity, 'warning');
    assert.equal(p.file, big.filename);
    assert.match(p.fix, /storage-limits#requesting-a-file-size-limit-increase/);
  });
});

// docutils quotes names from the text; a hostile one may be a paragraph long, and the fix stays short.
describe('a refused description', () => {
  it("shows docutils' messages in the fix, each bounded", async () => {
    const name = `${'a-'.repeat(50_000)}b`;
    const [problem] = (await problemsFor([await W({ body: `See ${name}_ and *this.\n` })(fresh())])).filter((p) => p.code === 'description-rst');
    assert.ok(problem, 'refused');
    assert.match(problem.fix, /^docutils: .*line 1: Unknown target name: "a-a-a-[a-]*…/);
    assert.match(problem.fix, /line 1: Inline emphasis start-string without end-string\./);
    assert.ok(problem.fix.length < 600, `${problem.fix.length} characters`);
  });
});
