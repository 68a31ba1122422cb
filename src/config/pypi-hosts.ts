// What the incumbent treats as "PyPI" (its shell test is `=~ pypi\.org`), and the links it offers
// for creating a Trusted Publisher.
import { parseWorkflowRef } from '../pypi/workflow-ref.ts';

export const PYPI_DEFAULT_URL = 'https://upload.pypi.org/legacy/';

/** PyPI and TestPyPI take uploads on one host and show projects on another; other indexes: undefined. */
export function warehouseSite(uploadUrl: URL): string | undefined {
  if (uploadUrl.host === 'upload.pypi.org') return 'https://pypi.org';
  if (uploadUrl.host === 'test.pypi.org') return 'https://test.pypi.org';
  return undefined;
}

export function isPyPIHost(url: URL): boolean {
  return /pypi\.org/.test(url.href);
}

/** PyPI's own hosts (pypi.org and its subdomains: upload, test), as the host alone says, not the incumbent's test of the whole URL. */
export function isWarehouseHost(url: URL): boolean {
  return url.hostname === 'pypi.org' || url.hostname.endsWith('.pypi.org');
}

export function trustedPublisherLinks(url: URL, context: PublisherLinkContext): string[] {
  const index = /test\.pypi\.org/.test(url.href) ? 'https://test.pypi.org' : 'https://pypi.org';
  const form = context.gitlab ? gitLabForm(context.gitlab) : gitHubForm(context);
  return (context.projects ?? []).map((project) => `${index}/manage/project/${project}/settings/publishing/?${form}`);
}

/** Where the run's Trusted Publisher would be: GitHub's repository and workflow ref, or a GitLab job's project and pipeline file. */
export interface PublisherLinkContext {
  repository?: string;
  workflowRef?: string;
  gitlab?: { repository: string; workflow: string };
  projects?: string[];
}

/** warehouse's GitHub form, pre-filled by its field names. */
function gitHubForm(context: PublisherLinkContext): string {
  const [owner, repo] = (context.repository ?? '').split('/');
  const workflow = parseWorkflowRef(context.workflowRef ?? '').filename;
  return `provider=github&owner=${owner ?? ''}&repository=${repo ?? ''}&workflow_filename=${workflow}`;
}

/** warehouse's GitLab form: the namespace (subgroups included) apart from the project, and the pipeline file's path. */
function gitLabForm(gitlab: { repository: string; workflow: string }): string {
  const cut = gitlab.repository.lastIndexOf('/');
  const fields = { namespace: gitlab.repository.slice(0, Math.max(0, cut)), project: gitlab.repository.slice(cut + 1), workflow_filepath: gitlab.workflow };
  return `provider=gitlab&${new URLSearchParams(fields).toString()}`;
}

/** The incumbent's "Create a Trusted Publisher" warning, for uploads to PyPI that don't use it yet. */
export function trustedPublisherNudge(url: URL, context: PublisherLinkContext & { projects: string[] }): string | undefined {
  const links = trustedPublisherLinks(url, context);
  if (links.length === 0) return undefined;
  return `A new Trusted Publisher for the currently running publishing workflow can be created by accessing the following link(s) while logged-in as an owner of the package(s):\n${links.map((l) => `- ${l}`).join('\n')}`;
}
