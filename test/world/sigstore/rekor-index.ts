// rekor-server's search index (POST /api/v1/index/retrieve, pkg/api/index.go): every entry logged is
// filed under its kind's IndexKeys (rekor-index-keys.ts), lowercased, as Redis lists of entry IDs
// (LPUSH); a query names a hash, a public key, an email address or a subject, each looked up (LRANGE)
// and the results joined by its operator ("or" by default: one look-up of all; "and": the
// intersection of each one's). The body is read as go-openapi binds models.SearchIndex, its refusals
// in its words. rekor-server answers the IDs in Go's map order, which is no order; the world answers
// them in the order the look-ups found them.
import { createHash } from 'node:crypto';
import { json, type Reply } from '../faults.ts';
import { goFieldEntry, goJSON } from '../go-json.ts';
import { goBase64Corruption } from '../go-base64.ts';
import { goIsEmail } from '../go-mail.ts';
import { goQuoteText } from '../go-quote.ts';
import { isObject } from './rekor-kind.ts';
import { publicKeyOf } from './rekor-x509.ts';

const HASH = /^(sha512:)?[0-9a-fA-F]{128}$|^(sha256:)?[0-9a-fA-F]{64}$|^(sha1:)?[0-9a-fA-F]{40}$/;
const FORMATS = ['pgp', 'x509', 'minisign', 'ssh', 'tuf'];
const PREFIXES: Record<number, string> = { 40: 'sha1:', 64: 'sha256:', 96: 'sha384:', 128: 'sha512:' };

export interface IndexQuery {
  email: string;
  hash: string;
  operator: string;
  publicKey?: { format?: string; content: Buffer };
  subject: string;
}

/** A refusal of the query, as go-openapi or the handler answers it. */
class QueryRefusal {
  readonly reply: Reply;

  constructor(status: number, code: number, message: string) {
    this.reply = json(status, { code, message });
  }
}

const parseFailure = (reason: string) => new QueryRefusal(400, 400, `parsing query body from "" failed, because ${reason}`);
const goKind = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v);
const typeFailure = (value: unknown, field: string, type: string) =>
  parseFailure(`json: cannot unmarshal ${goKind(value)} into Go struct field ${field} of type ${type}`);

/** A string field (JSON null leaves it empty), or the decoder's refusal. */
function text(entry: [string, unknown] | undefined, field: (key: string) => string, strfmt = false): string {
  if (!entry || entry[1] === null) return '';
  if (typeof entry[1] === 'string') return entry[1];
  // strfmt's types read themselves, and name no field.
  throw strfmt ? parseFailure(`json: cannot unmarshal ${goKind(entry[1])} into Go value of type string`) : typeFailure(entry[1], field(entry[0]), 'string');
}

/** models.SearchIndexPublicKey: format, and content in standard base64. */
function publicKeyOfQuery(entry: [string, unknown] | undefined): IndexQuery['publicKey'] {
  if (!entry || entry[1] === null) return undefined;
  const [key, value] = entry;
  if (!isObject(value)) throw typeFailure(value, `SearchIndex.${key}`, 'models.SearchIndexPublicKey');
  const format = goFieldEntry(value, 'format');
  const formatText = format && format[1] !== null ? text(format, (k) => `SearchIndex.${key}.${k}`) : undefined;
  const content = text(goFieldEntry(value, 'content'), () => '', true);
  const at = goBase64Corruption(content);
  if (at >= 0) throw parseFailure(`illegal base64 data at input byte ${at}`);
  return { format: formatText, content: Buffer.from(content, 'base64') };
}

/** models.SearchIndex as json.Decoder fills it, or the refusal. */
function decode(raw: Buffer): IndexQuery {
  const read = goJSON(raw, 'decoder');
  if ('error' in read) {
    if (read.error === 'EOF') throw new QueryRefusal(422, 602, 'query in body is required');
    throw parseFailure(read.error);
  }
  const value: unknown = JSON.parse(raw.subarray(0, read.end).toString('utf8'));
  if (value !== null && !isObject(value)) throw parseFailure(`json: cannot unmarshal ${goKind(value)} into Go value of type models.SearchIndex`);
  const object = (value ?? {}) as Record<string, unknown>;
  const field = (name: string) => goFieldEntry(object, name);
  const named = (key: string) => `SearchIndex.${key}`;
  // Go reads the fields in the body's order and stops at the first it cannot take.
  const order = ['email', 'hash', 'operator', 'publicKey', 'subject'].sort(
    (a, b) => Object.keys(object).indexOf(field(a)?.[0] ?? '') - Object.keys(object).indexOf(field(b)?.[0] ?? ''),
  );
  const query: IndexQuery = { email: '', hash: '', operator: '', subject: '' };
  for (const name of order) {
    if (name === 'publicKey') query.publicKey = publicKeyOfQuery(field(name));
    else query[name as 'email' | 'hash' | 'operator' | 'subject'] = text(field(name), named, name === 'email');
  }
  return query;
}

/** models.SearchIndex's Validate: go-openapi answers the first failure. */
function validate(query: IndexQuery): void {
  if (query.email !== '' && !goIsEmail(query.email)) throw new QueryRefusal(422, 601, `email in body must be of type email: ${goQuoteText(query.email)}`);
  if (query.hash !== '' && !HASH.test(query.hash)) throw new QueryRefusal(422, 605, `hash in body should match '${HASH.source}'`);
  if (query.operator !== '' && !['and', 'or'].includes(query.operator)) throw new QueryRefusal(422, 606, 'operator in body should be one of [and or]');
  const format = query.publicKey?.format;
  if (query.publicKey && format === undefined) throw new QueryRefusal(422, 602, 'publicKey.publicKey.format in body is required');
  if (format !== undefined && !FORMATS.includes(format))
    throw new QueryRefusal(422, 606, `publicKey.publicKey.format in body should be one of [${FORMATS.join(' ')}]`);
  if ([...query.subject].length > 512) throw new QueryRefusal(422, 603, 'subject in body should be at most 512 chars long');
}

/** The keys the query looks up, in the handler's order: hash, public key, email, subject. */
function lookupKeys(query: IndexQuery): string[] {
  const keys: string[] = [];
  if (query.hash !== '') keys.push((query.hash.split(':').length === 2 ? query.hash : `${PREFIXES[query.hash.length] ?? ''}${query.hash}`).toLowerCase());
  if (query.publicKey) {
    if (query.publicKey.format !== 'x509') throw new QueryRefusal(400, 400, `the local world does not read ${query.publicKey.format} public keys`);
    let canonical: string;
    try {
      canonical = publicKeyOf(query.publicKey.content).canonical;
    } catch {
      throw new QueryRefusal(400, 400, 'public key provided could not be parsed');
    }
    keys.push(createHash('sha256').update(canonical).digest('hex'));
  }
  if (query.email !== '') keys.push(query.email.toLowerCase());
  if (query.subject !== '') keys.push(query.subject.toLowerCase());
  return keys;
}

/** The query in a request's body as go-openapi binds it (decoded, then validated), or its refusal. */
export function bindIndexQuery(raw: Buffer): { query: IndexQuery } | { refused: Reply } {
  try {
    const query = decode(raw);
    validate(query);
    return { query };
  } catch (error) {
    if (error instanceof QueryRefusal) return { refused: error.reply };
    throw error;
  }
}

/** The index: each key (lowercased) and the entry IDs filed under it, newest first. */
export class RekorIndex {
  readonly #lists = new Map<string, string[]>();

  /** WriteIndex: the entry ID pushed onto each key's list. */
  add(keys: string[], entryID: string): void {
    for (const key of keys.map((k) => k.toLowerCase())) this.#lists.set(key, [entryID, ...(this.#lists.get(key) ?? [])]);
  }

  /** LookupIndices: every ID under any of the keys. */
  #lookup(keys: string[]): string[] {
    return keys.flatMap((key) => this.#lists.get(key.toLowerCase()) ?? []);
  }

  /** SearchIndexHandler over a query bound. */
  search(query: IndexQuery): Reply {
    let keys: string[];
    try {
      keys = lookupKeys(query);
    } catch (error) {
      if (error instanceof QueryRefusal) return error.reply;
      throw error;
    }
    const operator = query.operator || 'or';
    if (keys.length === 0) return json(200, []);
    if (operator === 'or') return json(200, [...new Set(this.#lookup(keys))]);
    const sets = keys.map((key) => new Set(this.#lookup([key])));
    return json(
      200,
      [...sets[0]!].filter((id) => sets.every((s) => s.has(id))),
    );
  }
}
