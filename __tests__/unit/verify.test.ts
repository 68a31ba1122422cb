// The consumer side's rules, in process: lock files (PEP 751) read and written back, requirements,
// the command line, identity matching, and the engine's verdicts over a fake index and verifier.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import { parsePylock, writeIdentities, LockFileError } from '../../src/verify/pylock.ts';
import { parseRequirements, parsePin, RequirementError } from '../../src/verify/requirements.ts';
import { parseVerifyArgs, VerifyUsageError } from '../../src/verify/args.ts';
import { expectIdentity, expectRepository, identityMatches, identityRecord, describeIdentity } from '../../src/verify/identity.ts';
import { failed, verifyTargets } from '../../src/verify/engine.ts';
import { renderTable, outcomeText } from '../../src/verify/report.ts';
import { VerificationFailure } from '../../src/sigstore/errors.ts';
import type { ReleaseIndex } from '../../src/verify/index-client.ts';
import type { ProvenanceVerifier } from '../../src/verify/provenance.ts';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const GH = { kind: 'GitHub', repository: 'octo-org/sampleproject', workflow: 'release.yml' };

const UV_LOCK = `# comment kept
lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "alpha"
version = "1.0.0"
index = "https://pypi.org/simple"
sdist = { url = "https://files.example/alpha-1.0.0.tar.gz", hashes = { sha256 = "${SHA_A}" } }
wheels = [{ url = "https://files.example/alpha-1.0.0-py3-none-any.whl", hashes = { sha256 = "${SHA_B.toUpperCase()}" } }]

[[packages]]
name = "local-thing"
directory = { path = "." }

[[packages]]
name = "beta"
version = "2.0"
wheels = [{ name = "beta-2.0-py3-none-any.whl", hashes = { sha256 = "${SHA_A}" } }]
[[packages.attestation-identities]]
kind = "GitHub"
repository = "octo-org/beta"
workflow = "publish.yml"

[tool.example]
keep = true
`;

describe('pylock.toml', () => {
  it('lists every index file with its hash, index and expected identities', () => {
    const lock = parsePylock(UV_LOCK);
    assert.deepEqual(
      lock.files.map((f) => [f.filename, f.sha256, f.indexUrl, f.packageIndex]),
      [
        ['alpha-1.0.0.tar.gz', SHA_A, 'https://pypi.org/simple/', 0],
        ['alpha-1.0.0-py3-none-any.whl', SHA_B, 'https://pypi.org/simple/', 0],
        ['beta-2.0-py3-none-any.whl', SHA_A, 'https://pypi.org/simple/', 2],
      ],
    );
    assert.deepEqual(lock.notFromIndex, ['local-thing']);
    assert.deepEqual(lock.hasIdentities, [false, false, true]);
    assert.equal(lock.files[2]!.expected[0]!.label, 'GitHub octo-org/beta (publish.yml)');
    assert.equal(parsePylock(UV_LOCK, 'http://127.0.0.1:1/simple/').files[0]!.indexUrl, 'http://127.0.0.1:1/simple/');
  });

  // Found by a review: a package's own index skipped --index-url's rules, and its credential reached
  // provenance_url; a package without a version, or with a hash other than sha256, was skipped or
  // "verified" with nothing tying the lock to the file.
  it("holds a package's index to --index-url's rule, reads a missing version from the file name, keeps other hashes' names", () => {
    const lock = (pkg: string) => parsePylock(`lock-version = "1.0"\n\n[[packages]]\nname = "foo"\n${pkg}`);
    const wheel = 'wheels = [{ name = "foo-1.0-py3-none-any.whl", hashes = { sha512 = "cc" } }]\n';
    assert.equal(lock(`version = "1.0"\nindex = "https://user:s3cret@idx.example/simple"\n${wheel}`).files[0]!.indexUrl, 'https://idx.example/simple/');
    assert.throws(
      () => lock(`version = "1.0"\nindex = "http://idx.example/simple/"\n${wheel}`),
      /#1 \(foo\): its index http:\/\/idx\.example\/simple\/ is not https/,
    );
    assert.throws(
      () => lock(`version = "1.0"\nindex = "http://user:tok@[::1"\n${wheel}`),
      (e: Error) => /is not a URL/.test(e.message) && !e.message.includes('tok'),
    );
    const [file] = lock(wheel).files;
    assert.equal(file!.version, '1.0');
    assert.equal(file!.sha256, undefined);
    assert.deepEqual(file!.lockHashes, ['sha512']);
    assert.throws(() => lock('sdist = { name = "foo.tar.gz", hashes = { sha256 = "aa" } }\n'), /no version, and the file name "foo\.tar\.gz" names none/);
  });

  it('refuses what is not a lock file', () => {
    assert.throws(() => parsePylock('[[packages]]\nname = "x"\n'), LockFileError);
    assert.throws(() => parsePylock('lock-version = '), /not valid TOML/);
  });

  it('writes identities at the end of each package, changing nothing else', () => {
    const out = writeIdentities(UV_LOCK, new Map([[0, [GH]]]));
    const doc = JSON.parse(JSON.stringify(parse(out)));
    assert.deepEqual(doc.packages[0]['attestation-identities'], [GH]);
    assert.deepEqual(doc.packages[2]['attestation-identities'], [{ kind: 'GitHub', repository: 'octo-org/beta', workflow: 'publish.yml' }]);
    assert.deepEqual(doc.tool, { example: { keep: true } });
    // The text: the original lines, plus one table placed right after alpha's wheels.
    const added = out.split('\n').slice(10, 15);
    assert.deepEqual(added, [
      '',
      '[[packages.attestation-identities]]',
      'kind = "GitHub"',
      'repository = "octo-org/sampleproject"',
      'workflow = "release.yml"',
    ]);
    assert.equal(out.replace(added.join('\n') + '\n', ''), UV_LOCK);
  });

  it('keeps CRLF line ends and escapes values', () => {
    const crlf = UV_LOCK.replace(/\n/g, '\r\n');
    const odd = { kind: 'GitHub', repository: 'o/"quoted"\\x', workflow: 'a.yml', environment: '' };
    const out = writeIdentities(crlf, new Map([[2, [odd]]]));
    assert.ok(!/[^\r]\n/.test(out), 'every line ends with CRLF');
    const ids = JSON.parse(JSON.stringify(parse(out))).packages[2]['attestation-identities'];
    assert.deepEqual(ids.at(-1), { kind: 'GitHub', repository: 'o/"quoted"\\x', workflow: 'a.yml' });
  });

  it('refuses a layout it cannot edit without touching other entries', () => {
    const inline =
      'lock-version = "1.0"\npackages = [{ name = "a", version = "1", wheels = [{ name = "a-1-py3-none-any.whl", hashes = { sha256 = "' + SHA_A + '" } }] }]\n';
    assert.throws(() => writeIdentities(inline, new Map([[0, [GH]]])), LockFileError);
  });
});

describe('requirements', () => {
  it('reads pins, continuation lines and sha256 hashes; skips options and comments', () => {
    const text = `# top\n--pre\nAlpha[extra]==1.0 ; python_version >= "3.9" \\\n    --hash=sha256:${SHA_A} \\\n    --hash=sha256:${SHA_B}\nbeta===2.0  # trailing\n`;
    const targets = parseRequirements(text, 'req.txt', 'https://pypi.org/simple/', []);
    assert.deepEqual(
      targets.map((t) => [t.project, t.version, t.sha256s, t.origin]),
      [
        ['Alpha', '1.0', [SHA_A, SHA_B], 'req.txt:3'],
        ['beta', '2.0', undefined, 'req.txt:6'],
      ],
    );
  });

  // pip would install what these lines name: skipped, the run once verified nothing and passed.
  it('refuses the option lines that name other pins or another index', () => {
    for (const line of [
      '-r base.txt',
      '-rbase.txt',
      '--requirement=base.txt',
      '-i https://example/simple',
      '--index-url https://x/',
      '--extra-index-url=https://x/',
      '-f ./wheels',
      '--no-index',
    ]) {
      assert.throws(
        () => parseRequirements(`alpha==1.0\n${line}\n`, 'req.txt', 'x', []),
        (e: Error) => e instanceof RequirementError && /^req\.txt:2: -[\w-]+ is not followed by verify/.test(e.message),
        line,
      );
    }
    assert.equal(parseRequirements('-c constraints.txt\n-e .\n--rich=1\nalpha==1.0\n', 'req.txt', 'x', []).length, 1, 'other options are skipped');
  });

  it('refuses what is not an exact pin', () => {
    assert.throws(
      () => parseRequirements('alpha>=1\n', 'r.txt', 'x', []),
      (e: Error) => e instanceof RequirementError && /r\.txt:1/.test(e.message),
    );
    assert.throws(() => parsePin('alpha', 'argument', 'x', []), RequirementError);
  });
});

describe('command line', () => {
  it('parses pins, files and flags', () => {
    const req = parseVerifyArgs([
      'alpha==1',
      'dir/pylock.toml',
      '-r',
      'a.txt',
      '--requirement=b.txt',
      '--index-url',
      'http://127.0.0.1:9/simple',
      '--repository',
      'o/r',
      '--workflow',
      'w.yml',
      '--require',
      '--json',
      '--write-identities',
      '--concurrency',
      '8',
    ]);
    assert.deepEqual(req, {
      pins: ['alpha==1'],
      requirementFiles: ['a.txt', 'b.txt'],
      lockFile: 'dir/pylock.toml',
      indexUrl: 'http://127.0.0.1:9/simple/',
      repository: 'o/r',
      workflow: 'w.yml',
      require: true,
      json: true,
      writeIdentities: true,
      concurrency: 8,
    });
    assert.equal(parseVerifyArgs(['--help']), undefined);
  });

  it('refuses what it cannot honour', () => {
    for (const [argv, message] of [
      [[], /nothing to verify/],
      [['a==1', '--bogus'], /unknown flag --bogus/],
      [['a==1', '--json=yes'], /unknown flag --json=… for `verify`\. Did you mean --json\?/],
      [['a==1', '--requre'], /Did you mean --require\?/],
      [['a==1', '--write-identities'], /needs a pylock\.toml/],
      [['a==1', '--workflow', 'w.yml'], /needs --repository/],
      [['a==1', '--index-url', 'http://example.org/simple'], /https/],
      [['a==1', '--concurrency', '0'], /1 to 256/],
      [['pylock.toml', 'pylock.dev.toml'], /one lock file/],
      [['a==1', '--index-url'], /needs a value/],
      [['a==1', '--index-url', 'https://alice:s3cret@pkgs.example/simple/'], /^--index-url must not contain credentials/],
      [['a==1', '--index-url', 'https://alice:s3cret@pkgs example/simple/'], /^--index-url "https:\/\/\*\*\*@pkgs example\/simple\/" is not a URL$/],
    ] as Array<[string[], RegExp]>) {
      assert.throws(
        () => parseVerifyArgs(argv),
        (e: Error) => e instanceof VerifyUsageError && message.test(e.message),
        argv.join(' '),
      );
    }
  });
});

describe('identities', () => {
  it('matches recorded fields only, GitHub repositories without case', () => {
    const recorded = expectIdentity({ kind: 'GitHub', repository: 'Octo-Org/SampleProject', workflow: 'release.yml' });
    assert.ok(identityMatches(recorded, { ...GH, environment: 'pypi' }), 'an environment the lock did not record is not checked');
    assert.ok(!identityMatches(recorded, { ...GH, workflow: 'other.yml' }));
    assert.ok(!identityMatches(recorded, { ...GH, kind: 'GitLab', workflow_filepath: 'release.yml' }));
    assert.ok(!identityMatches(expectIdentity({ ...GH, environment: 'pypi' }), GH), 'a recorded environment must be there');
  });

  it("--repository takes owner/name or a forge URL; --workflow names GitLab's workflow_filepath too", () => {
    const lab = { kind: 'GitLab', repository: 'group/proj', workflow_filepath: '.gitlab-ci.yml' };
    assert.ok(identityMatches(expectRepository('group/proj', '.gitlab-ci.yml'), lab));
    assert.ok(!identityMatches(expectRepository('https://github.com/group/proj'), lab));
    assert.ok(identityMatches(expectRepository('https://gitlab.com/group/proj'), lab));
    assert.equal(describeIdentity(lab), 'GitLab group/proj (.gitlab-ci.yml)');
  });

  // The publisher object is served unsigned: the certificate binds a GitLab publisher's repository
  // and workflow_filepath only. A `workflow` beside them once stood for the pipeline file.
  it("a GitLab publisher's workflow is its workflow_filepath, whatever else the index serves", () => {
    const planted = { kind: 'GitLab', repository: 'group/proj', workflow_filepath: 'evil.yml', workflow: 'release.yml' };
    assert.ok(!identityMatches(expectRepository('group/proj', 'release.yml'), planted));
    assert.ok(!identityMatches(expectRepository('https://gitlab.com/group/proj', 'release.yml'), planted));
    assert.ok(!identityMatches(expectIdentity({ kind: 'GitLab', repository: 'group/proj', workflow: 'release.yml' }), planted));
    assert.ok(identityMatches(expectRepository('group/proj', 'evil.yml'), planted));
    assert.equal(describeIdentity(planted), 'GitLab group/proj (evil.yml)');
    assert.deepEqual(identityRecord(planted), { kind: 'GitLab', repository: 'group/proj', workflow_filepath: 'evil.yml' });
  });
});

describe('engine', () => {
  const files = [
    { filename: 'alpha-1.0-py3-none-any.whl', sha256: SHA_A, provenance: 'https://index/integrity/alpha/1.0/alpha-1.0-py3-none-any.whl/provenance' },
    { filename: 'alpha-1.0.tar.gz', sha256: SHA_B },
  ];
  const index: ReleaseIndex = {
    releaseFiles: async (_url, project) => (project === 'alpha' ? files : undefined),
    provenance: async (f) => (f.provenance ? { found: true, text: f.filename } : { found: false, reason: 'the index links no provenance for it' }),
  };
  const verifier = (publisher: Record<string, string>, bad = false): ProvenanceVerifier => ({
    verify: (_text, filename, sha256) => {
      if (bad) throw new VerificationFailure('VERIFY_SIGNATURE', 'tampered');
      assert.equal(sha256, SHA_A, `${filename} is checked against the lock's hash`);
      return { publishers: [publisher as never], predicates: ['p'] };
    },
  });
  const target = (over: object = {}) => ({
    project: 'alpha',
    version: '1.0',
    filename: files[0]!.filename,
    sha256: SHA_A,
    indexUrl: 'https://index/simple/',
    expected: [],
    origin: 'test',
    ...over,
  });

  it('gives each outcome its cause', async () => {
    const v = await verifyTargets(
      { index, verifier: verifier(GH) },
      {
        files: [
          target(),
          target({ expected: [expectRepository('someone/else')] }),
          target({ sha256: SHA_B }),
          target({ filename: 'alpha-1.0-cp312-none-any.whl' }),
          target({ project: 'gone' }),
        ],
        releases: [{ project: 'alpha', version: '1.0', indexUrl: 'x', sha256s: [SHA_B, 'c'.repeat(64)], expected: [], origin: 'r' }],
      },
    );
    assert.deepEqual(
      v.map((x) => x.outcome.status),
      ['verified', 'identity-differs', 'hash-differs', 'invalid', 'invalid', 'no-provenance', 'hash-differs'],
    );
    assert.equal(outcomeText(v[1]!.outcome), 'identity differs (expected someone/else, found GitHub octo-org/sampleproject (release.yml))');
    assert.equal(v[6]!.filename, 'alpha==1.0');
    assert.equal(failed(v.slice(0, 1), true), false);
    assert.equal(failed([v[0]!, v[5]!], false), false);
    assert.equal(failed([v[0]!, v[5]!], true), true, '--require');
  });

  it("a lock's hash that is no sha256 ties nothing to the index's: invalid, not verified", async () => {
    const [v] = await verifyTargets({ index, verifier: verifier(GH) }, { files: [target({ sha256: undefined, lockHashes: ['sha512'] })], releases: [] });
    assert.equal(outcomeText(v!.outcome), 'invalid (the lock records its sha512 only, and the index gives its sha256: the two cannot be compared)');
  });

  it('a verification failure is invalid, with the reason', async () => {
    const [v] = await verifyTargets({ index, verifier: verifier(GH, true) }, { files: [target()], releases: [] });
    assert.equal(outcomeText(v!.outcome), 'invalid (tampered)');
  });

  it('no row of the table starts with anything but an outcome, whatever the data holds', () => {
    const text = renderTable([{ project: 'x', version: '1', filename: 'x\n::error::owned', outcome: { status: 'invalid', reason: 'a\r\n::warning::b' } }]);
    assert.equal(text.split('\n').length, 1);
    assert.match(text, /^invalid /);
  });
});

describe('index client', () => {
  it('reads a PEP 503 HTML page (data-provenance), asks by normalized name, keeps one release in every spelling, follows the links', async () => {
    const { createServer } = await import('node:http');
    const { createHttpClient } = await import('../../src/http/client.ts');
    const { createReleaseIndex } = await import('../../src/verify/index-client.ts');
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.accept}`);
      if (req.url === '/simple/my-project/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<a href="../../files/my_project-1.0-py3-none-any.whl#sha256=${SHA_A}" data-provenance="/integrity/my-project/1.0/my_project-1.0-py3-none-any.whl/provenance">my_project-1.0-py3-none-any.whl</a>
<a href="../../files/my_project-1.0.tar.gz#sha256=${SHA_B}">my_project-1.0.tar.gz</a>
<a href="../../files/my_project-1.1.tar.gz#sha256=${SHA_B}">my_project-1.1.tar.gz</a>
<a href="../../files/my_project-1.0.0-py2-none-any.whl#sha256=${SHA_A}">my_project-1.0.0-py2-none-any.whl</a>
<a href="../../files/my_project-1.0.post1.tar.gz#sha256=${SHA_B}">my_project-1.0.post1.tar.gz</a>
<a href="../../files/my_project-not_a_version.tar.gz#sha256=${SHA_B}">my_project-not_a_version.tar.gz</a>`);
      } else if (req.url?.startsWith('/integrity/')) {
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.integrity.v1+json' }).end('{"version":1}');
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const http = createHttpClient({ userAgent: 'test' });
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const index = createReleaseIndex(http);
      const files = await index.releaseFiles(`${base}/simple/`, 'My.Project', '1.0.0');
      assert.deepEqual(
        files?.map((f) => [f.filename, f.sha256]),
        [
          ['my_project-1.0-py3-none-any.whl', SHA_A],
          ['my_project-1.0.tar.gz', SHA_B],
          // another spelling of the same version, listed after another release's file
          ['my_project-1.0.0-py2-none-any.whl', SHA_A],
        ],
      );
      await index.releaseFiles(`${base}/simple/`, 'my_project', '1.0');
      assert.equal(seen.filter((s) => s.startsWith('/simple/')).length, 1, 'one page per project');
      assert.match(seen[0]!, /application\/vnd\.pypi\.simple\.v1\+json/);
      assert.deepEqual(await index.provenance(files![0]!), { found: true, text: '{"version":1}' });
      assert.match(seen.at(-1)!, /^\/integrity\/my-project\/1\.0\/my_project-1\.0-py3-none-any\.whl\/provenance application\/vnd\.pypi\.integrity\.v1\+json$/);
      assert.deepEqual(await index.provenance(files![1]!), { found: false, reason: 'the index links no provenance for it' });
      assert.equal(await index.releaseFiles(`${base}/simple/`, 'unknown', '1.0'), undefined);
      // A link over plain http to another machine is not followed: the answer would be the network's to change.
      await assert.rejects(
        index.provenance({ ...files![0]!, provenance: 'http://169.254.169.254/latest/meta-data/' }),
        /links its provenance at http:\/\/169\.254\.169\.254\/latest\/meta-data\/, which is not https/,
      );
      assert.equal(seen.filter((s) => s.startsWith('/latest')).length, 0);
    } finally {
      await http.close();
      server.close();
    }
  });
});

describe('runVerify', () => {
  it('a package name from the lock cannot start a line of the log', async () => {
    const { runVerify } = await import('../../src/verify/command.ts');
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { scratchDir } = await import('../../test/helpers/scratch.ts');
    const dir = await scratchDir('verify-unit-');
    const lockFile = join(dir, 'pylock.toml');
    await writeFile(lockFile, 'lock-version = "1.0"\n[[packages]]\nname = "x\\n::error::injected"\ndirectory = { path = "." }\n');
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(...t.split('\n')), note: (t: string) => lines.push(...t.split('\n')) };
    const never = { send: async () => assert.fail('no request'), close: async () => {} };
    const result = await runVerify({ pins: [], requirementFiles: [], lockFile, require: false, json: false, writeIdentities: false }, {}, io, {
      http: never as never,
      verifier: { verify: () => assert.fail('nothing to verify') },
    });
    assert.equal(result.verdicts.length, 0);
    assert.ok(
      lines.every((l) => !l.trimStart().startsWith('::')),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => l.includes('not from an index, not verified: x ::error::injected')));
  });
});

describe('runVerify and the trust root', () => {
  it('a trust root that cannot be loaded fails the run, even while the index was being asked', async () => {
    const { runVerify } = await import('../../src/verify/command.ts');
    let asked = 0;
    const http = {
      send: async () => {
        asked++;
        const body = Buffer.from(JSON.stringify({ files: [{ filename: 'alpha-1.0-py3-none-any.whl', url: 'f', hashes: { sha256: SHA_A }, provenance: 'p' }] }));
        return {
          status: 200,
          statusText: 'OK',
          headers: {},
          body,
          truncated: false,
          attempts: 1,
          header: (n: string) => (n === 'content-type' ? 'application/vnd.pypi.simple.v1+json' : undefined),
          text: () => body.toString(),
        };
      },
      close: async () => {},
    };
    const req = { pins: ['alpha==1.0'], requirementFiles: [], require: false, json: false, writeIdentities: false, indexUrl: 'https://index.example/simple/' };
    await assert.rejects(
      runVerify(req, { PYPI_PUBLISH_TRUST_CONFIG: '/nonexistent/trust.json' }, { out: () => {}, note: () => {} }, { http: http as never }),
      /cannot read the Sigstore trust config/,
    );
    assert.ok(asked >= 1, 'the index was asked while the trust root loaded');
  });
});
