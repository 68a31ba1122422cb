// The differential test of issue #14: the pre-flight's verdict on a file must be PyPI's. A seeded
// generator (test/differential/generate.py) writes several hundred mutated wheels and sdists; the real
// dists of test/corpus/.cache join them. For each file the action's pre-flight runs in-process and
// says accept or refuse, with the message PyPI would give (the first error in warehouse's order); the
// PyPI stand-in judges the form the action would send plus the file with warehouse's checks, in one
// Python process (test/differential/judge.py). Verdicts must all agree; messages must be identical for
// at least 95 % of the files. The counts are printed. DIFFERENTIAL_SEED=N runs another seed: any seed's
// corpus holds every mutation, field and Metadata-Version listed below (the generator tops it up).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pypiVerdict, type Verdict } from '../../src/dists/preflight.ts';
import { buildSdist, buildWheel, type MetadataOverrides } from '../../test/fixtures/dists/build.ts';
import { type StandInVerdict, standInVerdicts } from '../../test/helpers/judge.ts';

const repo = join(import.meta.dirname, '..', '..');
const python = join(repo, '.venv', 'bin', 'python');
const cache = join(repo, 'test', 'corpus', '.cache');
const SEED = Number(process.env['DIFFERENTIAL_SEED'] ?? 14);
const COUNT = 700;

interface Case {
  path: string;
  filename: string;
  mutations?: string[];
  metadata_version?: string | null;
  fields?: string[];
}

// Every core-metadata field a client sends, and the archive/encoding/name mutations, must be among the
// generated files (so a rule cannot drift unnoticed).
const FIELDS = [
  'Metadata-Version',
  'Name',
  'Version',
  'Dynamic',
  'Platform',
  'Supported-Platform',
  'Summary',
  'Description',
  'Description-Content-Type',
  'Keywords',
  'Home-page',
  'Download-URL',
  'Author',
  'Author-email',
  'Maintainer',
  'Maintainer-email',
  'License',
  'License-Expression',
  'License-File',
  'Classifier',
  'Requires-Dist',
  'Requires-Python',
  'Requires-External',
  'Project-URL',
  'Provides-Extra',
  'Provides-Dist',
  'Obsoletes-Dist',
  'Requires',
  'Provides',
  'Obsoletes',
  'Import-Name',
  'Import-Namespace',
];
const METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];
const MUTATIONS = [
  'bom',
  'crlf',
  'latin1',
  'filename platform',
  'filename python',
  'filename abi',
  'filename build',
  'filename extension',
  'filename long',
  'sdist garbage',
  'sdist truncated',
  'sdist device',
  'sdist fifo',
  'sdist dotdot',
  'sdist link-out',
  'sdist sparse',
  'zip-trailing',
  'zip-prefix',
  'zip-descriptor',
  'zip-dup',
  'wheel entry-points',
  'wheel pyarmor',
  'wheel no-record',
  'wheel bzip2',
];
type Judged = StandInVerdict;

/** The action's verdict on each file, and the stand-in's on the form the action would send with it. */
async function bothVerdicts(cases: Case[]): Promise<{ ours: Verdict[]; theirs: Judged[] }> {
  const ours: Verdict[] = [];
  for (const c of cases) ours.push(await pypiVerdict(c.path));
  const input = cases.map((c, i) => ({ path: c.path, filename: c.filename, form: ours[i]!.form ?? null }));
  return { ours, theirs: standInVerdicts(input) };
}

/**
 * Builds the dists `make` writes into a scratch directory and asserts that the action and the
 * stand-in give each the same verdict and message (`shown` first normalizes a message), and that the
 * stand-in's verdicts are `accepted`, so that the cases keep covering what they were written for.
 */
async function assertSameVerdicts(make: (out: string) => Promise<string[]>, accepted: boolean[], shown = (m?: string | null) => `${m}`): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'differential-case-'));
  try {
    const cases = (await make(out)).map((path) => ({ path, filename: basename(path) }));
    const { ours, theirs } = await bothVerdicts(cases);
    const rows = (verdicts: Array<{ accepted: boolean; message?: string | null }>) =>
      cases.map((c, i) => `${c.filename}: ${verdicts[i]!.accepted ? 'accepted' : `refused: ${shown(verdicts[i]!.message)}`}`);
    assert.deepEqual(rows(ours), rows(theirs));
    assert.deepEqual(
      theirs.map((t) => t.accepted),
      accepted,
      'the cases cover the verdicts they were written for',
    );
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

let dir = '';
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pre-flight vs PyPI (stand-in) on generated and real dists', () => {
  it('agrees on every verdict and on ≥95 % of the messages', async () => {
    dir = await mkdtemp(join(tmpdir(), 'differential-'));
    // Whatever the seed, the generator tops its cases up until each mutation, field and version below is in one.
    const cover = JSON.stringify({ mutations: MUTATIONS, fields: FIELDS, versions: METADATA_VERSIONS });
    execFileSync(python, [join(repo, 'test', 'differential', 'generate.py'), '--seed', String(SEED), '--count', String(COUNT), '--out', dir, '--cover', cover]);
    const generated = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Case[];
    const real = existsSync(cache)
      ? readdirSync(cache)
          .filter((f) => /\.(whl|tar\.gz|zip)$/.test(f))
          .sort()
          .map((f) => ({ path: join(cache, f), filename: f }))
      : [];
    const cases: Case[] = [...generated, ...real];

    const { ours, theirs } = await bothVerdicts(cases);

    const disagreements: string[] = [];
    const differentMessages: string[] = [];
    let identical = 0;
    cases.forEach((c, i) => {
      const a = ours[i]!;
      const b = theirs[i]!;
      const what = `${c.filename} [${(c.mutations ?? ['real dist']).join(', ')}]`;
      if (a.accepted !== b.accepted) {
        disagreements.push(
          `${what}\n    action: ${a.accepted ? 'accept' : `refuse: ${a.message}`}\n    PyPI:   ${b.accepted ? 'accept' : `refuse: ${b.message}`}`,
        );
      } else if ((a.message ?? null) === (b.message ?? null) || (b.server_error && a.message?.includes(`raises ${b.server_error} `))) identical++;
      else differentMessages.push(`${what}\n    action: ${a.message}\n    PyPI:   ${b.message}`);
    });
    const formsCompared = theirs.filter((t) => t.twine_form_equal !== null).length;
    const formsEqual = theirs.filter((t) => t.twine_form_equal === true).length;
    const accepted = theirs.filter((t) => t.accepted).length;
    console.log(
      `differential: ${cases.length} files (${generated.length} generated, seed ${SEED}; ${real.length} real), ` +
        `PyPI accepts ${accepted}, refuses ${cases.length - accepted}; ` +
        `verdicts agree on ${cases.length - disagreements.length}, messages identical on ${identical} ` +
        `(${((100 * identical) / cases.length).toFixed(1)} %); upload form equal to twine's on ${formsEqual} of ${formsCompared}`,
    );
    for (const m of differentMessages.slice(0, Number(process.env['DIFFERENTIAL_SHOW'] ?? 15))) console.log(`message differs: ${m}`);
    assert.ok(generated.length >= 600, `only ${generated.length} generated files`);
    const fields = new Set(generated.flatMap((c) => c.fields ?? []));
    assert.deepEqual(
      FIELDS.filter((f) => !fields.has(f)),
      [],
      'every core-metadata field is generated',
    );
    const versions = new Set(generated.map((c) => c.metadata_version));
    assert.deepEqual(
      METADATA_VERSIONS.filter((v) => !versions.has(v)),
      [],
      'every Metadata-Version',
    );
    const mutations = new Set(generated.flatMap((c) => c.mutations ?? []));
    assert.deepEqual(
      MUTATIONS.filter((m) => !mutations.has(m)),
      [],
      'every encoding, name and framing mutation',
    );
    assert.deepEqual(
      disagreements,
      [],
      `${disagreements.length} verdicts differ:\n${disagreements.slice(0, Number(process.env['DIFFERENTIAL_SHOW'] ?? 30)).join('\n')}`,
    );
    assert.ok(identical / cases.length >= 0.95, `only ${identical} of ${cases.length} messages identical`);
  });
});

describe('pre-flight vs PyPI on values parse_form_metadata drops', () => {
  // warehouse takes a lone empty value of a field for no value at all (`if value == [""]: continue`):
  // an empty License-File checks no file, and an empty Description-Content-Type leaves the description
  // to be rendered as reStructuredText, the default.
  it('gives the same verdicts and messages', async () => {
    await assertSameVerdicts(
      async (out) => {
        const W = (name: string, metadata: MetadataOverrides, body?: string) => buildWheel(out, { name, version: '1.0', metadata, ...(body ? { body } : {}) });
        return [
          await W('lf-empty', { 'License-File': '' }),
          await W('lf-empty-and-named', { 'License-File': ['', 'LICENSE'] }),
          await W('lf-unknown', { 'License-File': 'UNKNOWN' }),
          await W('dct-empty-bad-rst', { 'Description-Content-Type': '' }, 'Title\n==\n\n*broken\n'),
          await W('dct-empty-good-rst', { 'Description-Content-Type': '' }, 'Title\n=====\n\nText.\n'),
          await buildSdist(out, { name: 'lf-empty-sdist', version: '1.0', metadata: { 'License-File': '' } }),
        ];
      },
      [true, false, true, false, true, true],
    );
  });
});

describe('pre-flight vs PyPI on values packaging crashes on', () => {
  // packaging stores a Description-Content-Type in an EmailMessage, which refuses a value of more than
  // one line (ValueError: a folded header), and CPython's header parser fails on a parameter name
  // ending the value with "*" (IndexError); it reads a marker's quoted string with ast.literal_eval
  // (SyntaxError on a line break or a broken escape in it). warehouse catches none of these: PyPI
  // answers a server error, whatever the rest of the metadata says — unless the field is too new for
  // the Metadata-Version, which skips it.
  it('refuses what PyPI fails on, and judges the rest alike', async () => {
    const out = await mkdtemp(join(tmpdir(), 'differential-dct-'));
    try {
      const W = (name: string, metadata: MetadataOverrides) => buildWheel(out, { name, version: '1.0', metadata });
      const paths = [
        await W('folded', { 'Description-Content-Type': 'text/markdown\n ; charset=UTF-8' }),
        await W('folded-blank', { 'Description-Content-Type': 'text/markdown\n ' }),
        await W('folded-bad-classifier', { 'Description-Content-Type': 'text/x-rst\n\t', Classifier: 'Not :: A :: Classifier' }),
        await W('folded-mv-1-2', { 'Metadata-Version': '1.2', 'Description-Content-Type': 'text/markdown\n ' }),
        await W('folded-mv-2-0', { 'Metadata-Version': '2.0', 'Description-Content-Type': 'text/markdown\n ' }),
        await W('star-end', { 'Description-Content-Type': 'text/plain; a*' }),
        await W('section-star-end', { 'Description-Content-Type': 'text/markdown; charset*0*' }),
        await W('star-then-space', { 'Description-Content-Type': 'text/plain; a* ' }),
        await W('star-section', { 'Description-Content-Type': 'text/plain; a*0' }),
        await W('star-then-param', { 'Description-Content-Type': 'text/plain; a*; charset=UTF-8' }),
        await buildSdist(out, { name: 'folded-sdist', version: '1.0', metadata: { 'Description-Content-Type': 'text/plain\n x' } }),
        await W('marker-folded', { 'Requires-Dist': ['a', "b; extra == 'docs\n '"] }),
        await W('marker-escaped-quote', { 'Requires-Dist': "b; os_name == 'nt\\'" }),
        await W('marker-short-hex', { 'Requires-Dist': 'b; os_name == "\\x4"' }),
        await W('marker-escapes', { 'Requires-Dist': "b; os_name == '\\x41\\N{BULLET}\\d'" }),
        // packaging's messages go through str.format_map: braces in the value are format syntax.
        await W('brace-version', { Version: '1.0{x}' }),
        await W('brace-lone', { 'Requires-Python': '>=3.6}' }),
        await W('brace-doubled', { 'Requires-Dist': 'a{{b' }),
        await W('brace-field', { 'Requires-Python': '{field}' }),
        await W('marker-nul', { 'Requires-Dist': ['a; extra == "x\0y"', 'b'] }),
        await W('marker-after-invalid', { 'Requires-Dist': ['b c', "b; os_name == 'nt\\'"] }),
        await W('provides-dist-folded', { 'Metadata-Version': '1.2', 'Provides-Dist': "b; os_name == 'x\n '" }),
        await W('provides-dist-after-packaging-error', { 'Metadata-Version': '1.2', 'Provides-Dist': "b; os_name == 'x\n '", Summary: 'a\n b' }),
        // packaging looks a LicenseRef's "+" form up without its "+", among the expression's own LicenseRefs.
        await W('licenseref-plus', { 'Metadata-Version': '2.4', 'License-Expression': 'MIT OR LicenseRef-Foo+' }),
        await W('licenseref-plus-and-bare', { 'Metadata-Version': '2.4', 'License-Expression': 'LicenseRef-Foo+ OR LicenseRef-Foo' }),
        await W('licenseref-plus-after-unknown', { 'Metadata-Version': '2.4', 'License-Expression': 'Foo OR LicenseRef-Bar+' }),
      ];
      const cases = paths.map((path) => ({ path, filename: basename(path) }));
      const { ours, theirs } = await bothVerdicts(cases);
      const row = (c: Case, accepted: boolean, message: string) => `${c.filename}: ${accepted ? 'accepted' : `refused: ${message}`}`;
      assert.deepEqual(
        cases.map((c, i) => {
          const o = ours[i]!;
          const t = theirs[i]!;
          // A server error has no message: the action names the exception packaging raises.
          return row(c, o.accepted, t.server_error && o.message?.includes(`raises ${t.server_error} `) ? `server error ${t.server_error}` : `${o.message}`);
        }),
        cases.map((c, i) => row(c, theirs[i]!.accepted, theirs[i]!.server_error ? `server error ${theirs[i]!.server_error}` : `${theirs[i]!.message}`)),
      );
      assert.deepEqual(
        theirs.map((t) => t.server_error ?? t.accepted),
        ['ValueError', 'ValueError', 'ValueError', false, 'ValueError', 'IndexError', 'IndexError', true, true, true, 'ValueError'].concat([
          'SyntaxError',
          'SyntaxError',
          'SyntaxError',
          true,
          'KeyError',
          'ValueError',
          false,
          false,
          'SyntaxError',
          false,
          'SyntaxError',
          false,
          'KeyError',
          true,
          false,
        ]),
        'the cases cover both exceptions and the values that pass',
      );
      // Each is refused under its own code, the first error of its file.
      assert.deepEqual(
        ours.filter((_, i) => theirs[i]!.server_error).map((o) => o.problems.find((p) => p.severity === 'error')?.code),
        theirs.filter((t) => t.server_error).map(() => 'metadata-server-error'),
      );
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe('pre-flight vs PyPI on values with Python whitespace in them', () => {
  // packaging's version and specifier patterns allow \s, and License-Expression splits on
  // whitespace: Python's \s has \x1c-\x1f and \x85 (a value so written is accepted), and not \ufeff,
  // which JS's \s has.
  it('gives the same verdicts and messages', async () => {
    await assertSameVerdicts(
      async (out) => [
        await buildWheel(out, { name: 'v-nel', version: '1.0', metadata: { Version: '1.0\x85' } }),
        await buildWheel(out, { name: 'v-fs', version: '1.0', metadata: { Version: '1.0\x1c' } }),
        await buildWheel(out, { name: 'v-bom', version: '1.0', metadata: { Version: '\ufeff1.0' } }),
        await buildSdist(out, { name: 'v-us', version: '1.0', metadata: { Version: '1.0\x1f' } }),
        await buildWheel(out, { name: 'rp-bom', version: '1.0', metadata: { 'Requires-Python': '>=3.6\ufeff' } }),
        await buildWheel(out, { name: 'rp-gs', version: '1.0', metadata: { 'Requires-Python': '>=\x1d3.6' } }),
        await buildWheel(out, { name: 'rd-gs', version: '1.0', metadata: { 'Requires-Dist': 'cachetools<\x1d6.0,>=2.0.0' } }),
        await buildWheel(out, { name: 'le-bom', version: '1.0', metadata: { 'License-Expression': 'MIT\ufeff' } }),
        await buildWheel(out, { name: 'le-nel', version: '1.0', metadata: { 'License-Expression': 'MIT\x85OR Apache-2.0' } }),
        // A member name may start with U+FEFF (Python's utf-8 codec keeps it): the wheel's name is then refused.
        await buildWheel(out, { name: '\ufeffbom-name', version: '1.0' }),
      ],
      [true, true, false, true, false, true, true, false, true, false],
    );
  });
});

describe('pre-flight vs PyPI on Description-Content-Type parameters as the email parser reads them', () => {
  // packaging asks Python's email header parser for charset and variant: a value ends where a token
  // must, a repeated name keeps its first value, an open quote or comment runs to the end, a parameter
  // that does not parse is dropped, and the type is str.strip()ped (\x1c-\x1f and \x85, not \ufeff).
  it('gives the same verdicts and messages', async () => {
    const values = [
      'text/markdown; charset=UTF-8 x',
      'text/markdown; charset=UTF-8; charset=latin-1',
      'text/markdown; charset=latin-1; CHARSET=UTF-8',
      'text/plain; charset="UTF-8',
      "text/plain; charset=UTF-8'",
      'text/plain; charset(=UTF-8',
      'text/plain; charset=UTF-8(a comment)',
      'text/plain; charset=UTF-8text/plain',
      'text/plain; charset*=UTF-8',
      "text/plain; charset*=utf-8''latin%2D1",
      'text/markdown; variant=GFM*',
      'text/markdown; variant="Common\\Mark"',
      'text/markdown\x1f',
      '\ufefftext/plain',
      'text/plain;; charset=latin-1',
    ];
    const build = async (out: string) => {
      const paths: string[] = [];
      for (const [i, v] of values.entries())
        paths.push(await buildWheel(out, { name: `dct-${i}`, version: '1.0', metadata: { 'Description-Content-Type': v } }));
      return paths;
    };
    // Python lists the three content types from a set, in an order that varies between processes.
    await assertSameVerdicts(
      build,
      [true, true, true, true, true, false, true, false, true, false, true, true, true, false, false],
      (m) => `${m?.replace(/\[[^\]]*\]/, '[…]')}`,
    );
  });
});

describe('pre-flight vs PyPI on internationalized e-mail domains', () => {
  // email-validator maps the domain with idna's UTS #46 table and checks each non-ASCII label's code
  // points against IDNA 2008 (an emoji is not allowed there, though UTS #46 alone would take it; a
  // middle dot only between two l's), quoting idna's error.
  it('gives the same verdicts and messages', async () => {
    const emails = [
      'jane@example.com\u{1F600}',
      'jane@b\u00fccher.org',
      'jane@B\u00dcCHER.org',
      'jane@xn--bcher-kva.org',
      'jane@l\u00b7l.org',
      'jane@a\u00b7b.org',
      'jane@example\ufffd.org',
      'jane@\uff45\uff58ample.org',
      'jane@\u0661\u06f1.org',
      // An A-label given as such is decoded (idna.decode) and its code points checked.
      'jane@XN--MNCHEN-3YA.org',
      'jane@xn--ls8h.org',
      'jane@xn--.org',
      'jane@xn--a-.org',
      'jane@xn--99999999.org',
      // idna.alabel: a label whose A-label passes 63 characters is too long to it, before any count of email-validator's.
      `jane@${'a'.repeat(58)}\u03a9aaaa.org`,
      `jane@${'a'.repeat(53)}\u03a9a.b\u00fccher.org`,
      // An ASCII label of 64 characters beside a non-ASCII one goes through alabel too.
      `jane@${'a'.repeat(64)}.b\u00fccher.org`,
    ];
    const build = async (out: string) => {
      const paths: string[] = [];
      for (const [i, e] of emails.entries()) paths.push(await buildWheel(out, { name: `idna-${i}`, version: '1.0', metadata: { 'Author-email': e } }));
      return paths;
    };
    await assertSameVerdicts(build, [false, true, true, true, true, false, false, true, false, true, false, false, false, false, false, true, false]);
  });
});
