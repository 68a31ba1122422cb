// What the engine needs from its host (the action, the CLI or a test), so that it never touches
// @actions/* itself.
import type { PublisherIdentity } from '../sigstore/types.ts';

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  /**
   * Folds what is logged next under `title` (one stage of the run: checks, exchange, signing,
   * uploads, hashes) until endGroup(). Groups do not nest: a host closes an open one first. A host
   * that cannot fold leaves these out. Messages never carry workflow commands themselves: the host
   * makes every line of a message inert (src/report/log-line.ts), so a fold comes only from here.
   */
  startGroup?(title: string): void;
  endGroup?(): void;
}

/**
 * Runs one stage of the run folded under `title` (not folded without one: a stage that does not run
 * here, such as the exchange with a password); the group is closed whatever the stage does.
 */
export async function folded<T>(log: Logger, title: string | undefined, stage: () => Promise<T>): Promise<T> {
  if (title === undefined) return stage();
  log.startGroup?.(title);
  try {
    return await stage();
  } finally {
    log.endGroup?.();
  }
}

export interface Runtime {
  log: Logger;
  /** Masks a secret, and each of its parts (a JWT's segments), in everything printed or written after this call. */
  mask(secret: string): void;
  appendSummary(markdown: string): Promise<void>;
  setOutput(name: string, value: string): void;
  /**
   * `text` as it will be shown, secrets removed: for text cut before it is shown (a table cell), as a
   * secret cut in two is no longer found whole. Absent where nothing is scrubbed.
   */
  scrub?(text: string): string;
}

/** The workflow facts the runner provides (GITHUB_* variables). */
export interface GitHubContext {
  repository?: string;
  workflowRef?: string;
  /**
   * The run's Trusted Publisher as a CI other than GitHub names it before any token (a GitLab job:
   * CI_PROJECT_PATH and CI_CONFIG_PATH); absent on GitHub, whose is `repository` and `workflowRef`.
   */
  publisher?: PublisherIdentity;
  eventName?: string;
  eventPath?: string;
  workspace: string;
}
