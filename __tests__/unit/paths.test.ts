// Path handling the engine does itself, checked with Windows paths as well (path.win32), since the
// action runs on Windows runners and this machine cannot: the report's file names, the sidecar names
// next to each dist, the https-or-loopback rule.
import assert from 'node:assert/strict';
import { posix, win32 } from 'node:path';
import { describe, it } from 'node:test';
import { isHttpsOrLoopback } from '../../src/config/loopback.ts';

import { RunReport } from '../../src/engine/report.ts';
import { sidecarPaths } from '../../src/engine/sidecars.ts';

const WINDOWS = ['C:\\a\\dist\\pkg-1.0-py3-none-any.whl', 'D:\\work\\x y\\pkg-1.0.tar.gz', '\\\\server\\share\\dist\\pkg-1.0-cp312-cp312-win_amd64.whl'];
const POSIX = ['/home/runner/work/dist/pkg-1.0-py3-none-any.whl', 'dist/pkg-1.0.tar.gz'];

describe('paths the engine handles', () => {
  it('a report row is named after the file, on Windows and POSIX alike', () => {
    const report = new RunReport();
    report.found([...WINDOWS, ...POSIX], []);
    const names = report.result().files.map((f) => f.filename);
    assert.deepEqual(names, [...WINDOWS.map((p) => win32.basename(p)), ...POSIX.map((p) => posix.basename(p))]);
  });

  it('a path refused while finding the dists gets its row named after its file', () => {
    const report = new RunReport();
    report.heldBack([
      { severity: 'error', code: 'dist-link-outside', file: 'C:\\ws\\dist\\evil-1.0.tar.gz', message: 'a link outside the workspace', fix: '' },
    ]);
    assert.deepEqual(
      report.result().files.map((f) => [f.filename, f.path]),
      [['evil-1.0.tar.gz', 'C:\\ws\\dist\\evil-1.0.tar.gz']],
    );
  });

  it('the sidecars sit next to the dist, whatever the separator', () => {
    for (const p of [...WINDOWS, ...POSIX]) {
      const { bundlePath, attestationPath } = sidecarPaths(p);
      const path = p.includes('\\') ? win32 : posix;
      assert.equal(path.dirname(bundlePath), path.dirname(p));
      assert.equal(path.basename(bundlePath), `${path.basename(p)}.sigstore.json`);
      assert.equal(path.basename(attestationPath), `${path.basename(p)}.publish.attestation`);
    }
  });

  it('credentials go over https, or plain http to this machine only', () => {
    for (const ok of ['https://upload.pypi.org/legacy/', 'http://127.0.0.1:8080/legacy/', 'http://localhost/', 'http://[::1]:1/'])
      assert.ok(isHttpsOrLoopback(ok), ok);
    for (const no of ['http://pypi.example/legacy/', 'ftp://127.0.0.1/', 'not a url', 'http://127.example/', 'file:///C:/x'])
      assert.ok(!isHttpsOrLoopback(no), no);
  });
});
