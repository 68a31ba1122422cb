// The runner reads every line a step prints and runs the ones that parse as workflow commands
// (actions/runner ActionCommand.cs): `::name …::data` once leading whitespace is trimmed, and the older
// `##[name …]data` anywhere in a line. A file name, a metadata field or an index's error can carry
// either, and `::add-mask::`, `::stop-commands::` or `::error::` from a hostile dist would then act in
// the release job. Messages the action logs as plain lines go through here, at the logger's edge;
// annotations (warning, error, notice) are escaped by the toolkit (escapeData) already.

/** U+2060 WORD JOINER: invisible, not whitespace to .NET's TrimStart, so the runner sees no command. */
const JOINER = '\u2060';

// .NET's TrimStart also trims U+0085 (NEL), which JavaScript's \s does not hold.
/**
 * A terminal's control characters (C0 but tab and line ends, and DEL) as `\xHH` text: a file name or
 * an index's answer holding ESC would otherwise style the log (GitLab renders colours and hidden
 * text), clear it, or write to the reader's clipboard (OSC 52).
 */
export function inertControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One printed line that the runner cannot read as a workflow command, nor a terminal as a control. */
export function inertLine(line: string): string {
  let out = inertControls(line).replace(/##\[/g, `##${JOINER}[`);
  const lead = /^[\s\u0085\u180e]*::/.exec(out);
  if (lead) out = `${lead[0].slice(0, -1)}${JOINER}:${out.slice(lead[0].length)}`;
  return out;
}

/**
 * A message as plain log lines, none of them a workflow command. The runner splits lines at `\n`
 * and at a lone `\r`, so both start a new (checked) line here; an intended line break stays one.
 */
export function inertLines(message: string): string {
  return message
    .split(/\r\n|\r|\n/)
    .map(inertLine)
    .join('\n');
}

/**
 * JSON printed to the log, with every `##[` written `\u0023#[`: the same JSON to a parser, and no
 * command to the runner (`::` cannot start a line of JSON.stringify's output).
 */
export function inertJson(json: string): string {
  return json.replace(/##\[/g, '\\u0023#[');
}
