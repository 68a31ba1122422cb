// A workflow ref is read as warehouse reads it (`_extract_workflow_filename`): the file is the first
// NAME.yml or NAME.yaml followed by "@", so a file name and a ref may each hold "@", and every place
// that names the workflow (the publisher PyPI checks, the summary, the trusted-publisher link, the
// build predicate) agrees with the trusted publisher PyPI finds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseWorkflowRef } from '../../src/pypi/workflow-ref.ts';
import { publisherIdentity } from '../../src/engine/attest.ts';
import { signingReport } from '../../src/report/signing.ts';
import { trustedPublisherLinks } from '../../src/config/pypi-hosts.ts';
import { runPublisher } from '../../src/provenance/build-attestations.ts';

const REFS = [
  'octo/repo/.github/workflows/release.yml@refs/tags/v1',
  'octo/repo/.github/workflows/a@b.yml@refs/heads/main',
  'octo/repo/.github/workflows/release.yaml@refs/tags/pkg@1.0.0',
  'octo/repo/.github/workflows/release.yml@refs/heads/x.yml@y',
  'octo/repo/.github/workflows/release.yml@0123456789abcdef0123456789abcdef01234567',
];

test("the workflow file is warehouse's: the first NAME.yml before an @", () => {
  assert.deepEqual(parseWorkflowRef(REFS[1]!), { repository: 'octo/repo', file: '.github/workflows/a@b.yml', filename: 'a@b.yml', ref: 'refs/heads/main' });
  assert.deepEqual(parseWorkflowRef(REFS[2]!), {
    repository: 'octo/repo',
    file: '.github/workflows/release.yaml',
    filename: 'release.yaml',
    ref: 'refs/tags/pkg@1.0.0',
  });
  assert.equal(parseWorkflowRef(REFS[3]!).filename, 'release.yml', 'a ref that looks like a file does not move the file');
  assert.deepEqual(parseWorkflowRef('octo/repo/.github/workflows/odd@refs/heads/main'), {
    repository: 'octo/repo',
    file: '.github/workflows/odd',
    filename: 'odd',
    ref: 'refs/heads/main',
  });
  assert.equal(parseWorkflowRef('').filename, '');
});

test("every ref gives the file name warehouse's own pattern extracts, in every place the action names it", () => {
  const python = join(import.meta.dirname, '../../.venv/bin/python');
  // warehouse/oidc/models/github.py's _WORKFLOW_FILENAME_RE, run by Python's re.
  const script = 'import json,re,sys\nr=re.compile(r"([^/]+\\.(yml|yaml))(?=@)")\nprint(json.dumps([r.search(x).group(0) for x in json.loads(sys.argv[1])]))';
  const theirs = JSON.parse(execFileSync(python, ['-c', script, JSON.stringify(REFS)], { encoding: 'utf8' })) as string[];
  for (const [i, ref] of REFS.entries()) {
    const want = theirs[i]!;
    assert.equal(parseWorkflowRef(ref).filename, want);
    assert.equal(publisherIdentity({ repository: 'octo/repo', job_workflow_ref: ref }).workflow, want);
    assert.equal(runPublisher({ repository: 'octo/repo', workflowRef: ref })?.workflow, want);
    assert.match(
      trustedPublisherLinks(new URL('https://upload.pypi.org/legacy/'), { repository: 'octo/repo', workflowRef: ref, projects: ['p'] })[0]!,
      new RegExp(`workflow_filename=${want.replace('.', '\\.')}$`),
    );
    assert.equal(signingReport({ repository: 'octo/repo', job_workflow_ref: ref })?.workflow, `.github/workflows/${want}`);
  }
});

// Found by a review: a GitLab job with an API token was sent to GitHub's form, with empty fields.
test("a GitLab job's Trusted Publisher link pre-fills warehouse's GitLab form", () => {
  const [link] = trustedPublisherLinks(new URL('https://upload.pypi.org/legacy/'), {
    gitlab: { repository: 'group/sub/proj', workflow: 'ci/release.yml' },
    projects: ['p'],
  });
  assert.equal(
    link,
    'https://pypi.org/manage/project/p/settings/publishing/?provider=gitlab&namespace=group%2Fsub&project=proj&workflow_filepath=ci%2Frelease.yml',
  );
});
