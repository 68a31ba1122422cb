// protojson's reading of a message (google.golang.org/protobuf encoding/protojson, decode.go) with
// grpc-gateway's options (DiscardUnknown), for the messages the world's Fulcio reads. A field is
// found by its JSON name (lowerCamel) or else by its proto name (snake_case), at any depth; an
// unknown one is skipped; a field named twice (in either spelling) is refused; a null leaves a field
// unset (but counts as named); a oneof takes one member; a nested message must be an object; bytes
// take standard or URL-safe base64, padded or not; an enum takes a name (an unknown one dropped) or
// an int32. Refusals name the line and column (in runes) of the token they are about, and the field
// by its JSON name. The text is one JSON value that Go's encoding/json already took (go-json.ts).
import { BASE64_URL_ALPHABET, goBase64Corruption } from '../go-base64.ts';

/** A JSON value, where it starts in the text, and its first token as written. */
interface JSONNode {
  at: number;
  /** the token that opens it: `{`, `[`, or the whole scalar as written */
  raw: string;
  members?: Array<{ name: string; raw: string; at: number; value: JSONNode }>;
  value?: unknown;
}

export interface ProtoField {
  /** the proto (text) name */
  name: string;
  json: string;
  type: 'string' | 'bytes' | 'enum' | ProtoMessage;
  oneof?: string;
  /** an enum's value names */
  values?: string[];
}

export interface ProtoMessage {
  fullName: string;
  fields: ProtoField[];
}

/** A message read: each field set by its JSON name; strings, Buffers, enum numbers, messages. */
export type ProtoValue = { [json: string]: string | Buffer | number | ProtoValue | undefined };

/** A refusal in protojson's words. */
export class ProtoJSONError extends Error {}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,"]+)/y;

function parse(text: string, from: number): [JSONNode, number] {
  const next = (pos: number) => {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text)!;
    return { t: m[1]!, at: TOKEN.lastIndex - m[1]!.length, end: TOKEN.lastIndex };
  };
  const first = next(from);
  if (first.t !== '{' && first.t !== '[') return [{ at: first.at, raw: first.t, value: JSON.parse(first.t) }, first.end];
  const node: JSONNode = { at: first.at, raw: first.t, members: [] };
  for (let pos = first.end; ; ) {
    const tok = next(pos);
    pos = tok.end;
    if (tok.t === '}' || tok.t === ']') return [node, pos];
    if (tok.t === ',') continue;
    if (first.t === '[') {
      [, pos] = parse(text, tok.at);
      continue;
    }
    const [value, end] = parse(text, next(tok.end).end);
    node.members!.push({ name: JSON.parse(tok.t) as string, raw: tok.t, at: tok.at, value });
    pos = end;
  }
}

/** Where protojson says a token is: line, and column in runes, both from 1. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return `line ${before.split('\n').length}:${[...before.slice(lineStart)].length + 1}`;
}

/** protojson's bytes: URL-safe when it holds `-` or `_`, unpadded when its length is no multiple of 4. */
function protoBytes(text: string): Buffer | undefined {
  const alphabet = /[-_]/.test(text) ? BASE64_URL_ALPHABET : undefined;
  if (goBase64Corruption(text, alphabet, text.length % 4 === 0) >= 0) return undefined;
  return Buffer.from(text.replace(/[\r\n]/g, ''), alphabet ? 'base64url' : 'base64');
}

/**
 * A JSON number as an int32, as protojson's Token.Int(32) takes it: any spelling of an integer
 * (`1.0`, `1e2`, `100e-2`), its digits shifted exactly as normalizeToIntString shifts them.
 */
function int32(raw: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(raw);
  if (!m) return null;
  const intp = m[2] === '0' ? '' : m[2]!;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const exp = Number(m[4] ?? 0);
  let digits: string;
  if (exp >= 0) {
    if (frac.length > exp || intp.length + exp > 20) return null;
    digits = intp + frac + '0'.repeat(exp - frac.length);
  } else {
    const index = intp.length + exp;
    if (frac.length > 0 || index < 0 || /[^0]/.test(intp.slice(index))) return null;
    digits = intp.slice(0, index);
  }
  const n = BigInt(`${m[1]}${digits || '0'}`);
  return n >= -(2n ** 31n) && n < 2n ** 31n ? Number(n) : null;
}

function scalar(field: ProtoField, node: JSONNode): string | Buffer | number | undefined | null {
  const text = typeof node.value === 'string' ? node.value : undefined;
  if (field.type === 'string') return text ?? null;
  if (field.type === 'bytes') return text === undefined ? null : (protoBytes(text) ?? null);
  if (text !== undefined) return field.values!.includes(text) ? field.values!.indexOf(text) : undefined;
  return typeof node.value === 'number' ? int32(node.raw) : null;
}

function readNode(node: JSONNode, type: ProtoMessage, text: string): ProtoValue {
  if (!node.members || node.raw !== '{') throw new ProtoJSONError(`proto: syntax error (${position(text, node.at)}): unexpected token ${node.raw}`);
  const out: ProtoValue = {};
  const seen = new Set<string>();
  const oneofs = new Set<string>();
  for (const member of node.members) {
    const field = type.fields.find((f) => f.json === member.name) ?? type.fields.find((f) => f.name === member.name);
    if (!field) continue;
    const where = position(text, member.at);
    if (seen.has(field.name)) throw new ProtoJSONError(`proto: (${where}): duplicate field ${member.raw}`);
    seen.add(field.name);
    if (member.value.value === null) continue;
    if (field.oneof) {
      if (oneofs.has(field.oneof))
        throw new ProtoJSONError(`proto: (${where}): error parsing ${member.raw}, oneof ${type.fullName}.${field.oneof} is already set`);
      oneofs.add(field.oneof);
    }
    if (typeof field.type === 'object') {
      out[field.json] = readNode(member.value, field.type, text);
      continue;
    }
    const value = scalar(field, member.value);
    if (value === null) {
      throw new ProtoJSONError(`proto: (${position(text, member.value.at)}): invalid value for ${field.type} field ${field.json}: ${member.value.raw}`);
    }
    out[field.json] = value;
  }
  return out;
}

/** The message of `type` that `text` (one JSON value) holds, or a ProtoJSONError. */
export function readProtoJSON(text: string, type: ProtoMessage): ProtoValue {
  return readNode(parse(text, 0)[0], type, text);
}
