// Unit tests: versions, filenames, platform tags, metadata parsing, upload fields, digests, find.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { digestFile, keepingReadBuffers } from '../../src/dists/digest.ts';
import {
  canonicalizeName,
  expectedSdistFilename,
  isValidPlatformTag,
  parseSdistFilename,
  parseVersion,
  parseWheelFilename,
  versionsEqual,
} from '../../src/dists/filename.ts';
import { findDistFiles } from '../../src/dists/find.ts';
import { inspectDist } from '../../src/dists/inspect.ts';
import { parseCoreMetadata, toRaw, uploadFields } from '../../src/dists/metadata.ts';
import { preflight } from '../../src/dists/preflight.ts';
import { NOT_CHECKED } from '../../src/dists/rules.ts';
import { rstProblems } from '../../src/dists/rst.ts';
import { buildSdist, buildWheel } from '../../test/fixtures/dists/build.ts';
import { SHOWN_DIGESTS_WITH_CHECKS_MAX } from '../../src/tunables.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'dists-unit-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('PEP 440 versions', () => {
  const cases: Array<[string, string]> = [
    ['1.0', '1.0'],
    ['v1.0', '1.0'],
    ['1.0.0RC1', '1.0.0rc1'],
    ['1.0-alpha.2', '1.0a2'],
    ['1.0c1', '1.0rc1'],
    ['1.0-1', '1.0.post1'],
    ['1.0.rev3', '1.0.post3'],
    ['1.0-dev', '1.0.dev0'],
    ['1!2.0', '1!2.0'],
    ['0!2.0', '2.0'],
    ['01.002', '1.2'],
    ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    [' 2.0 ', '2.0'],
    ['1.0.post', '1.0.post0'],
  ];
  for (const [input, normalized] of cases) it(`${JSON.stringify(input)} → ${normalized}`, () => assert.equal(parseVersion(input).normalized, normalized));
  for (const bad of ['', '1.0-beta-x', 'one', '1..0', '1.0+', '1.0+a..b']) it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseVersion(bad)));
  it('compares like packaging', () => {
    assert.ok(versionsEqual(parseVersion('1.0'), parseVersion('1.0.0')));
    assert.ok(!versionsEqual(parseVersion('1.0'), parseVersion('1.0.post0')));
    assert.ok(versionsEqual(parseVersion('1.0+ABC.1'), parseVersion('1.0+abc-1')));
  });
});

describe('filenames', () => {
  it('canonicalizes names (PEP 503)', () => {
    assert.equal(canonicalizeName('Foo.Bar__baz-Qux'), 'foo-bar-baz-qux');
  });
  it('parses wheel names', () => {
    const w = parseWheelFilename('orjson-3.10.7-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    assert.equal(w.name, 'orjson');
    assert.equal(w.version.normalized, '3.10.7');
    assert.equal(w.pythonTag, 'cp312');
    assert.deepEqual(
      w.tags.map((t) => t.platform),
      ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
    );
    const b = parseWheelFilename('foo-1.0-1abc-py2.py3-none-any.whl');
    assert.deepEqual(b.build, [1n, 'abc']);
    assert.equal(b.tags.length, 2);
  });
  it('parses sdist names and builds the PEP 625 name', () => {
    const s = parseSdistFilename('Foo.Bar-1.0.0RC1.tar.gz');
    assert.equal(s.name, 'foo-bar');
    assert.equal(expectedSdistFilename('Foo.Bar', s.version), 'foo_bar-1.0.0rc1.tar.gz');
    assert.equal(parseSdistFilename('some_thing-1.0.post9.zip').extension, '.zip');
  });
  it('knows warehouse platform tags', () => {
    for (const ok of [
      'any',
      'win_amd64',
      'manylinux_2_28_aarch64',
      'musllinux_1_2_x86_64',
      'macosx_10_9_universal2',
      'macosx_14_0_arm64',
      'macosx_26_0_arm64',
      'ios_13_0_arm64_iphoneos',
      'android_21_arm64_v8a',
      'pyemscripten_2024_0_wasm32',
      'manylinux2014_ppc64',
      'manylinux_2_17_ppc64',
    ]) {
      assert.ok(isValidPlatformTag(ok), ok);
    }
    for (const bad of ['linux_x86_64', 'macosx_11_1_arm64', 'macosx_16_0_arm64', 'musllinux_1_1_ppc64', 'manylinux_2_17_sparc', 'win_foo', 'android_21_mips']) {
      assert.ok(!isValidPlatformTag(bad), bad);
    }
  });
  it("reads a tag's numbers as Python's \\d does: any decimal digit (the stand-in's warehouse patterns judge)", () => {
    const tags = [
      'manylinux_\u0662_\u0661\u0667_x86_64',
      'musllinux_\uff11_\uff12_aarch64',
      'android_\u0968\u0967_arm64_v8a',
      'ios_\u0661\u0663_0_arm64_iphoneos',
      'pyemscripten_\u0662\u0660\u0662\u0664_0_wasm32',
      'macosx_\u0661\u0660_9_x86_64',
      'macosx_\u0661\u0664_0_arm64',
      'manylinux_\u00b2_17_x86_64',
      'manylinux_\u2167_17_x86_64',
      // U+11DE0 and U+11DE2 are digits new in Unicode 17, which PyPI's Python (Unicode 16) does not know.
      'macosx_10_\u{11de0}_x86_64',
      'manylinux_\u{11de2}_17_x86_64',
    ];
    const script =
      'import json,sys\nsys.path.insert(0, "test/world/pypi")\nfrom standin.upload import valid_platform_tag\nprint(json.dumps([valid_platform_tag(t) for t in json.loads(sys.argv[1])]))';
    const theirs = JSON.parse(
      execFileSync(join(import.meta.dirname, '../../.venv/bin/python'), ['-c', script, JSON.stringify(tags)], {
        encoding: 'utf8',
        cwd: join(import.meta.dirname, '../..'),
      }),
    );
    assert.deepEqual(tags.map(isValidPlatformTag), theirs);
    assert.deepEqual(theirs, [true, true, true, true, true, false, false, false, false, false, false], 'decimal digits of Unicode 16, and no other numerals');
  });
});

describe('core metadata parsing', () => {
  const text = [
    'Metadata-Version: 2.1',
    'Name: demo',
    'Version: 1.0',
    'Summary: A demo',
    'Classifier: Programming Language :: Python',
    'Classifier: License :: OSI Approved :: MIT License',
    'Keywords: one, two ,three',
    'Project-URL: Homepage, https://example.com',
    'Project-URL: Source Code, https://example.com/src',
    'Requires-Dist: dep>=1; extra == "x"',
    'Provides-Extra: x',
    'License: Line one',
    '        line two',
    '\tline three',
    'X-Custom: hi',
    'Description-Content-Type: text/markdown',
    '',
    '# Title',
    '',
    'Body line.',
    '',
  ].join('\n');
  const meta = parseCoreMetadata(Buffer.from(text));
  it('keeps multi-use fields in order', () => {
    assert.deepEqual(meta.getAll('classifier'), ['Programming Language :: Python', 'License :: OSI Approved :: MIT License']);
    assert.deepEqual(meta.getAll('Project-URL').length, 2);
  });
  it('keeps continuation lines as packaging does', () => {
    assert.equal(meta.get('License'), 'Line one\n        line two\n\tline three');
  });
  it('takes the body as description', () => {
    assert.equal(meta.body, '# Title\n\nBody line.\n');
    const { raw, unparsed } = toRaw(meta);
    assert.equal(raw.description, '# Title\n\nBody line.\n');
    assert.deepEqual(raw.keywords, ['one', 'two', 'three']);
    assert.deepEqual(raw.project_urls, { Homepage: 'https://example.com', 'Source Code': 'https://example.com/src' });
    assert.deepEqual([...unparsed.keys()], ['x-custom']);
  });
  it('handles CRLF and a missing blank line before the body', () => {
    const m = parseCoreMetadata('Metadata-Version: 2.1\r\nName: a\r\nVersion: 1\r\nnot a header line\r\nmore\r\n');
    assert.equal(m.get('Name'), 'a');
    assert.equal(m.body, 'not a header line\r\nmore\r\n');
  });
  it('maps fields to twine form names', () => {
    const fields = uploadFields({
      path: '/x',
      filename: 'demo-1.0-py3-none-any.whl',
      kind: 'wheel',
      size: 1,
      project: 'demo',
      version: '1.0',
      pyversion: 'py3',
      metadata: parseCoreMetadata(
        'Metadata-Version: 2.3\nName: My_Demo\nVersion: 1.0\nPlatform: linux\nLicense-File: LICENSE\nKeywords: a,b\nProject-URL: Docs, https://d\nDynamic: Classifier\nRequires-Python: >=3.9\n',
      ),
      digests: { sha256: 'a'.repeat(64), md5: 'b'.repeat(32), blake2b256: 'c'.repeat(64) },
    });
    const names = fields.map(([k]) => k);
    assert.deepEqual(
      fields.find(([k]) => k === 'name'),
      ['name', 'My-Demo'],
    );
    assert.ok(names.includes('platform') && names.includes('dynamic') && names.includes('project_urls') && names.includes('requires_python'));
    assert.ok(!names.includes('license_file'), 'twine drops License-File below 2.4');
    assert.deepEqual(
      fields.find(([k]) => k === 'keywords'),
      ['keywords', 'a, b'],
    );
    assert.deepEqual(
      fields.find(([k]) => k === 'project_urls'),
      ['project_urls', 'Docs, https://d'],
    );
    assert.ok(!names.includes('md5_digest'));
  });
  it('rst checks flag short underlines only', () => {
    assert.deepEqual(rstProblems('Title\n=====\n\nok\n'), []);
    assert.equal(rstProblems('Long title\n====\n').length, 1);
    assert.deepEqual(rstProblems('para line one\npara line two\n----\n'), []);
    // Only the rendering of reStructuredText and the index's state are left to PyPI (issue #14).
    assert.deepEqual(
      NOT_CHECKED.map((n) => n.split(':')[0]),
      ['reStructuredText', 'PyPI-side state'],
    );
  });
});

describe('digests', () => {
  it('match python hashlib', async () => {
    const p = join(root, 'blob.bin');
    await writeFile(p, Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) & 0xff)));
    const d = await digestFile(p, ['sha256', 'md5', 'blake2b256']);
    const py = execFileSync(
      'python3',
      [
        '-c',
        `import hashlib,sys,json;b=open(sys.argv[1],'rb').read();print(json.dumps([hashlib.sha256(b).hexdigest(),hashlib.md5(b).hexdigest(),hashlib.blake2b(b,digest_size=32).hexdigest()]))`,
        p,
      ],
      { encoding: 'utf8' },
    );
    assert.deepEqual([d.sha256, d.md5, d.blake2b256], JSON.parse(py));
    // By default only SHA-256 (the upload needs nothing else), from the same kind of read.
    assert.deepEqual(await digestFile(p), { sha256: JSON.parse(py)[0] });
  });
  it('known value for empty input', async () => {
    const p = join(root, 'empty');
    await writeFile(p, '');
    const d = await digestFile(p, ['sha256', 'blake2b256']);
    assert.equal(d.blake2b256, '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
    assert.equal(d.sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it("a small wheel's checks give all three digests, equal to a separate read; a larger one's only SHA-256", async () => {
    const small = await buildWheel(join(root, 'dg-small'), { name: 'tiny', version: '1.0' });
    const r = await inspectDist(small);
    assert.deepEqual(r.dist?.digests, await digestFile(small, ['sha256', 'md5', 'blake2b256']));
    // Concurrent small wheels share one BLAKE2b hasher: each still gets its own digest.
    const others = await Promise.all([1, 2, 3].map((i) => buildWheel(join(root, `dg-small-${i}`), { name: `tiny${i}`, version: '1.0' })));
    const read = await Promise.all(others.map((p) => inspectDist(p)));
    for (const [i, p] of others.entries()) assert.deepEqual(read[i]?.dist?.digests, await digestFile(p, ['sha256', 'md5', 'blake2b256']));
    const large = await buildWheel(join(root, 'dg-large'), {
      name: 'roomy',
      version: '1.0',
      files: { 'roomy/blob.bin': randomBytes(SHOWN_DIGESTS_WITH_CHECKS_MAX) },
    });
    assert.deepEqual((await inspectDist(large)).dist?.digests, await digestFile(large), 'print-hash reads it again, in the background');
  });
  it('files hashed one after another while read buffers are kept share them; otherwise each file takes its own', async () => {
    const files = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const p = join(root, `turn-${i}.bin`);
        await writeFile(p, randomBytes((1 << 20) + i));
        return p;
      }),
    );
    const allocate = Buffer.allocUnsafeSlow;
    let readBuffersMade = 0;
    Buffer.allocUnsafeSlow = (size: number) => {
      if (size === 1 << 20) readBuffersMade += 1;
      return allocate(size);
    };
    try {
      const inTurn = async () => {
        const digests = [];
        for (const p of files) digests.push(await digestFile(p, ['sha256']));
        return digests;
      };
      const kept = await keepingReadBuffers(inTurn);
      assert.ok(readBuffersMade <= 3, `${readBuffersMade} buffers of 1 MiB made for 10 files read in turn`);
      readBuffersMade = 0;
      assert.deepEqual(await inTurn(), kept, 'the same digests either way');
      assert.ok(readBuffersMade >= 10, `${readBuffersMade} buffers made without keeping them: the count above can tell`);
    } finally {
      Buffer.allocUnsafeSlow = allocate;
    }
  });
  it('tar.gz digests from the single pass equal a separate read', async () => {
    const p = await buildSdist(join(root, 'sd'), { name: 'demo', version: '1.0', files: { 'big.txt': 'x'.repeat(5_000_000) } });
    const r = await inspectDist(p);
    assert.deepEqual(r.dist?.digests, await digestFile(p));
  });
});

describe('good fixtures pass', () => {
  it('wheel + sdist + markdown + License-Expression + License-File', async () => {
    const dir = join(root, 'good');
    const w = await buildWheel(dir, {
      name: 'Good.Project',
      version: '2.0.0',
      tag: 'cp312-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64',
      metadata: {
        'License-Expression': 'MIT',
        'License-File': 'LICENSE',
        'Description-Content-Type': 'text/markdown',
        'Requires-Dist': ['dep>=1.0; python_version >= "3.9"', 'other[x]'],
        'Project-URL': 'Source, https://github.com/o/r',
      },
      files: { 'good_project-2.0.0.dist-info/licenses/LICENSE': 'MIT' },
      body: '# Good\n\nShort\n==\n',
    });
    const s = await buildSdist(dir, {
      name: 'Good.Project',
      version: '2.0.0',
      metadata: { 'License-Expression': 'MIT', 'License-File': 'LICENSE' },
      files: { LICENSE: 'MIT' },
    });
    const dists = [];
    for (const p of [w, s]) {
      const r = await inspectDist(p);
      assert.deepEqual(r.problems, []);
      assert.ok(r.dist);
      dists.push(r.dist);
    }
    assert.deepEqual(preflight(dists, { verifyMetadata: true }), []);
    assert.equal(dists[0]?.pyversion, 'cp312');
    assert.equal(dists[1]?.pyversion, 'source');
  });
});

describe('findDistFiles', () => {
  it('lists dists in directories and globs, de-duplicated, wheels first, sidecars ignored', async () => {
    const dir = join(root, 'find1');
    await buildWheel(dir, { name: 'a', version: '1.0' });
    await buildSdist(dir, { name: 'a', version: '1.0' });
    for (const side of ['a-1.0-py3-none-any.whl.publish.attestation', 'a-1.0.tar.gz.asc', 'a-1.0.tar.gz.sigstore.json', 'README.md'])
      await writeFile(join(dir, side), 'x');
    const r = await findDistFiles(['find1', 'find1/', 'find1/*.whl\n find1 '], root);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.files, [join(dir, 'a-1.0-py3-none-any.whl'), join(dir, 'a-1.0.tar.gz')]);
  });
  it('explains download-artifact nesting', async () => {
    const dir = join(root, 'find2');
    await mkdir(join(dir, 'a-1.0-py3-none-any.whl'), { recursive: true });
    const r = await findDistFiles(['find2'], root);
    const p = r.problems.find((x) => x.code === 'dist-is-directory');
    assert.ok(p);
    assert.equal(p.file, 'find2/a-1.0-py3-none-any.whl');
    assert.match(p.message, /look like distributions but are not actually files/);
    assert.match(p.fix, /merge-multiple/);
  });
  it("a glob of directories takes the dists directly inside them, as the incumbent's `packages-dir/*` does", async () => {
    const dir = join(root, 'nested');
    const wheel = await buildWheel(join(dir, 'art-a'), { name: 'a', version: '1.0' });
    const sdist = await buildSdist(join(dir, 'art-b'), { name: 'a', version: '1.0' });
    await mkdir(join(dir, 'art-c', 'deeper'), { recursive: true });
    for (const pattern of ['nested/*', 'nested/*/', 'nested/art-*']) {
      const r = await findDistFiles([pattern], root);
      assert.deepEqual(r.problems, [], pattern);
      assert.deepEqual(r.files, [wheel, sdist], pattern);
    }
    // download-artifact names an artifact's directory after its wheel; a link to a directory in the workspace is followed.
    const named = await buildWheel(join(dir, 'b-2.0-py3-none-any.whl'), { name: 'b', version: '2.0' });
    const linked = await buildWheel(join(root, 'elsewhere'), { name: 'c', version: '3.0' });
    await symlink(join(root, 'elsewhere'), join(dir, 'linked'));
    const more = await findDistFiles(['nested/*'], root);
    assert.deepEqual(more.problems, []);
    assert.deepEqual(more.files, [wheel, named, join(dir, 'linked', basename(linked)), sdist]);
    const none = await findDistFiles(['nested/art-c*'], root);
    assert.deepEqual(
      none.problems.map((p) => p.code),
      ['packages-dir-no-match'],
    );
  });
  it('refuses a named pipe named like a dist, directly or through a link, without opening it', async () => {
    const dir = join(root, 'find-fifo');
    await mkdir(dir, { recursive: true });
    await buildWheel(dir, { name: 'a', version: '1.0' });
    execFileSync('mkfifo', [join(dir, 'a-1.0.tar.gz')]);
    await symlink(join(dir, 'a-1.0.tar.gz'), join(dir, 'b-1.0.tar.gz'));
    const r = await findDistFiles(['find-fifo'], root);
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.file]),
      [
        ['dist-not-regular-file', 'find-fifo/a-1.0.tar.gz'],
        ['dist-not-regular-file', 'find-fifo/b-1.0.tar.gz'],
      ],
    );
    assert.match(r.problems[0]!.message, /is not a regular file \(a named pipe, socket or device\)/);
    assert.deepEqual(r.files, [join(dir, 'a-1.0-py3-none-any.whl')]);
  });
  it('reports missing and empty directories and unmatched globs', async () => {
    await mkdir(join(root, 'emptydir', 'artifact-1'), { recursive: true });
    const r = await findDistFiles(['nope', 'emptydir', 'nope/*.whl'], root);
    assert.deepEqual(
      r.problems.map((p) => [p.code, p.file]),
      [
        ['packages-dir-missing', 'nope'],
        ['packages-dir-empty', 'emptydir'],
        ['packages-dir-no-match', 'nope/*.whl'],
      ],
    );
    assert.match(r.problems[1]?.fix ?? '', /merge-multiple/);
  });
  it('refuses symlinks leaving the workspace and control characters', async () => {
    const ws = join(root, 'ws');
    const outside = join(root, 'outside');
    await mkdir(join(ws, 'dist'), { recursive: true });
    const real = await buildWheel(outside, { name: 'a', version: '1.0' });
    await symlink(real, join(ws, 'dist', 'a-1.0-py3-none-any.whl'));
    await writeFile(join(ws, 'dist', 'b\x07-1.0.tar.gz'), 'x');
    const r = await findDistFiles(['dist'], ws);
    assert.deepEqual(r.problems.map((p) => p.code).sort(), ['dist-name-control-chars', 'dist-symlink-outside']);
    assert.deepEqual(r.files, []);
  });
  it('finds exactly the 5,000 dists among 10,000 files, in name order, with no problems', async () => {
    const dir = join(root, 'many');
    await mkdir(dir);
    const names = Array.from({ length: 10000 }, (_, i) => (i % 2 ? `p-${i}.0.tar.gz` : `note-${i}.txt`));
    await Promise.all(names.map((name) => writeFile(join(dir, name), '')));
    const r = await findDistFiles(['many'], root);
    assert.deepEqual(r.problems, []);
    const dists = names.filter((name) => name.endsWith('.tar.gz')).sort();
    assert.deepEqual(
      r.files,
      dists.map((name) => join(dir, name)),
    );
  });
});

describe('a dist that cannot be read', () => {
  // Root reads any file, so the unreadable file here is a directory with a dist's name: the read fails
  // (EISDIR) after stat succeeded, as EACCES or an I/O error would.
  for (const name of ['unreadable-1.0-py3-none-any.whl', 'unreadable-1.0.tar.gz']) {
    it(`${name}: a dist-unreadable problem naming the file and the fix, not a crash`, async () => {
      const path = join(root, 'unreadable', name);
      await mkdir(path, { recursive: true });
      const r = await inspectDist(path);
      assert.equal(r.dist, undefined);
      assert.deepEqual(
        r.problems.map((p) => p.code),
        ['dist-unreadable'],
      );
      assert.match(r.problems[0]!.message, new RegExp(`^Cannot read .*${name.replace(/\./g, '\\.')}: EISDIR`));
      assert.match(r.problems[0]!.fix ?? '', /readable by the runner user/);
    });
  }
});
