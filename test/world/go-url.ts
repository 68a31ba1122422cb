// Go's net/url Parse and URL.String (Go 1.26/1.27, with urlstrictcolons=1 as a go 1.26 module such as
// Fulcio's runs it): Fulcio parses the SAN its templates render with url.Parse, refusing what Parse
// refuses, and x509 writes uri.String() into the certificate, percent-escaping what the path, host,
// user or fragment may not hold as is (a space, non-ASCII bytes, ...) and keeping a valid escaping
// the text already had. Strings are worked on as Go does, byte by byte over their UTF-8.
// __tests__/world/go-json.test.ts holds Parse and String to Go's own. Not ported: netip.ParseAddr's
// own words for an IP literal in brackets that is no IPv6 address (the refusal names the literal).
import { isIPv4, isIPv6 } from 'node:net';
import { goQuote } from './go-quote.ts';

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'fragment';

export interface GoURL {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  forceQuery: boolean;
  omitHost: boolean;
  fragment: string;
  rawFragment: string;
}

/** A refusal in net/url's words (the error a *url.Error wraps). */
class URLError extends Error {}

const isAlnum = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
const ishex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** gen_encoding_table.go's shouldEscape. */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?';
    if (mode === 'userPassword') return '@/?:'.includes(ch);
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

function urlEscape(s: string, mode: Mode): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += shouldEscape(c, mode) ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : s[i];
  }
  return out;
}

function urlUnescape(s: string, mode: Mode): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (s[i] === '%') {
      if (!ishex(s[i + 1]) || !ishex(s[i + 2])) throw new URLError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      const v = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && v < 0x80 && s.slice(i, i + 3) !== '%25') throw new URLError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      if (mode === 'zone' && s.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(v, 'host'))
        throw new URLError(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      i += 2;
    } else if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) {
      throw new URLError(`invalid character ${goQuote(s[i]!)} in host name`);
    }
  }
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new URLError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

/** An IP literal in brackets: Go's netip.ParseAddr, but for the words of its refusal. */
function parseIPLiteral(host: string, open: number): string {
  const close = host.lastIndexOf(']');
  if (close < 0) throw new URLError("missing ']' in host");
  const colonPort = host.slice(close + 1);
  if (!validOptionalPort(colonPort)) throw new URLError(`invalid port ${goQuote(colonPort)} after host`);
  const port = urlUnescape(colonPort, 'host');
  const hostname = host.slice(open + 1, close);
  const zone = hostname.indexOf('%25');
  const name = zone >= 0 ? urlUnescape(hostname.slice(0, zone), 'host') + urlUnescape(hostname.slice(zone), 'zone') : urlUnescape(hostname, 'host');
  const address = name.replace(/%.*$/s, '');
  if (isIPv4(name)) throw new URLError('invalid IP-literal');
  if (!isIPv6(address) || (zone >= 0 && address === name)) throw new URLError(`invalid host: ParseAddr(${goQuote(name)}): not an IPv6 address`);
  return `[${name}]${port}`;
}

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new URLError('invalid IP-literal');
  if (open === 0) return parseIPLiteral(host, open);
  let i = host.indexOf(':');
  if (i >= 0) {
    // urlstrictcolons=1: more than one colon is refused for http and https, the last one splits the port elsewhere.
    if (scheme !== 'http' && scheme !== 'https') i = host.lastIndexOf(':');
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new URLError(`invalid port ${goQuote(colonPort)} after host`);
  }
  return urlUnescape(host, 'host');
}

const validUserinfo = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parseAuthority(scheme: string, authority: string): Pick<GoURL, 'user' | 'host'> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, authority.slice(at + 1));
  if (at < 0) return { host };
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) throw new URLError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { host, user: { username: urlUnescape(userinfo, 'userPassword') } };
  return { host, user: { username: urlUnescape(userinfo.slice(0, colon), 'userPassword'), password: urlUnescape(userinfo.slice(colon + 1), 'userPassword') } };
}

/** The decoded text and, when it differs from the default escaping, the escaping as given. */
function decoded(text: string, mode: Mode): [string, string] {
  const plain = urlUnescape(text, mode);
  return [plain, urlEscape(plain, mode) === text ? '' : text];
}

/** parse(rawURL, viaRequest=false) of a text without its fragment. */
function parse(raw: string): GoURL {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new URLError('net/url: invalid control character in URL');
  const url: GoURL = {
    scheme: '',
    opaque: '',
    host: '',
    path: '',
    rawPath: '',
    rawQuery: '',
    forceQuery: false,
    omitHost: false,
    fragment: '',
    rawFragment: '',
  };
  if (raw === '*') return { ...url, path: '*' };
  let [scheme, rest] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) [url.forceQuery, rest] = [true, rest.slice(0, -1)];
  else if (rest.includes('?')) [rest, url.rawQuery] = [rest.slice(0, rest.indexOf('?')), rest.slice(rest.indexOf('?') + 1)];
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest };
    if (rest.split('/')[0]!.includes(':')) throw new URLError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '' : rest.slice(slash);
    Object.assign(url, parseAuthority(url.scheme, authority));
  } else if (url.scheme !== '' && rest.startsWith('/')) url.omitHost = true;
  [url.path, url.rawPath] = decoded(rest, 'path');
  return url;
}

/** url.Parse: the URL, or the *url.Error's message, e.g. `parse "https://x/%zz": invalid URL escape "%zz"`. */
export function goURLParse(text: string): GoURL | { error: string } {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  const hash = bytes.indexOf('#');
  const [raw, fragment] = hash < 0 ? [bytes, ''] : [bytes.slice(0, hash), bytes.slice(hash + 1)];
  let url: GoURL;
  try {
    url = parse(raw);
  } catch (error) {
    if (error instanceof URLError) return { error: `parse ${goQuote(raw)}: ${error.message}` };
    throw error;
  }
  if (fragment === '') return url;
  try {
    [url.fragment, url.rawFragment] = decoded(fragment, 'fragment');
  } catch (error) {
    if (error instanceof URLError) return { error: `parse ${goQuote(bytes)}: ${error.message}` };
    throw error;
  }
  return url;
}

/** A raw escaping, when it is a valid one of the decoded text; else the default escaping. */
function escaped(raw: string, plain: string, mode: 'path' | 'fragment'): string {
  const valid = raw !== '' && [...raw].every((c) => `!$&'()*+,;=:@[]%`.includes(c) || !shouldEscape(c.charCodeAt(0), mode));
  if (valid) {
    try {
      if (urlUnescape(raw, mode) === plain) return raw;
    } catch {}
  }
  if (mode === 'path' && plain === '*') return '*';
  return urlEscape(plain, mode);
}

function authority(url: GoURL): string {
  if (url.omitHost && url.host === '' && !url.user) return '';
  const slashes = url.host !== '' || url.path !== '' || url.user ? '//' : '';
  const user = url.user
    ? `${urlEscape(url.user.username, 'userPassword')}${url.user.password === undefined ? '' : `:${urlEscape(url.user.password, 'userPassword')}`}@`
    : '';
  return slashes + user + urlEscape(url.host, 'host');
}

/** URL.String, as UTF-8 text. */
export function goURLString(url: GoURL): string {
  let out = url.scheme === '' ? '' : `${url.scheme}:`;
  if (url.opaque !== '') out += url.opaque;
  else {
    if (url.scheme !== '' || url.host !== '' || url.user) out += authority(url);
    const path = escaped(url.rawPath, url.path, 'path');
    if (path !== '' && !path.startsWith('/') && url.host !== '') out += '/';
    if (out === '' && path.split('/')[0]!.includes(':')) out += './';
    out += path;
  }
  if (url.forceQuery || url.rawQuery !== '') out += `?${url.rawQuery}`;
  if (url.fragment !== '') out += `#${escaped(url.rawFragment, url.fragment, 'fragment')}`;
  return Buffer.from(out, 'latin1').toString('utf8');
}
