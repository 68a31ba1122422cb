// The CLI's command line, parsed strictly: a flag it does not know stops it (exit 2, naming the
// closest known flag), because a misspelt `--repository-url` that were ignored would publish to
// the default index instead of the one the user meant.

/** A command line the CLI refuses; the CLI exits 2 with its message, as for an invalid input. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Command = 'upload' | 'check' | 'verify' | 'help' | 'version';

/** What a flag takes: a value (`--user U`, `--user=U`) or a boolean (`--verbose`, `--no-verbose`, `--verbose=false`). */
export type FlagKind = 'value' | 'boolean';

/** The action's inputs the `upload` command takes as flags (all but `password`: see PASSWORD_FLAG_REFUSED). */
export const UPLOAD_FLAGS: Readonly<Record<string, FlagKind>> = {
  user: 'value',
  'repository-url': 'value',
  'packages-dir': 'value',
  'upload-concurrency': 'value',
  'verify-metadata': 'boolean',
  'skip-existing': 'boolean',
  verbose: 'boolean',
  'print-hash': 'boolean',
  attestations: 'boolean',
  'build-attestations': 'value',
  // The CLI's own: where report.md, results.json and publish.env go (default in a GitLab job: pypi-publish-report).
  'report-dir': 'value',
};

/** The `check` command's flags; its paths are positional. */
export const CHECK_FLAGS: Readonly<Record<string, FlagKind>> = { 'verify-metadata': 'boolean', json: 'boolean' };

export const PASSWORD_FLAG_REFUSED =
  '--password is not accepted: a command line is readable by every process on this machine (ps, /proc/PID/cmdline) ' +
  'and stays in shell history. Remove it and set INPUT_PASSWORD in the environment instead, ' +
  'e.g. `read -rs INPUT_PASSWORD && export INPUT_PASSWORD`.';

export interface ParsedArgs {
  /** Flag name → value ('true'/'false' for booleans); a repeated `--packages-dir` joins with newlines. */
  flags: Record<string, string>;
  positional: string[];
}

/** Edit distance, to name the flag the user most likely meant. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length] ?? 0;
}

export function closest(word: string, known: readonly string[]): string | undefined {
  const ranked = known.map((k) => ({ k, d: distance(word.toLowerCase(), k) })).sort((x, y) => x.d - y.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.k : undefined;
}

function unknownFlag(name: string, known: Readonly<Record<string, FlagKind>>, command: string): UsageError {
  const names = [...Object.keys(known), 'help'];
  const guess = closest(name, names) ?? closest(name.replace(/_/g, '-'), names);
  const hint = guess ? ` Did you mean --${guess}?` : '';
  return new UsageError(`unknown flag --${name} for \`${command}\`.${hint} See --help.`);
}

const BOOLEAN = /^(true|false)$/i;

/** Parses the flags of one command. Whatever follows "=" may be a secret typed under a misspelt flag: it is never echoed. */
export function parseFlags(argv: string[], known: Readonly<Record<string, FlagKind>>, command: string): ParsedArgs {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) positional.push(rest);
      break;
    }
    if (!arg.startsWith('--')) {
      if (command === 'upload') throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; \`upload\` takes only flags, e.g. --packages-dir dist`);
      positional.push(arg);
      continue;
    }
    const m = /^--(no-)?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new UsageError(`unexpected argument ${arg.replace(/=.*$/s, '=…')}; see --help`);
    const [, negated, name = '', inline] = m;
    // Checked before any value is read, so a password typed on the command line is never echoed or used.
    if (name.toLowerCase() === 'password') throw new UsageError(PASSWORD_FLAG_REFUSED);
    const kind = known[name];
    if (!kind) throw unknownFlag(`${negated ?? ''}${name}`, known, command);
    if (kind === 'boolean') {
      if (inline !== undefined && !BOOLEAN.test(inline)) throw new UsageError(`--${name} takes true or false, not ${JSON.stringify(inline)}`);
      const next = argv[i + 1];
      const takesNext = inline === undefined && next !== undefined && BOOLEAN.test(next);
      if (takesNext) i++;
      const value = inline ?? (takesNext ? next : 'true');
      flags[name] = negated ? String(value.toLowerCase() !== 'true') : value.toLowerCase();
      continue;
    }
    if (negated) throw new UsageError(`--no-${name} is not a flag: --${name} takes a value`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    flags[name] = name === 'packages-dir' && flags[name] !== undefined ? `${flags[name]}\n${value}` : value;
  }
  return { flags, positional };
}

/** The command and the arguments that follow it. A first argument that is a flag means `upload`, the command this CLI always ran. */
export function splitCommand(argv: string[]): { command: Command; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: 'help', rest };
  if (first === '--version' || first === '-V' || first === 'version') return { command: 'version', rest };
  if (first === 'upload' || first === 'check' || first === 'verify') return { command: first, rest };
  if (first.startsWith('--')) return { command: 'upload', rest: argv };
  const guess = closest(first, ['upload', 'check', 'verify']);
  throw new UsageError(`unknown command ${JSON.stringify(first)}.${guess ? ` Did you mean \`${guess}\`?` : ''} Commands: upload, check, verify. See --help.`);
}
