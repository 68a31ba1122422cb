// warehouse's is_valid_uri(uri, require_authority=False) (warehouse/utils/http.py) as rfc3986 2.0
// decides it: parse the reference, percent-encode path, query and fragment, normalize(), then require
// a scheme of http or https and a valid host, port, path and query.
//
// Two consequences of rfc3986's behaviour decide most verdicts, so they are spelt out:
//  - path, query and fragment are percent-encoded when the reference is parsed, so spaces, non-ASCII
//    characters and a lone "%" there are fine (only "[" and "]" stay and are then invalid);
//  - an authority that does not parse (a space or a non-ASCII letter in the host, an IPv4 address with
//    an octet above 255, a port of six digits) is dropped by normalize(), and without require_authority
//    the rest is still a valid URI: "https://exa mple.org/" passes.
// The grammar below is RFC 3986's (section 3 and appendix A), written for this check.

const HEX = '[0-9A-Fa-f]';
const PCT = `%${HEX}{2}`;
const UNRESERVED = 'A-Za-z0-9._~\\-';
const SUB_DELIMS = "!$&'()*+,;=";
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})+`;
const REG_NAME = `(?:${PCT}|[${SUB_DELIMS}${UNRESERVED}])*`;
const IPV4 = '(?:[0-9]{1,3}\\.){3}[0-9]{1,3}';
const H16 = `${HEX}{1,4}`;
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
const IPV6 =
  '(?:' +
  [
    `(?:${H16}:){6}${LS32}`,
    `::(?:${H16}:){5}${LS32}`,
    `(?:${H16})?::(?:${H16}:){4}${LS32}`,
    `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
    `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
    `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
    `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
    `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
    `(?:(?:${H16}:){0,6}${H16})?::`,
  ].join('|') +
  ')';
const ZONE_CHARS = `(?:[${UNRESERVED}]|${PCT})+`;
const IP_FUTURE = `v${HEX}+\\.[${UNRESERVED}${SUB_DELIMS}:]+`;
// rfc3986 accepts a zone ID introduced by "%" (RFC 4007) or "%25" (RFC 6874) when parsing...
const IP_LITERAL = `\\[(?:${IPV6}(?:(?:%25|%)${ZONE_CHARS})?|${IP_FUTURE})\\]`;
// ...but a valid host must use "%25" (normalize() rewrites "%" to "%25" for IPv6 hosts).
const IP_LITERAL_STRICT = `\\[(?:${IPV6}(?:%25${ZONE_CHARS})?|${IP_FUTURE})\\]`;
const HOST = `(?:${REG_NAME}|${IPV4}|${IP_LITERAL})`;

const URI_RE = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;
const SUBAUTHORITY_RE = new RegExp(`^(?:(${USERINFO})@)?(${HOST}):?([0-9]{1,5})?$`);
const HOST_RE = new RegExp(`^${HOST}$`);
const IPV4_RE = new RegExp(`^${IPV4}$`);
const IPV6_HOST_RE = new RegExp(`^${IP_LITERAL}$`);
const IPV6_STRICT_RE = new RegExp(`^${IP_LITERAL_STRICT}$`);
const PCHARS = `[${UNRESERVED}${SUB_DELIMS}:@]|${PCT}`;
const PATH_RE = new RegExp(`^(?:${PCHARS}|/)*$`);
const QUERY_RE = new RegExp(`^(?:[/?:@${UNRESERVED}${SUB_DELIMS}]|${PCT})*$`);
/** Characters rfc3986 leaves as they are when it percent-encodes a component (unreserved + reserved). */
const NOT_ENCODED = new RegExp(`^[${UNRESERVED}${SUB_DELIMS}:/?#\\[\\]@]$`);
const PCT_GLOBAL = new RegExp(PCT, 'g');

function validIpv4(host: string): boolean {
  return host.split('.').every((octet) => Number(octet) <= 255);
}

/** rfc3986 encode_component: every byte outside unreserved/reserved becomes %XX ("%" too, unless every "%" already starts an escape). */
function encodeComponent(component: string | undefined): string | undefined {
  if (component === undefined) return undefined;
  const escapes = component.match(PCT_GLOBAL)?.length ?? 0;
  const bytes = Buffer.from(component, 'utf8');
  const keepPercent = escapes === bytes.filter((b) => b === 0x25).length;
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    out += (keepPercent && b === 0x25) || (b < 128 && NOT_ENCODED.test(ch)) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

interface Authority {
  userinfo?: string;
  host?: string;
  port?: string;
}

/** rfc3986 authority_info(): undefined when the authority does not parse (InvalidAuthority). */
function authorityInfo(authority: string | undefined): Authority | undefined {
  if (!authority) return {};
  const m = SUBAUTHORITY_RE.exec(authority);
  if (!m) return undefined;
  const [, userinfo, host, port] = m;
  if (host && IPV4_RE.test(host) && !validIpv4(host)) return undefined;
  return { ...(userinfo ? { userinfo } : {}), ...(host ? { host } : {}), ...(port ? { port } : {}) };
}

function normalizeHost(host: string): string {
  if (IPV6_HOST_RE.test(host)) {
    const percent = host.indexOf('%');
    if (percent !== -1) {
      const p25 = host.indexOf('%25');
      if (p25 === -1 || percent < p25 || (percent === p25 && p25 === host.length - 4)) host = host.replace('%', '%25');
      return host.slice(0, percent).toLowerCase() + host.slice(percent);
    }
  }
  return host.toLowerCase();
}

const upperEscapes = (s: string): string => s.replace(PCT_GLOBAL, (m) => m.toUpperCase());

/** RFC 3986 section 5.2.4, as rfc3986 implements it. */
function removeDotSegments(path: string): string {
  const output: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '.') continue;
    if (segment !== '..') output.push(segment);
    else if (output.length) output.pop();
  }
  if (path.startsWith('/') && (!output.length || output[0])) output.unshift('');
  if (path.endsWith('/.') || path.endsWith('/..')) output.push('');
  return output.join('/');
}

/** warehouse is_valid_uri(uri, require_authority=False) with its default schemes (http, https). */
export function isValidUri(uri: string): boolean {
  const m = URI_RE.exec(uri);
  if (!m) return false;
  const scheme = (m[1] ?? '').toLowerCase();
  const info = authorityInfo(m[2]);
  let authority = '';
  if (info?.userinfo) authority += `${upperEscapes(info.userinfo)}@`;
  if (info?.host) authority += normalizeHost(info.host);
  if (info?.port) authority += `:${info.port}`;
  const rawPath = encodeComponent(m[3]) ?? '';
  const path = rawPath ? removeDotSegments(upperEscapes(rawPath)) : rawPath;
  const query = encodeComponent(m[4]);

  if (!scheme) return false; // MissingComponentError (scheme is required)
  if (scheme !== 'http' && scheme !== 'https') return false;
  const normalized = authorityInfo(authority || undefined);
  if (!normalized) return false;
  if (normalized.host !== undefined) {
    if (!HOST_RE.test(normalized.host)) return false;
    if (IPV4_RE.test(normalized.host) && !validIpv4(normalized.host)) return false;
    if (IPV6_HOST_RE.test(normalized.host) && !IPV6_STRICT_RE.test(normalized.host)) return false;
  }
  if (normalized.port !== undefined && Number(normalized.port) > 65535) return false;
  if (path && !PATH_RE.test(path)) return false;
  if (query !== undefined && query !== '' && !QUERY_RE.test(upperEscapes(query))) return false;
  return true;
}
