// The Runtime the CLI gives the engine: plain lines on stdout, secrets scrubbed from every line, the
// job summary appended to GITHUB_STEP_SUMMARY when it is set (so a rehearsal can show it).
import { appendFile } from 'node:fs/promises';
import type { Runtime } from '../engine/runtime.ts';

export function consoleRuntime(verbose: boolean, summaryFile?: string): Runtime {
  const secrets = new Set<string>();
  const scrub = (m: string) => [...secrets].reduce((text, s) => text.split(s).join('***'), m);
  const say = (prefix: string) => (m: string, title?: string) => console.log(scrub(`${prefix}${title ? `${title}: ` : ''}${m}`));
  return {
    log: {
      info: say(''),
      debug: verbose ? say('  ') : () => {},
      notice: say('notice: '),
      warning: say('warning: '),
      error: say('error: '),
      // A terminal does not fold: each stage gets a heading line instead.
      startGroup: (title) => console.log(`── ${scrub(title)}`),
    },
    mask: (s) => {
      if (s) secrets.add(s);
    },
    appendSummary: async (md) => {
      if (summaryFile) await appendFile(summaryFile, scrub(md));
    },
    setOutput: (name, value) => {
      if (verbose) console.log(scrub(`output ${name}=${value}`));
    },
  };
}
