// Python's text primitives that warehouse's checks run through, so that every port of them reads
// bytes and lines alike: bytes.decode("utf-8") and str.splitlines().

/**
 * bytes.decode("utf-8"): strict, and a leading U+FEFF stays a character of the text (TextDecoder
 * drops it unless told not to). One decoder serves every call: a fatal decoder keeps no state
 * between whole-buffer decodes.
 */
export const PY_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** str.splitlines' line boundaries; "\r\n" is one. */
export const PY_LINE_BOUNDARY = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** str.splitlines(): no empty last line for a text that ends with a boundary. */
export function pythonSplitlines(text: string): string[] {
  const lines = text.split(PY_LINE_BOUNDARY);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
