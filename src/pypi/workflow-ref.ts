// A GitHub workflow ref, as the `job_workflow_ref` and `workflow_ref` claims and GITHUB_WORKFLOW_REF
// carry it: OWNER/REPO/.github/workflows/FILE.yml@REF. The file is found as warehouse finds it
// (`_extract_workflow_filename`): the first `NAME.yml` or `NAME.yaml` followed by an "@", since a
// workflow file's name and a ref may each hold "@". A ref without one is cut at its first "@".

export interface WorkflowRef {
  /** OWNER/REPO */
  repository: string;
  /** the workflow file's path in the repository, e.g. `.github/workflows/release.yml` */
  file: string;
  /** its name, e.g. `release.yml`: what a PyPI trusted publisher names */
  filename: string;
  /** e.g. `refs/tags/v1`; empty when the ref names none */
  ref: string;
}

const WORKFLOW_FILENAME = /[^/]+\.(yml|yaml)(?=@)/;

export function parseWorkflowRef(workflowRef: string): WorkflowRef {
  const match = WORKFLOW_FILENAME.exec(workflowRef);
  const at = match ? match.index + match[0].length : workflowRef.indexOf('@');
  const path = at < 0 ? workflowRef : workflowRef.slice(0, at);
  const segments = path.split('/');
  return {
    repository: segments.slice(0, 2).join('/'),
    file: segments.slice(2).join('/'),
    filename: match ? match[0] : (segments.at(-1) ?? ''),
    ref: at < 0 ? '' : workflowRef.slice(at + 1),
  };
}
