// The Runtime the CLI gives the engine: plain lines on stdout, the job summary appended to
// GITHUB_STEP_SUMMARY when it is set (so a rehearsal can show it). Raw: the caller puts guardRuntime
// (src/report/guarded-runtime.ts) in front, which scrubs every secret, in every part and encoding,
// from each line, the summary and the outputs, as for the action.
import { appendFile } from 'node:fs/promises';
import type { Runtime } from '../engine/runtime.ts';
import { guardRuntime } from '../report/guarded-runtime.ts';
import { SecretScrubber } from '../report/scrub.ts';

/** The terminal, raw: for a wrapper (the report files) that the guard then goes around. */
export function rawConsoleRuntime(verbose: boolean, summaryFile?: string): Runtime {
  const say = (prefix: string) => (m: string, title?: string) => console.log(`${prefix}${title ? `${title}: ` : ''}${m}`);
  return {
    log: {
      info: say(''),
      debug: verbose ? say('  ') : () => {},
      notice: say('notice: '),
      warning: say('warning: '),
      error: say('error: '),
      // A terminal does not fold: each stage gets a heading line instead.
      startGroup: (title) => console.log(`── ${title}`),
    },
    // No runner masks a terminal: the guard's scrubber is the mask.
    mask: () => {},
    appendSummary: async (md) => {
      if (summaryFile) await appendFile(summaryFile, md);
    },
    setOutput: (name, value) => {
      if (verbose) console.log(`output ${name}=${value}`);
    },
  };
}

/** The console Runtime behind the same guard as the action's. */
export function consoleRuntime(verbose: boolean, summaryFile?: string): Runtime {
  return guardRuntime(rawConsoleRuntime(verbose, summaryFile), new SecretScrubber());
}
