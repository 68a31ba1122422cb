// Go's encoding/base64 (StdEncoding.Decode, and its unpadded and URL-safe kin) as the world's stand-ins of Go servers need it: where a
// decode gives up, so that a refusal names the same byte Rekor names. Held to Go itself by
// __tests__/world/go-json.test.ts.

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** base64.URLEncoding's alphabet (padded, as StdEncoding). */
export const BASE64_URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/**
 * Where base64.StdEncoding.Decode (or another encoding of `alphabet`, padded or, like
 * RawStdEncoding, not) gives up on `src` (decodeQuantum, line for line), or -1 when it does not.
 */
export function goBase64Corruption(src: string, alphabet = BASE64_ALPHABET, padded = true): number {
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0 || (j > 1 && !padded)) return -1;
        return si - j;
      }
      const c = src[si++]!;
      if (alphabet.includes(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2 || !padded) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== '=') return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : -1;
    }
  }
  return -1;
}
