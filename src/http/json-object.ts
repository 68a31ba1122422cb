// A service's JSON answer, which it may shape at will: only an object is read as one, so that a field
// of it can be asked for without a TypeError.

export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON object `text` holds, or undefined for anything else (not JSON, `null`, a list, a string…). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A value of a service's JSON as text: a string as it is, anything else written as JSON. Never
 * String(value): an object `{"toString": 1}` makes that throw a TypeError.
 */
export function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
}
