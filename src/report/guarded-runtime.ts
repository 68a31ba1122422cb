// The one gate between the engine and everything a run shows: every log line, annotation, summary
// and output the engine (or the edge) emits passes here, whatever produced its text. Secrets, with
// their parts and encodings (scrub.ts), are removed; plain log lines cannot act as workflow commands
// (log-line.ts); the summary and the outputs stay under GitHub's limits (github-limits.ts). The
// engine keeps composing its report freely: nothing it writes can skip these rules.
import type { Runtime } from '../engine/runtime.ts';
import { capOutput, capSummary, OUTPUT_BUDGET_BYTES, OUTPUTS_BUDGET_BYTES, SUMMARY_BUDGET_BYTES, utf16Bytes } from './github-limits.ts';
import { inertControls, inertLines } from './log-line.ts';
import type { SecretScrubber } from './scrub.ts';

export interface GuardOptions {
  /** Bytes of the summary written so far by this step (the file may not start empty). */
  summaryBytesSoFar?: number;
  /**
   * Whether GitHub's limits on the summary and the outputs apply (default: yes). A GitLab job's
   * report files have none: cut there, they would lose files every later step reads.
   */
  githubLimits?: boolean;
}

/**
 * `host` with every string scrubbed and bounded on its way out. `host.mask` receives each part of a
 * secret (the whole, a JWT's segments), so the runner masks the parts too; the scrubber gets them all.
 */
export function guardRuntime(host: Runtime, scrubber: SecretScrubber, options: GuardOptions = {}): Runtime {
  const clean = (text: string) => scrubber.scrub(text);
  const line = (text: string) => inertLines(clean(text));
  // Annotations are workflow commands whose data the toolkit escapes (escapeData): scrubbing and no
  // terminal control is enough.
  const note = (text: string) => inertControls(clean(text));
  let summaryBytes = options.summaryBytesSoFar ?? 0;
  let summaryFull = false;
  let outputBytes = 0;
  const log: Runtime['log'] = {
    info: (m) => host.log.info(line(m)),
    debug: (m) => host.log.debug(line(m)),
    notice: (m, title) => host.log.notice(note(m), title === undefined ? undefined : note(title)),
    warning: (m, title) => host.log.warning(note(m), title === undefined ? undefined : note(title)),
    error: (m, title) => host.log.error(note(m), title === undefined ? undefined : note(title)),
    startGroup: (title) => (host.log.startGroup ? host.log.startGroup(clean(title)) : host.log.info(line(title))),
    endGroup: () => host.log.endGroup?.(),
  };
  return {
    log,
    scrub: clean,
    mask: (secret) => {
      for (const part of scrubber.add(secret)) host.mask(part);
    },
    async appendSummary(markdown) {
      if (options.githubLimits === false) return host.appendSummary(clean(markdown));
      if (summaryFull) return;
      const { kept, dropped } = capSummary(clean(markdown), SUMMARY_BUDGET_BYTES - summaryBytes);
      summaryBytes += Buffer.byteLength(kept, 'utf8');
      if (dropped) {
        summaryFull = true;
        log.warning(
          `The job summary was cut to stay under GitHub's 1 MiB limit: ${dropped.items} of ${dropped.of} ${dropped.unit} left out (every file's result is in this log).`,
        );
      }
      await host.appendSummary(kept);
    },
    setOutput(name, value) {
      if (options.githubLimits === false) return host.setOutput(name, clean(value));
      const budget = Math.max(0, Math.min(OUTPUT_BUDGET_BYTES, OUTPUTS_BUDGET_BYTES - outputBytes));
      const { kept, dropped } = capOutput(clean(value), budget);
      outputBytes += utf16Bytes(name) + utf16Bytes(kept);
      if (dropped) {
        log.warning(
          `The \`${name}\` output was cut to stay under GitHub's 1 MB limit on a job's outputs: ${dropped.items} of ${dropped.of} ${dropped.unit} left out (every file's result is in this log).`,
        );
      }
      host.setOutput(name, kept);
    },
  };
}
