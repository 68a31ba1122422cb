// Author-email / Maintainer-email as warehouse checks them (warehouse/forklift/metadata.py): take the
// address email.utils.parseaddr finds (strict mode, Python 3.13+), and if there is one, validate it with
// email-validator (2.3, warehouse's pin) as validate_email(address, check_deliverability=False).
// parseaddr returns no address for much that looks wrong ("jane@@example.org", two addresses,
// unbalanced parentheses), and then nothing is validated: PyPI accepts the field.
//
// Both are ports of the behaviour of those libraries (CPython Lib/email/_parseaddr.py AddrlistClass,
// email_validator/syntax.py), written for this check; the messages are email-validator's, because
// PyPI appends them: "'x' is not a valid email address: <reason>".

import { PYTHON_SPACE } from './python-space.ts';

// ---------------------------------------------------------------- parseaddr (RFC 2822 address list)
const SPECIALS = '()<>@,:;."[]';
const LWS = ' \t';
const CR = '\r\n';
const ATOMENDS = SPECIALS + LWS + CR;
const PHRASEENDS = ATOMENDS.replace('.', '');

class AddressList {
  pos = 0;
  comments: string[] = [];
  readonly field: string;
  constructor(field: string) {
    this.field = field;
  }

  /** The character at the current position (a getter would let TypeScript narrow it across moves). */
  get ch(): string {
    return this.field.charAt(this.pos) as string;
  }
  get more(): boolean {
    return this.pos < this.field.length;
  }
  gotonext(): string {
    let ws = '';
    while (this.more) {
      if ((LWS + '\n\r').includes(this.ch)) {
        if (!'\n\r'.includes(this.ch)) ws += this.ch;
        this.pos++;
      } else if (this.ch === '(') this.comments.push(this.getcomment());
      else break;
    }
    return ws;
  }
  all(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    while (this.more) {
      const ad = this.getaddress();
      if (ad.length) for (const a of ad) out.push(a);
      else out.push(['', '']);
    }
    return out;
  }
  getaddress(): Array<[string, string]> {
    this.comments = [];
    this.gotonext();
    const oldpos = this.pos;
    const oldcl = this.comments;
    const plist = this.getphraselist();
    this.gotonext();
    let out: Array<[string, string]> = [];
    if (!this.more) {
      if (plist.length) out = [[this.comments.join(' '), plist[0] as string]];
    } else if ('.@'.includes(this.ch)) {
      this.pos = oldpos;
      this.comments = oldcl;
      const spec = this.getaddrspec();
      out = [[this.comments.join(' '), spec]];
    } else if (this.ch === ':') {
      this.pos++;
      while (this.more) {
        this.gotonext();
        if (this.more && (this.ch as string) === ';') {
          this.pos++;
          break;
        }
        out = out.concat(this.getaddress());
      }
    } else if (this.ch === '<') {
      const route = this.getrouteaddr();
      out = [[this.comments.length ? `${plist.join(' ')} (${this.comments.join(' ')})` : plist.join(' '), route]];
    } else if (plist.length) out = [[this.comments.join(' '), plist[0] as string]];
    else if (SPECIALS.includes(this.ch)) this.pos++;
    this.gotonext();
    if (this.more && this.ch === ',') this.pos++;
    return out;
  }
  getrouteaddr(): string {
    let expectroute = false;
    this.pos++;
    this.gotonext();
    let adlist = '';
    while (this.more) {
      if (expectroute) {
        this.getdomain();
        expectroute = false;
      } else if (this.ch === '>') {
        this.pos++;
        break;
      } else if (this.ch === '@') {
        this.pos++;
        expectroute = true;
      } else if (this.ch === ':') this.pos++;
      else {
        adlist = this.getaddrspec();
        this.pos++;
        break;
      }
      this.gotonext();
    }
    return adlist;
  }
  getaddrspec(): string {
    const parts: string[] = [];
    const dropTrailingSpace = (): void => {
      if (parts.length && !pyIsBlank(parts[parts.length - 1] as string)) return;
      if (parts.length) parts.pop();
    };
    this.gotonext();
    while (this.more) {
      let preserveWs = true;
      if (this.ch === '.') {
        dropTrailingSpace();
        parts.push('.');
        this.pos++;
        preserveWs = false;
      } else if (this.ch === '"') parts.push(`"${this.getquote().replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
      else if (ATOMENDS.includes(this.ch)) {
        dropTrailingSpace();
        break;
      } else parts.push(this.getatom(ATOMENDS));
      const ws = this.gotonext();
      if (preserveWs && ws) parts.push(ws);
    }
    if (!this.more || this.ch !== '@') return parts.join('');
    parts.push('@');
    this.pos++;
    this.gotonext();
    const domain = this.getdomain();
    return domain ? parts.join('') + domain : '';
  }
  getdomain(): string {
    let out = '';
    while (this.more) {
      if (LWS.includes(this.ch)) this.pos++;
      else if (this.ch === '(') this.comments.push(this.getcomment());
      else if (this.ch === '[') out += `[${this.getdelimited('[', ']\r', false)}]`;
      else if (this.ch === '.') {
        this.pos++;
        out += '.';
      } else if (this.ch === '@') return '';
      else if (ATOMENDS.includes(this.ch)) break;
      else out += this.getatom(ATOMENDS);
    }
    return out;
  }
  getdelimited(begin: string, ends: string, allowComments: boolean): string {
    if (this.ch !== begin) return '';
    let out = '';
    let quoted = false;
    this.pos++;
    while (this.more) {
      if (quoted) {
        out += this.ch;
        quoted = false;
      } else if (ends.includes(this.ch)) {
        this.pos++;
        break;
      } else if (allowComments && this.ch === '(') {
        out += this.getcomment();
        continue;
      } else if (this.ch === '\\') quoted = true;
      else out += this.ch;
      this.pos++;
    }
    return out;
  }
  getquote(): string {
    return this.getdelimited('"', '"\r', false);
  }
  getcomment(): string {
    return this.getdelimited('(', ')\r', true);
  }
  getatom(ends: string): string {
    let out = '';
    while (this.more && !ends.includes(this.ch)) out += this.field[this.pos++];
    return out;
  }
  getphraselist(): string[] {
    const out: string[] = [];
    while (this.more) {
      if ((LWS + CR).includes(this.ch)) this.pos++;
      else if (this.ch === '"') out.push(this.getquote());
      else if (this.ch === '(') this.comments.push(this.getcomment());
      else if (PHRASEENDS.includes(this.ch)) break;
      else out.push(this.getatom(PHRASEENDS));
    }
    return out;
  }
}

const PY_BLANK = new RegExp(`^[${PYTHON_SPACE}]*$`, 'u');
const pyIsBlank = (s: string): boolean => PY_BLANK.test(s);

/** Each closed "..." run is dropped (a backslash escapes the next character); an unclosed quote stays. */
function withoutQuotedNames(addr: string): string {
  let kept = '';
  let start = 0;
  let opened: number | undefined;
  let escaped = false;
  [...addr].forEach((ch, pos, chars) => {
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '"') {
      if (opened === undefined) opened = pos;
      else {
        kept += chars.slice(start, opened).join('');
        start = pos + 1;
        opened = undefined;
      }
    }
  });
  return kept + [...addr].slice(start).join('');
}

function balancedParentheses(addr: string): boolean {
  let opens = 0;
  let escaped = false;
  for (const ch of withoutQuotedNames(addr)) {
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === '(') opens++;
    else if (ch === ')' && --opens < 0) return false;
  }
  return opens === 0;
}

/** email.utils.parseaddr(addr) (strict=True): the address, or '' when there is none or it is ambiguous. */
export function parseaddrAddress(addr: string): string {
  const field = balancedParentheses(addr) ? addr : "('', '')";
  const found = (field ? new AddressList(field).all() : []).map(([n, a]): [string, string] => (a.includes('[') ? ['', ''] : [n, a]));
  if (found.length !== 1) return '';
  return (found[0] as [string, string])[1];
}

export { validateEmailAddress } from './email-validator.ts';
