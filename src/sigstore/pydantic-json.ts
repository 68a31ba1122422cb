// JSON as pydantic's parser (jiter) reads a model's input, where that differs from JSON.parse: it
// takes NaN, Infinity and -Infinity as numbers, refuses a \u escape that leaves a lone surrogate,
// and refuses a value inside more than 200 arrays and objects. PyPI validates an attestation's
// statement so (sigstore-python's `_Statement.model_validate_json`).

/** The deepest a value may sit: inside this many arrays and objects. */
const MAX_DEPTH = 200;

export class PydanticJsonError extends Error {}

/** `text` with jiter's non-finite numbers as null: the same verdict for every field they can fill. */
function withoutNonFinite(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) {
      out += 'null';
      i += token.length - 1;
    } else out += c;
  }
  return out;
}

/** Where the string opened at `start` ends (after its closing quote), or the text's end. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function checkValue(value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new PydanticJsonError('recursion limit exceeded');
  if (typeof value === 'string') {
    if (!value.isWellFormed()) throw new PydanticJsonError('lone surrogate in hex escape');
  } else if (Array.isArray(value)) {
    for (const item of value) checkValue(item, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!key.isWellFormed()) throw new PydanticJsonError('lone surrogate in hex escape');
      checkValue(item, depth + 1);
    }
  }
}

/** The value `text` holds, as pydantic reads it; throws PydanticJsonError where pydantic refuses it. */
export function parsePydanticJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (first) {
    const relaxed = withoutNonFinite(text);
    try {
      if (relaxed === text) throw first;
      value = JSON.parse(relaxed);
    } catch (e) {
      throw new PydanticJsonError((e as Error).message);
    }
  }
  checkValue(value, 0);
  return value;
}
