// email-validator 2.3 (warehouse's pin) as warehouse calls it: validate_email(address,
// check_deliverability=False), every other option at its default (international characters allowed,
// no quoted local part, no domain literal, no display name, a globally deliverable domain). A port of
// its rules written for this check; the error texts are its own, because PyPI quotes them.
//
// IDNA: the UTS-46 mapping and the code point checks of a label are the `idna` package's (idna.ts,
// from its tables); the A-label itself, with the Bidi and context rules, comes from Node's URL
// implementation (WHATWG UTS-46, non-transitional), which can differ from `idna` on rare labels.

import { domainToASCII } from 'node:url';
import { checkLabel, IDNAError, ulabel, uts46Remap } from './idna.ts';
import { pyRepr } from './pyrepr.ts';

const ATEXT = "a-zA-Z0-9_!#\\$%&'\\*\\+\\-/=\\?\\^`\\{\\|\\}~";
const DOT_ATOM_TEXT = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const INTL = '\\u0080-\\u{10FFFF}';
const DOT_ATOM_TEXT_INTL = new RegExp(`^[${ATEXT}${INTL}]+(?:\\.[${ATEXT}${INTL}]+)*$`, 'u');
const ATEXT_INTL_DOT = new RegExp(`^[.${ATEXT}${INTL}]$`, 'u');
const ATEXT_HOSTNAME_INTL = new RegExp(`^[a-zA-Z0-9\\-.${INTL}]$`, 'u');
const QTEXT_INTL = new RegExp(`^[\\u0020-\\u007E${INTL}]$`, 'u');
const HOSTNAME_LABEL = '(?:(?:[a-zA-Z0-9][a-zA-Z0-9\\-]*)?[a-zA-Z0-9])';
const DOT_ATOM_TEXT_HOSTNAME = new RegExp(`^${HOSTNAME_LABEL}(?:\\.${HOSTNAME_LABEL})*$`);
const EMAIL_MAX_LENGTH = 254;
const DNS_LABEL_LENGTH_LIMIT = 63;
const DOMAIN_MAX_LENGTH = 253;
const SPECIAL_USE_DOMAIN_NAMES = ['arpa', 'invalid', 'local', 'localhost', 'onion', 'test'];
const CASE_INSENSITIVE_MAILBOX_NAMES = new Set([
  'info',
  'marketing',
  'sales',
  'support',
  'abuse',
  'noc',
  'security',
  'postmaster',
  'hostmaster',
  'usenet',
  'news',
  'webmaster',
  'www',
  'uucp',
  'ftp',
]);

class EmailSyntaxError extends Error {}
const fail = (message: string): never => {
  throw new EmailSyntaxError(message);
};

const category = (c: string): string => {
  for (const cat of ['L', 'N', 'P', 'S', 'M']) if (new RegExp(`^\\p{${cat}}$`, 'u').test(c)) return cat;
  if (/^\p{Zs}$/u.test(c)) return 'Zs';
  if (/^\p{Z}$/u.test(c)) return 'Z';
  return 'C';
};

// unicodedata.name() for the unnamed-category characters that show up in practice; controls have no
// name there either, so they print as U+XXXX like in Python.
const NAMES: Record<string, string> = {
  ' ': 'SPACE',
  '\u00a0': 'NO-BREAK SPACE',
  '\u00ad': 'SOFT HYPHEN',
  '\u200b': 'ZERO WIDTH SPACE',
  '\u200c': 'ZERO WIDTH NON-JOINER',
  '\u200d': 'ZERO WIDTH JOINER',
  '\u2028': 'LINE SEPARATOR',
  '\u2029': 'PARAGRAPH SEPARATOR',
  '\u3000': 'IDEOGRAPHIC SPACE',
  '\ufeff': 'ZERO WIDTH NO-BREAK SPACE',
  '\u2002': 'EN SPACE',
  '\u2003': 'EM SPACE',
  '\u2009': 'THIN SPACE',
  '\u202f': 'NARROW NO-BREAK SPACE',
};

function display(c: string): string {
  if (c === '\\') return '"\\"';
  if (['L', 'N', 'P', 'S'].includes(category(c))) return pyRepr(c);
  const cp = c.codePointAt(0) ?? 0;
  return (
    NAMES[c] ??
    `U+${cp
      .toString(16)
      .toUpperCase()
      .padStart(cp < 0xffff ? 4 : 8, '0')}`
  );
}

const pySorted = (items: Iterable<string>): string[] => [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const badList = (chars: Iterable<string>): string => pySorted([...chars].map(display)).join(', ');

function checkUnsafeChars(s: string, allowSpace = false): void {
  const bad = new Set<string>();
  [...s].forEach((c, i) => {
    const cat = category(c);
    if (['L', 'N', 'P', 'S'].includes(cat)) return;
    if (cat === 'M') {
      if (i === 0) bad.add(c);
    } else if (cat === 'Zs') {
      if (!allowSpace) bad.add(c);
    } else bad.add(c);
  });
  if (bad.size) fail(`The email address contains unsafe characters: ${pySorted(bad).map(display).join(', ')}.`);
}

function checkDotAtom(label: string, startDescr: string, endDescr: string, isHostname: boolean): void {
  if (label.endsWith('.')) fail(endDescr.replace('{}', 'period'));
  if (label.startsWith('.')) fail(startDescr.replace('{}', 'period'));
  if (label.includes('..')) fail('An email address cannot have two periods in a row.');
  if (isHostname) {
    if (label.endsWith('-')) fail(endDescr.replace('{}', 'hyphen'));
    if (label.startsWith('-')) fail(startDescr.replace('{}', 'hyphen'));
    if (label.includes('.-') || label.includes('-.')) fail('An email address cannot have a period and a hyphen next to each other.');
  }
}

/** split_email for an address without a display name: (local part, domain, quoted?). */
function splitEmail(email: string): [string, string, boolean] {
  const chars = [...email];
  let inQuote = false;
  let escaped = false;
  let at = -1;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (inQuote) {
      if (c === '\\' && !escaped) escaped = true;
      else if (c === '"' && !escaped) {
        inQuote = false;
        escaped = false;
      } else escaped = false;
    } else if (c === '"') inQuote = true;
    else if (c === '@' || c === '<') {
      at = i;
      break;
    }
  }
  if (at < 0) {
    if (email.includes('\uff20')) fail('The email address has the "full-width" at-sign (@) character instead of a regular at-sign.');
    if (email.includes('\ufe6b')) fail('The email address has the "small commercial at" character instead of a regular at-sign.');
    fail('An email address must have an @-sign.');
  }
  const left = chars.slice(0, at);
  let domain = chars.slice(at).join('');
  if (domain.startsWith('@')) domain = domain.slice(1);
  let local = '';
  let quoted = false;
  escaped = false;
  for (let i = 0; i < left.length; i++) {
    const c = left[i] as string;
    if (quoted) {
      if (escaped) {
        local += c;
        escaped = false;
      } else if (c === '\\') escaped = true;
      else if (c === '"') {
        if (i !== left.length - 1)
          fail(
            `Extra character(s) found after close quote: ${left
              .slice(i + 1)
              .map(display)
              .join(', ')}`,
          );
        break;
      } else local += c;
    } else if (i === 0 && c === '"') quoted = true;
    else local += c;
  }
  return [local, domain, quoted];
}

/** validate_email_local_part; returns whether it is plain ASCII (ascii_local_part is set). */
function validateLocalPart(local: string, quoted: boolean): boolean {
  if (local.length === 0) fail('There must be something before the @-sign.');
  if (DOT_ATOM_TEXT.test(local)) return true;
  if (DOT_ATOM_TEXT_INTL.test(local)) {
    checkUnsafeChars(local, false);
    return false;
  }
  if (quoted) {
    const bad = [...local].filter((c) => !QTEXT_INTL.test(c));
    if (bad.length) fail(`The email address contains invalid characters in quotes before the @-sign: ${badList(bad)}.`);
    checkUnsafeChars(local, true);
    return [...local].every((c) => c >= ' ' && c <= '~');
  }
  const bad = [...local].filter((c) => !ATEXT_INTL_DOT.test(c));
  if (bad.length) fail(`The email address contains invalid characters before the @-sign: ${badList(bad)}.`);
  checkDotAtom(local, 'An email address cannot start with a {}.', 'An email address cannot have a {} immediately before the @-sign.', false);
  return fail('The email address contains invalid characters before the @-sign.');
}

function uts46ValidChar(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  if (cp >= 0x80 && cp <= 0x9f) return false;
  if (
    (cp >= 0x2010 && cp <= 0x2060 && !(cp >= 0x2024 && cp <= 0x2026) && !(cp >= 0x2028 && cp <= 0x202e)) ||
    [0xad, 0x2064, 0xff0e].includes(cp) ||
    (cp >= 0x200b && cp <= 0x200d) ||
    (cp >= 0x1bca0 && cp <= 0x1bca3)
  )
    return true;
  if (/^[\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Zs}\p{Zl}\p{Zp}]$/u.test(c)) return false;
  return !(c !== '.' && c.normalize('NFKD').includes('.'));
}

function lengthReason(s: string, limit: number): string {
  const diff = [...s].length - limit;
  return `(${diff} character${diff > 1 ? 's' : ''} too many)`;
}

/** validate_email_domain_name; returns the ASCII domain. */
function validateDomain(domain: string): string {
  let bad = [...domain].filter((c) => !ATEXT_HOSTNAME_INTL.test(c));
  if (bad.length) fail(`The part after the @-sign contains invalid characters: ${badList(bad)}.`);
  checkUnsafeChars(domain);
  bad = [...domain].filter((c) => !uts46ValidChar(c));
  if (bad.length) fail(`The part after the @-sign contains invalid characters: ${badList(bad)}.`);
  const original = domain;
  try {
    domain = uts46Remap(domain);
  } catch (e) {
    if (e instanceof IDNAError) fail(`The part after the @-sign contains invalid characters (${e.message}).`);
    throw e;
  }
  bad = [...domain].filter((c) => !ATEXT_HOSTNAME_INTL.test(c));
  if (bad.length) fail(`The part after the @-sign contains invalid characters after Unicode normalization: ${badList(bad)}.`);
  checkDotAtom(domain, 'An email address cannot have a {} immediately after the @-sign.', 'An email address cannot end with a {}.', true);
  for (const label of domain.split('.')) {
    if (/^(?!xn)..--/i.test(label))
      fail('An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.');
  }
  let asciiDomain = domain;
  if (!DOT_ATOM_TEXT_HOSTNAME.test(domain)) {
    for (const label of domain.split('.')) {
      try {
        checkALabel(label);
      } catch (e) {
        if (e instanceof IDNAError) fail(`The part after the @-sign is invalid (${e.message}).`);
        throw e;
      }
    }
    asciiDomain = domainToASCII(domain);
    if (!asciiDomain) fail('The part after the @-sign is invalid (Codepoint not allowed).');
    if (!DOT_ATOM_TEXT_HOSTNAME.test(asciiDomain)) fail('The email address contains invalid characters after the @-sign after IDNA encoding.');
  }
  if (asciiDomain.length > DOMAIN_MAX_LENGTH) {
    if (asciiDomain === original) fail(`The email address is too long after the @-sign ${lengthReason(asciiDomain, DOMAIN_MAX_LENGTH)}.`);
    const diff = asciiDomain.length - DOMAIN_MAX_LENGTH;
    fail(`The email address is too long after the @-sign (${diff} byte${diff === 1 ? '' : 's'} too many after IDNA encoding).`);
  }
  for (const label of asciiDomain.split('.')) {
    if (label.length > DNS_LABEL_LENGTH_LIMIT)
      fail(`After the @-sign, periods cannot be separated by so many characters ${lengthReason(label, DNS_LABEL_LENGTH_LIMIT)}.`);
  }
  if (!asciiDomain.includes('.')) fail('The part after the @-sign is not valid. It should have a period.');
  if (!/[A-Za-z]$/.test(asciiDomain)) fail('The part after the @-sign is not valid. It is not within a valid top-level domain.');
  for (const d of SPECIAL_USE_DOMAIN_NAMES) {
    if (asciiDomain === d || asciiDomain.endsWith(`.${d}`)) fail('The part after the @-sign is a special-use or reserved name that cannot be used with email.');
  }
  return asciiDomain;
}

/**
 * idna.alabel's checks of one label, each label in turn as email-validator converts them (the A-label
 * itself is Node's, which also checks joiners): a label of ASCII is read as an A-label if it is one,
 * and may have 63 characters; another is checked (check_label), and its A-label may have 63.
 */
function checkALabel(label: string): void {
  if ([...label].length > IDNA_MAX_INPUT_LENGTH) throw new IDNAError('Label too long');
  if (!/[^\x00-\x7f]/.test(label)) {
    ulabel(label);
    if (label.length > DNS_LABEL_LENGTH_LIMIT) throw new IDNAError('Label too long');
    return;
  }
  checkLabel(label);
  if (domainToASCII(label).length > DNS_LABEL_LENGTH_LIMIT) throw new IDNAError('Label too long');
}

/** idna's _max_input_length: a label longer than this is refused before any other check. */
const IDNA_MAX_INPUT_LENGTH = 1024;

/** idna.decode of the ASCII domain (an "xn--" label given as such is checked here), then the checks after it. */
function decodeDomain(asciiDomain: string): string {
  let unicode: string;
  try {
    unicode = asciiDomain.split('.').map(ulabel).join('.');
  } catch (e) {
    if (e instanceof IDNAError) fail(`The part after the @-sign is not valid IDNA (${e.message}).`);
    throw e;
  }
  const bad = [...unicode].filter((c) => !ATEXT_HOSTNAME_INTL.test(c));
  if (bad.length) fail(`The part after the @-sign contains invalid characters: ${badList(bad)}.`);
  checkUnsafeChars(unicode);
  return unicode;
}

function validateLength(original: string, normalized: string, asciiForm: string): void {
  const checks: Array<[string, string | undefined]> = [
    [original, undefined],
    [normalized, 'after normalization'],
    [asciiForm, 'when the part after the @-sign is converted to IDNA ASCII'],
  ];
  for (const [addr, why] of checks) {
    const chars = [...addr].length;
    const bytes = Buffer.byteLength(addr);
    const diff = bytes - EMAIL_MAX_LENGTH;
    if (diff <= 0) continue;
    let reason: string;
    if (why === undefined && chars === bytes) reason = lengthReason(addr, EMAIL_MAX_LENGTH);
    else if (why === undefined) {
      const mbpc = [...addr].reduce((m, c) => Math.max(m, Buffer.byteLength(c)), 0);
      const mchars = Math.max(1, Math.floor(diff / mbpc));
      reason = mchars === diff ? `(${diff} character${diff > 1 ? 's' : ''} too many)` : `(${mchars}-${diff} character${diff > 1 ? 's' : ''} too many)`;
    } else reason = `${why} (${diff} byte${diff > 1 ? 's' : ''} too many)`;
    fail(`The email address is too long ${reason}.`);
  }
}

/** email_validator.validate_email(address, check_deliverability=False): its error text, or undefined. */
export function validateEmailAddress(address: string): string | undefined {
  try {
    const [rawLocal, domain, quoted] = splitEmail(address);
    const original = `${quoted ? `"${rawLocal}"` : rawLocal}@${domain}`;
    const asciiLocal = validateLocalPart(rawLocal, quoted);
    let local = quoted ? `"${rawLocal.replace(/(["\\])/g, '\\$1')}"` : rawLocal;
    const nfc = local.normalize('NFC');
    if (nfc !== local) {
      try {
        validateLocalPart(nfc, quoted);
      } catch (e) {
        if (e instanceof EmailSyntaxError) fail(`After Unicode normalization: ${e.message}`);
        throw e;
      }
      local = nfc;
    }
    if (quoted) fail('Quoting the part before the @-sign is not allowed here.');
    if (asciiLocal && CASE_INSENSITIVE_MAILBOX_NAMES.has(local.toLowerCase())) local = local.toLowerCase();
    if (domain.length === 0) fail('There must be something after the @-sign.');
    if (domain.startsWith('[') && domain.endsWith(']')) fail('A bracketed IP address after the @-sign is not allowed here.');
    const asciiDomain = validateDomain(domain);
    const unicodeDomain = decodeDomain(asciiDomain);
    validateLength(original, `${local}@${unicodeDomain}`, `${local}@${asciiDomain}`);
    return undefined;
  } catch (e) {
    if (e instanceof EmailSyntaxError) return e.message;
    throw e;
  }
}
