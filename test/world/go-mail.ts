// Go's net/mail.ParseAddress as go-openapi's strfmt uses it to validate the "email" format
// (IsEmail: it parses, and names an address). Read here after RFC 5322 as Go reads it, for the
// common forms: an addr-spec, or a display name (atoms or a quoted string) then an angle-addr; a
// local part that is a dot-atom or a quoted string; a domain that is a dot-atom or a domain literal.
// Go's atoms take any non-ASCII character; comments and obsolete syntax are not read here.

const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10ffff}]+$/u;
const DOT_ATOM = new RegExp(`^${ATEXT.source.slice(1, -1)}(?:\\.${ATEXT.source.slice(1, -1)})*$`, 'u');
// A quoted string: printable ASCII but \ and ", or a quoted pair, or any non-ASCII character.
const QUOTED = /^"(?:[\t\x20-\x21\x23-\x5b\x5d-\x7e\u0080-\u{10ffff}]|\\[\t\x20-\x7e])*"$/u;
const DOMAIN_LITERAL = /^\[[\x21-\x5a\x5e-\x7e\t ]*\]$/;

/** An addr-spec: local@domain. */
function isAddrSpec(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0) return false;
  const [local, domain] = [text.slice(0, at), text.slice(at + 1)];
  const localOK = DOT_ATOM.test(local) || QUOTED.test(local);
  return localOK && (DOT_ATOM.test(domain) || DOMAIN_LITERAL.test(domain));
}

/** A display name: words (atoms or quoted strings) separated by white space. */
function isDisplayName(text: string): boolean {
  const words = text.match(/"(?:[^"\\]|\\.)*"|[^\s"]+/g) ?? [];
  return words.join('').length > 0 && words.every((w) => QUOTED.test(w) || /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.\u0080-\u{10ffff}]+$/u.test(w));
}

/** Whether mail.ParseAddress takes `text` as one address. */
export function goIsEmail(text: string): boolean {
  const trimmed = text.trim();
  const angle = /^(.*?)\s*<([^<>]*)>$/s.exec(trimmed);
  if (angle) return (angle[1] === '' || isDisplayName(angle[1]!)) && isAddrSpec(angle[2]!);
  return isAddrSpec(trimmed);
}
