// The in-toto statement checks PyPI makes on an attestation after its signature verified
// (pypi-attestations `Attestation.verify`, which first validates the payload with sigstore-python's
// `_Statement` model), in their order and with their words: what this run signs, a build job's
// attestation before it is uploaded, and what `verify` reads back from an index are all held to them.
import { InvalidFilename, parseSdistFilename, parseWheelFilename, versionsEqual } from '../dists/filename.ts';
import { isJsonObject } from '../http/json-object.ts';
import { VerificationFailure } from './errors.ts';
import { PydanticJsonError, parsePydanticJson } from './pydantic-json.ts';
import { PY_UTF8 } from '../dists/python-text.ts';
import { PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE, STATEMENT_TYPE } from './statement.ts';

/** The predicate types PyPI knows (pypi-attestations `AttestationType`). */
export const KNOWN_PREDICATE_TYPES: readonly string[] = [PUBLISH_PREDICATE_TYPE, SLSA_PREDICATE_TYPE];

/** sigstore-python's `Digest`: the SHA-2 and SHA-3 members of in-toto's digest set of at least 256 bits. */
const DIGEST_ALGORITHMS = ['sha256', 'sha384', 'sha512', 'sha3_256', 'sha3_384', 'sha3_512'];

interface Subject {
  name: string | null;
  digest: Record<string, string>;
}

function invalidStatement(why: string): never {
  throw new VerificationFailure('VERIFY_STATEMENT', `invalid statement: ${why}`);
}

function subjectFailure(message: string): never {
  throw new VerificationFailure('VERIFY_SUBJECT', message);
}

function parsePayload(payload: Buffer): unknown {
  let text: string;
  try {
    // pydantic reads the JSON bytes as UTF-8 and refuses any other (a leading BOM is no JSON).
    text = PY_UTF8.decode(payload);
  } catch {
    invalidStatement('the signed payload is not UTF-8');
  }
  try {
    return parsePydanticJson(text);
  } catch (e) {
    if (!(e instanceof PydanticJsonError)) throw e;
    invalidStatement(`the signed payload is not JSON (${e.message})`);
  }
}

/** A field of the model, by its alias or, when that is absent, by its name (populate_by_name). */
const field = (st: Record<string, unknown>, alias: string, name: string): unknown => (alias in st ? st[alias] : st[name]);

function subjectModel(subject: unknown, i: number): Subject {
  if (!isJsonObject(subject)) invalidStatement(`subject ${i} is not an object`);
  const { name, digest } = subject;
  if (!('name' in subject) || (name !== null && typeof name !== 'string')) invalidStatement(`subject ${i} has no name (a string, or null)`);
  if (!isJsonObject(digest)) invalidStatement(`subject ${i} has no digest set`);
  for (const [algorithm, value] of Object.entries(digest)) {
    if (!DIGEST_ALGORITHMS.includes(algorithm)) {
      invalidStatement(`subject ${i} gives a ${JSON.stringify(algorithm)} digest; PyPI's verifier takes only ${DIGEST_ALGORITHMS.join(', ')}`);
    }
    if (typeof value !== 'string') invalidStatement(`subject ${i}'s ${algorithm} digest is not a string`);
  }
  return { name, digest: digest as Record<string, string> };
}

/** sigstore-python's `_Statement`: the payload's shape, before anything in it is compared. */
function statementModel(payload: Buffer): { subjects: Subject[]; predicateType: string } {
  const st = parsePayload(payload);
  if (!isJsonObject(st)) invalidStatement('the signed payload is not a JSON object');
  const type = field(st, '_type', 'type_');
  if (type !== STATEMENT_TYPE) invalidStatement(`_type is ${JSON.stringify(type)}, expected ${STATEMENT_TYPE}`);
  const subjects = field(st, 'subject', 'subjects');
  if (!Array.isArray(subjects) || subjects.length === 0) invalidStatement('subject is not a list of at least one subject');
  const checked = subjects.map(subjectModel);
  const predicateType = field(st, 'predicateType', 'predicate_type');
  if (typeof predicateType !== 'string') invalidStatement('predicateType is not a string');
  const predicate = st['predicate'];
  if (predicate !== undefined && predicate !== null && !isJsonObject(predicate)) invalidStatement('predicate is neither an object nor null');
  return { subjects: checked, predicateType };
}

/**
 * packaging's parsed file names compared as pypi-attestations compares them: name, version (by
 * value), build tag and set of tags; an sdist as .tar.gz or .zip alike. Throws InvalidFilename for a
 * name that is no dist's.
 */
function sameDistribution(subject: string, filename: string): boolean {
  const parse = (name: string) => {
    if (name.endsWith('.whl')) return parseWheelFilename(name);
    if (name.endsWith('.tar.gz') || name.endsWith('.zip')) return parseSdistFilename(name);
    throw new InvalidFilename(`unknown distribution format: ${name}`);
  };
  const [a, b] = [parse(subject), parse(filename)];
  if (a.name !== b.name || !versionsEqual(a.version, b.version)) return false;
  if (!('tags' in a) || !('tags' in b)) return !('tags' in a) && !('tags' in b);
  const tags = (w: typeof a & { tags: unknown }) => new Set(w.tags.map((t) => `${t.interpreter}-${t.abi}-${t.platform}`));
  const [x, y] = [tags(a), tags(b)];
  return String(a.build) === String(b.build) && x.size === y.size && [...x].every((t) => y.has(t));
}

/**
 * The statement's checks, after its signature verified: one subject, naming this dist and its
 * sha256, and a predicate type PyPI knows. Returns the predicate type.
 */
export function checkAttestedStatement(payload: Buffer, filename: string, fileSha256: string): string {
  const st = statementModel(payload);
  if (st.subjects.length !== 1) {
    subjectFailure(
      `the statement names ${st.subjects.length} subjects; PyPI requires exactly one (the uploaded file): too many subjects in statement (must be exactly one)`,
    );
  }
  const { name, digest } = st.subjects[0]!;
  if (!name) subjectFailure('invalid subject: missing name');
  let same: boolean;
  try {
    same = sameDistribution(name, filename);
  } catch (err) {
    if (!(err instanceof InvalidFilename)) throw err;
    subjectFailure(`invalid subject: ${(err as Error).message}`);
  }
  if (!same) subjectFailure(`subject does not match distribution name: ${name} != ${filename}`);
  const sha256 = fileSha256.toLowerCase();
  if (digest['sha256'] !== sha256) {
    subjectFailure(
      digest['sha256'] === undefined
        ? `subject does not match distribution digest: the statement gives no sha256 for ${filename}`
        : `subject does not match distribution digest: the statement says sha256 ${digest['sha256']} but ${filename} has sha256 ${sha256} — the file changed after it was signed`,
    );
  }
  if (!KNOWN_PREDICATE_TYPES.includes(st.predicateType)) {
    throw new VerificationFailure('VERIFY_STATEMENT', `unknown attestation type: ${st.predicateType}`);
  }
  return st.predicateType;
}
