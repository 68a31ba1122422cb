// The run's report as files, for CI systems without a job summary (GitLab): `report.md` (the summary
// the action writes to GitHub's job summary), `results.json` (the `results` output, one object per
// file) and `publish.env` (the single-line outputs as PYPI_PUBLISH_* variables, the dotenv form
// GitLab's `artifacts:reports:dotenv` passes on to later jobs). Secrets masked during the run are
// scrubbed from all three.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runtime } from '../engine/runtime.ts';
import { writeNewFile } from '../io/new-file.ts';

/** Where a GitLab job writes its report when --report-dir is not given (inside the project, for artifacts:). */
export const GITLAB_REPORT_DIR = 'pypi-publish-report';

export const REPORT_FILES = { markdown: 'report.md', results: 'results.json', dotenv: 'publish.env' } as const;

// GitLab's dotenv reports take one `NAME=value` per line, no multi-line values and a few KB per value.
const DOTENV_MAX_VALUE = 4096;

export interface ReportFiles {
  /** The runtime to run with: everything it reports is also kept for the files. */
  runtime: Runtime;
  /** Writes the three files; resolves with their paths. */
  write(): Promise<string[]>;
}

function dotenvLines(outputs: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [name, value] of outputs) {
    if (name === 'results' || value.includes('\n') || value.includes('\r') || value.length > DOTENV_MAX_VALUE) continue;
    lines.push(`PYPI_PUBLISH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}=${value}`);
  }
  return lines;
}

export function withReportFiles(base: Runtime, dir: string): ReportFiles {
  const secrets = new Set<string>();
  const scrub = (text: string) => [...secrets].reduce((t, s) => t.split(s).join('***'), text);
  const markdown: string[] = [];
  const outputs = new Map<string, string>();
  const runtime: Runtime = {
    log: base.log,
    mask(secret) {
      if (secret) secrets.add(secret);
      base.mask(secret);
    },
    async appendSummary(md) {
      markdown.push(md);
      await base.appendSummary(md);
    },
    setOutput(name, value) {
      outputs.set(name, value);
      base.setOutput(name, value);
    },
  };
  return {
    runtime,
    async write() {
      await mkdir(dir, { recursive: true });
      const results = outputs.get('results');
      const files: Array<[string, string]> = [
        [REPORT_FILES.markdown, markdown.join('')],
        [REPORT_FILES.results, `${results === undefined ? '[]' : JSON.stringify(JSON.parse(results), null, 2)}\n`],
        [
          REPORT_FILES.dotenv,
          dotenvLines(outputs)
            .map((l) => `${l}\n`)
            .join(''),
        ],
      ];
      const paths = files.map(([name]) => join(dir, name));
      await Promise.all(files.map(([name, text]) => writeNewFile(join(dir, name), Buffer.from(scrub(text)))));
      return paths;
    },
  };
}
