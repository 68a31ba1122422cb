// What the action prints about another party's answer may quote a credential back (an index that
// echoes the password, sigstore-js errors that embed the OIDC token): it goes through here first.

/** Replaces every occurrence of each secret (8+ characters, so that no short word is blanked out) with `***`. */
export function scrub(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('***');
  return out;
}
