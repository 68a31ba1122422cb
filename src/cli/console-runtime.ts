// The Runtime the CLI gives the engine: plain lines on stdout, the job summary appended to
// GITHUB_STEP_SUMMARY when it is set (so a rehearsal can show it). No line it prints is a workflow
// command (log-line.ts), for a GitHub runner may run the CLI too. Raw: the caller puts guardRuntime
// (src/report/guarded-runtime.ts) in front, which scrubs every secret, in every part and encoding,
// from each line, the summary and the outputs, as for the action.
import { appendFile } from 'node:fs/promises';
import type { Runtime } from '../engine/runtime.ts';
import { guardRuntime } from '../report/guarded-runtime.ts';
import { inertLines } from '../report/log-line.ts';
import { SecretScrubber } from '../report/scrub.ts';

/** The terminal, raw: for a wrapper (the report files) that the guard then goes around. */
export function rawConsoleRuntime(verbose: boolean, summaryFile?: string): Runtime {
  // Annotations and outputs too: printed as plain lines, a runner that runs the CLI would read them.
  const print = (text: string) => console.log(inertLines(text));
  const say = (prefix: string) => (m: string, title?: string) => print(`${prefix}${title ? `${title}: ` : ''}${m}`);
  return {
    log: {
      info: say(''),
      debug: verbose ? say('  ') : () => {},
      notice: say('notice: '),
      warning: say('warning: '),
      error: say('error: '),
      // A terminal does not fold: each stage gets a heading line instead.
      startGroup: (title) => print(`── ${title}`),
    },
    // No runner masks a terminal: the guard's scrubber is the mask.
    mask: () => {},
    appendSummary: async (md) => {
      if (summaryFile) await appendFile(summaryFile, md);
    },
    setOutput: (name, value) => {
      if (verbose) print(`output ${name}=${value}`);
    },
  };
}

/** The console Runtime behind the same guard as the action's. */
export function consoleRuntime(verbose: boolean, summaryFile?: string): Runtime {
  return guardRuntime(rawConsoleRuntime(verbose, summaryFile), new SecretScrubber());
}
