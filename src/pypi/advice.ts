// What to do about a file the index did not take, chosen from the index's answer. "Re-run the job"
// is advice only for what a re-run can fix (the index or the network failing for a while); for an
// answer that will be the same next time, the specific fix is named instead.
import type { AuthMode } from '../config/types.ts';
import { SIZE_LIMIT_URL } from '../dists/preflight.ts';

/** The CI the job runs in: it names the publisher's fields. */
export type CiKind = 'github' | 'gitlab';

export type AdviceKind = 'transient' | 'file-too-large' | 'project-too-large' | 'file-exists' | 'credentials' | 'other';

export interface Advice {
  kind: AdviceKind;
  /** One or two sentences, Markdown allowed (links, `code`). */
  text: string;
}

const PROJECT_LIMIT_URL = 'https://docs.pypi.org/project-management/storage-limits#requesting-a-project-size-limit-increase';

/** Statuses where the same request may well succeed later (warehouse's and proxies' overload answers). */
const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
/** A failure with no answer at all: the connection, a timeout. */
const NETWORK = /timed? ?out|ECONN|ENOTFOUND|EAI_AGAIN|socket|network|fetch failed|terminated|closed before|reset/i;

function statusOf(reason: string): number | undefined {
  const m = /^(\d{3})\b/.exec(reason);
  return m ? Number(m[1]) : undefined;
}

/**
 * The advice for one failed upload, from the reason the report holds (the index's words, status first).
 * `existsOnIndex`: the upload stage knew the refusal for a file name the index has (`answersExists`,
 * or its listing): Nexus, Artifactory and GitLab say so in words of their own, Artifactory with a 403.
 */
export function adviceForUpload(reason: string, mode: AuthMode, existsOnIndex = false, ci: CiKind = 'github'): Advice {
  const status = statusOf(reason);
  if (status === 400 && /File too large/i.test(reason)) {
    return {
      kind: 'file-too-large',
      text: `The file is larger than the project's upload limit. Make the dist smaller, or [request a file size limit increase](${SIZE_LIMIT_URL}) for the project; re-running will not help.`,
    };
  }
  if (status === 400 && /Project size too large/i.test(reason)) {
    return {
      kind: 'project-too-large',
      text: `The project has reached its total size limit. Delete old releases or files on the index, or [request a project size limit increase](${PROJECT_LIMIT_URL}).`,
    };
  }
  if (existsOnIndex || ((status === 400 || status === 409) && /already exists?/i.test(reason))) {
    return {
      kind: 'file-exists',
      text: "The index already has a different file of this name, and an index never lets a file name be reused. Build a new version (bump it and rebuild), or set `skip-existing: true` to leave the index's file in place.",
    };
  }
  if (status === 401 || status === 403) {
    return { kind: 'credentials', text: credentialsAdvice(mode, ci) };
  }
  if ((status !== undefined && TRANSIENT_STATUS.has(status)) || (status === undefined && NETWORK.test(reason))) {
    return {
      kind: 'transient',
      text: 'The index or the network failed for a while. Re-run the job: files already on the index are recognised and not sent again.',
    };
  }
  return {
    kind: 'other',
    text: 'Fix what the index names above, rebuild if the dist must change, and run again: files already on the index are recognised and not sent again.',
  };
}

// The fields of warehouse's publisher form for each CI: a GitLab job is matched on its project's
// namespace and name and its top-level pipeline file, not on a GitHub repository and workflow.
const PUBLISHER_FIELDS: Record<CiKind, string> = {
  github: 'owner, repository, workflow file name and environment',
  gitlab: 'namespace, project name, top-level pipeline file path and environment',
};

function credentialsAdvice(mode: AuthMode, ci: CiKind): string {
  if (mode === 'trusted-publishing') {
    return `The index refused the upload token. Check the project's Trusted Publisher on the index (${PUBLISHER_FIELDS[ci]} must match this job), and that the project exists or has a pending publisher: https://docs.pypi.org/trusted-publishers/troubleshooting/`;
  }
  if (mode === 'api-token')
    return 'The index refused the API token: check that the secret holds a current token (it starts with `pypi-`) scoped to this project, or switch to Trusted Publishing.';
  return 'The index refused the user name and password: check the secrets passed as `user` and `password`.';
}

/** One piece of advice per kind, in the order first met: several files failing alike get one line. */
export function adviceFor(failed: Array<{ reason?: string; existsOnIndex?: boolean }>, mode: AuthMode, ci: CiKind = 'github'): Advice[] {
  const seen = new Map<AdviceKind, Advice>();
  for (const f of failed) {
    const advice = adviceForUpload(f.reason ?? '', mode, f.existsOnIndex, ci);
    if (!seen.has(advice.kind)) seen.set(advice.kind, advice);
  }
  return [...seen.values()];
}
