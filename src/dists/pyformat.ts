// Python's str.format_map(template, {"field": value}) for packaging's error messages: packaging
// builds them as f"{value!r} is invalid for {{field}}" and then calls format_map, so braces in the
// value are format syntax. "{{" and "}}" print one brace; "{field}" prints the field's name; any
// other replacement field raises (KeyError for another name, ValueError for a lone brace, an
// unclosed field or a positional one, AttributeError or IndexError along a chain), and what
// format_map raises reaches warehouse as no InvalidMetadata: PyPI answers a server error.

import { pyRepr } from './pyrepr.ts';

export type Formatted = { text: string; crash?: undefined } | { text?: undefined; crash: string };

/** A replacement field's body (between its braces): the text it prints, or the exception. */
function replacement(body: string, value: string): Formatted {
  // field_name [!conversion] [:format_spec]; brackets may hold ':' and '!'.
  let end = 0;
  let bracket = false;
  while (end < body.length && (bracket || (body[end] !== '!' && body[end] !== ':'))) {
    if (body[end] === '[') bracket = true;
    else if (body[end] === ']') bracket = false;
    end++;
  }
  const name = body.slice(0, end);
  let rest = body.slice(end);
  const first = /^[^.[]*/.exec(name)?.[0] ?? '';
  if (first === '' || /^[0-9]+$/.test(first)) return { crash: 'ValueError' };
  if (first !== 'field') return { crash: 'KeyError' };
  let text = value;
  for (const m of name.slice(first.length).matchAll(/\.([^.[]*)|\[([^\]]*)\]?/g)) {
    if (m[1] !== undefined) return { crash: m[1] === '' ? 'ValueError' : 'AttributeError' };
    const key = m[2] ?? '';
    if (!m[0].endsWith(']') || key === '') return { crash: 'ValueError' };
    if (!/^[0-9]+$/.test(key)) return { crash: 'TypeError' };
    const chars = [...text];
    if (Number(key) >= chars.length) return { crash: 'IndexError' };
    text = chars[Number(key)] as string;
  }
  if (rest.startsWith('!')) {
    const conversion = rest[1];
    if (rest.length > 2 && rest[2] !== ':') return { crash: 'ValueError' };
    if (conversion === 'r' || conversion === 'a') text = pyRepr(text);
    else if (conversion !== 's') return { crash: 'ValueError' };
    rest = rest.slice(2);
  }
  const spec = rest.startsWith(':') ? rest.slice(1) : '';
  if (spec === '') return { text };
  // A format spec on a string: [[fill]align][width][.precision][s], nothing else.
  const m = /^(?:(.)?([<>^]))?([0-9]*)(?:\.([0-9]+))?s?$/su.exec(spec);
  if (!m || spec.includes('{')) return { crash: 'ValueError' };
  if (m[4] !== undefined) text = [...text].slice(0, Number(m[4])).join('');
  const pad = Math.max(0, Number(m[3] || 0) - [...text].length);
  const fill = m[1] ?? ' ';
  if (m[2] === '>') return { text: fill.repeat(pad) + text };
  if (m[2] === '^') return { text: fill.repeat(Math.floor(pad / 2)) + text + fill.repeat(pad - Math.floor(pad / 2)) };
  return { text: text + fill.repeat(pad) };
}

/** template.format_map({"field": value}): the text, or the name of what Python raises. */
export function pyFormatMap(template: string, value: string): Formatted {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (c === '}') {
      if (template[i + 1] !== '}') return { crash: 'ValueError' };
      out += '}';
      i += 2;
    } else if (c === '{') {
      if (template[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      // The field ends at the "}" that closes it (a format spec may nest one level of braces).
      let depth = 1;
      let j = i + 1;
      for (; j < template.length; j++) {
        if (template[j] === '{') depth++;
        else if (template[j] === '}' && --depth === 0) break;
      }
      if (j >= template.length) return { crash: 'ValueError' };
      const r = replacement(template.slice(i + 1, j), value);
      if (r.crash) return r;
      out += r.text;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out };
}
