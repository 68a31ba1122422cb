// The runner's side of the engine's Runtime, shared by the three entries (src/index.ts,
// src/build-provenance.ts, src/verify-action.ts) and, like them, an edge: the one place besides them
// that speaks @actions/core. Everything goes out through guardRuntime (src/report/guarded-runtime.ts):
// every secret scrubbed in all its parts and encodings, no data line a workflow command, the summary
// and outputs under GitHub's limits.
import * as core from '@actions/core';
import type { Runtime } from './engine/runtime.ts';
import { guardRuntime } from './report/guarded-runtime.ts';
import { SecretScrubber } from './report/scrub.ts';

/** What @actions/core offers, raw. */
function rawActionsRuntime(verbose: () => boolean): Runtime {
  // The runner does not nest groups: one opened while another is open would end it unannounced.
  let grouped = false;
  return {
    log: {
      info: (m) => core.info(m),
      // `verbose` shows request-level detail in the plain log; it never includes a header or secret.
      debug: (m) => (verbose() ? core.info(m) : core.debug(m)),
      // No properties without a title: `{ title: undefined }` would print `::error ::`.
      notice: (m, title) => core.notice(m, title ? { title } : {}),
      warning: (m, title) => core.warning(m, title ? { title } : {}),
      error: (m, title) => core.error(m, title ? { title } : {}),
      startGroup: (title) => {
        if (grouped) core.endGroup();
        core.startGroup(title);
        grouped = true;
      },
      endGroup: () => {
        if (grouped) core.endGroup();
        grouped = false;
      },
    },
    // Called once per new part of a secret (guardRuntime keeps count): the whole, and a JWT's segments,
    // which the runner would not mask on its own (the toolkit's getIDToken masks the whole token only).
    mask: (secret) => core.setSecret(secret),
    appendSummary: async (markdown) => {
      if (!process.env['GITHUB_STEP_SUMMARY']) return;
      await core.summary.addRaw(markdown).write();
      core.summary.emptyBuffer();
    },
    setOutput: (name, value) => core.setOutput(name, value),
  };
}

export interface ActionsRuntime {
  runtime: Runtime;
  /** core.setFailed, scrubbed like everything else. */
  fail(message: string): void;
}

/** The guarded Runtime of one step; `verbose` is asked at each debug line (it is known once the inputs are read). */
export function actionsRuntime(verbose: () => boolean = () => false): ActionsRuntime {
  const scrubber = new SecretScrubber();
  const runtime = guardRuntime(rawActionsRuntime(verbose), scrubber);
  return { runtime, fail: (message) => core.setFailed(scrubber.scrub(message)) };
}
