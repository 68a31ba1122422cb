// What the engine needs from its host (the action, the CLI or a test), so that it never touches
// @actions/* itself.

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
}

export interface Runtime {
  log: Logger;
  /** Masks a secret in everything printed after this call. */
  mask(secret: string): void;
  appendSummary(markdown: string): Promise<void>;
  setOutput(name: string, value: string): void;
}

/** The workflow facts the runner provides (GITHUB_* variables). */
export interface GitHubContext {
  repository?: string;
  workflowRef?: string;
  eventName?: string;
  eventPath?: string;
  workspace: string;
}
