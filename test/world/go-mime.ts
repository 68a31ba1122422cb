// Go's mime.ParseMediaType, for a server that reads a Content-Type with it: the media type lower-cased,
// `type[/subtype]` of RFC 2045 tokens and nothing else, then `; name=value` parameters (a token or a
// quoted string; trailing semicolons ignored; a name given twice with two values refused), each
// failure in Go's words. RFC 2231 continuations are not decoded.

const TSPECIALS = '()<>@,;:\\"/[]?=';
const isTokenChar = (c: string) => c > ' ' && c < '\x7f' && !TSPECIALS.includes(c);

function consumeToken(v: string): [string, string] {
  let i = 0;
  while (i < v.length && isTokenChar(v[i]!)) i++;
  return [v.slice(0, i), v.slice(i)];
}

function consumeValue(v: string): [string, string] | undefined {
  if (v === '') return undefined;
  if (v[0] !== '"') {
    const [token, rest] = consumeToken(v);
    return token === '' ? undefined : [token, rest];
  }
  let value = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') return [value, v.slice(i + 1)];
    if (c === '\\' && i + 1 < v.length && TSPECIALS.includes(v[i + 1]!)) value += v[++i];
    else if (c === '\r' || c === '\n') return undefined;
    else value += c;
  }
  return undefined;
}

const trimStart = (v: string) => v.slice(v.length - v.replace(/^\s+/u, '').length);

function consumeParam(v: string): [string, string, string] | undefined {
  let rest = trimStart(v);
  if (!rest.startsWith(';')) return undefined;
  const [name, afterName] = consumeToken(trimStart(rest.slice(1)));
  rest = trimStart(afterName);
  if (name === '' || !rest.startsWith('=')) return undefined;
  const value = consumeValue(trimStart(rest.slice(1)));
  return value && [name.toLowerCase(), value[0], value[1]];
}

/** The media type of `header` as Go reads it, and its parameters (names lower-cased), or the error Go returns. */
export function goParseMediaType(header: string): { mediaType: string; params: Map<string, string> } | { error: string } {
  const semicolon = header.indexOf(';');
  const base = semicolon < 0 ? header : header.slice(0, semicolon);
  const mediaType = base.toLowerCase().trim();
  const [type, afterType] = consumeToken(mediaType);
  if (type === '') return { error: 'mime: no media type' };
  if (afterType !== '') {
    if (!afterType.startsWith('/')) return { error: 'mime: expected slash after first token' };
    const [subtype, rest] = consumeToken(afterType.slice(1));
    if (subtype === '') return { error: 'mime: expected token after slash' };
    if (rest !== '') return { error: 'mime: unexpected content after media subtype' };
  }
  const params = new Map<string, string>();
  for (let v = header.slice(base.length); (v = trimStart(v)) !== ''; ) {
    const param = consumeParam(v);
    if (!param) return v.trim() === ';' ? { mediaType, params } : { error: 'mime: invalid media parameter' };
    const [name, value, rest] = param;
    if (params.has(name) && params.get(name) !== value) return { error: 'mime: duplicate parameter name' };
    params.set(name, value);
    v = rest;
  }
  return { mediaType, params };
}
