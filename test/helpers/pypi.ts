// Small client for the PyPI stand-in's control API (test/world/pypi/README.md).
import { call, type World } from './world.ts';

export interface PublisherSpec {
  project: string;
  repository?: string;
  repository_owner_id?: string;
  workflow_filename?: string;
  environment?: string;
  pending?: boolean;
}

export function pypiControl(world: World) {
  const base = world.env['WORLD_PYPI_URL'];
  if (!base) throw new Error('the world runs no PyPI stand-in');
  return {
    base,
    uploadUrl: `${base}/legacy/`,
    /** A project with a Trusted Publisher for the world's default scenario (octo-org/sampleproject, release.yml). */
    async trust(spec: PublisherSpec): Promise<void> {
      if (!spec.pending) await call(`${base}/_world/projects`, 'POST', { name: spec.project });
      await call(`${base}/_world/publishers`, 'POST', {
        repository: 'octo-org/sampleproject',
        repository_owner_id: '1001',
        workflow_filename: 'release.yml',
        ...spec,
      });
    },
    /** A project whose GitLab trusted publisher is the world's default job (octo-group/sampleproject's .gitlab-ci.yml). */
    async trustGitLab(project: string, publisher: Record<string, string> = {}): Promise<void> {
      await call(`${base}/_world/projects`, 'POST', { name: project });
      await call(`${base}/_world/publishers`, 'POST', {
        kind: 'gitlab',
        project,
        repository: 'octo-group/sampleproject',
        workflow_filepath: '.gitlab-ci.yml',
        ...publisher,
      });
    },
    project: (name: string, uploadLimit?: number) =>
      call(`${base}/_world/projects`, 'POST', uploadLimit === undefined ? { name } : { name, upload_limit: uploadLimit }),
    user: (username: string, password: string, projects: string[]) => call(`${base}/_world/users`, 'POST', { username, password, projects }),
    /**
     * A PyPI API token from the Trusted Publishing exchange done by hand (an ID token for the default
     * scenario, then mint-token), for tools that cannot do the exchange against a loopback index.
     */
    async mintToken(): Promise<string> {
      const token = await world.idToken('pypi');
      const res = await fetch(`${base}/_/oidc/mint-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      // The refusal names the failed check; only a success carries a token, and it is not printed.
      if (!res.ok) throw new Error(`POST ${base}/_/oidc/mint-token → ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    state: () => call(`${base}/_world/state`, 'GET'),
    reset: () => call(`${base}/_world/reset`, 'POST'),
    /** Files of a project as the stand-in holds them. */
    async files(project: string): Promise<Array<{ filename: string; sha256: string; has_provenance: boolean; via_trusted_publishing: boolean }>> {
      const state = await call(`${base}/_world/state`, 'GET');
      const prefix = project.replace(/[-_.]+/g, '_').toLowerCase();
      return state.files.filter((f: { filename: string }) => f.filename.toLowerCase().startsWith(`${prefix}-`));
    },
    fault: (fault: Record<string, unknown>) => call(`${base}/_world/faults`, 'POST', fault),
    /** Classifiers of a trove-classifiers release newer than the stand-in's: accepted and listed from now on. */
    newerClassifiers: (add: string[]) => call(`${base}/_world/classifiers`, 'POST', { add }),
    clearFaults: () => call(`${base}/_world/faults`, 'DELETE'),
    provenance: (project: string, version: string, filename: string) => fetch(`${base}/integrity/${project}/${version}/${filename}/provenance`),
  };
}
