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

export function trustedPublisherLinks(url: URL, context: { repository?: string; workflowRef?: string; projects?: string[] }): string[] {
  const index = /test\.pypi\.org/.test(url.href) ? 'https://test.pypi.org' : 'https://pypi.org';
  const [owner, repo] = (context.repository ?? '').split('/');
  const workflow = parseWorkflowRef(context.workflowRef ?? '').filename;
  return (context.projects ?? []).map(
    (project) =>
      `${index}/manage/project/${project}/settings/publishing/?provider=github&owner=${owner ?? ''}&repository=${repo ?? ''}&workflow_filename=${workflow}`,
  );
}

/** The incumbent's "Create a Trusted Publisher" warning, for uploads to PyPI that don't use it yet. */
export function trustedPublisherNudge(url: URL, context: { repository?: string; workflowRef?: string; projects: string[] }): string | undefined {
  const links = trustedPublisherLinks(url, context);
  if (links.length === 0) return undefined;
  return `A new Trusted Publisher for the currently running publishing workflow can be created by accessing the following link(s) while logged-in as an owner of the package(s):\n${links.map((l) => `- ${l}`).join('\n')}`;
}
