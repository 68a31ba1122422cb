// The statement checks PyPI makes after an attestation's signature verified, held to pypi-attestations'
// own code (test/world/judge_statement.py runs its `Attestation.verify` with the signature taken as
// verified): the same verdict for every statement, and the same kind of reason for each refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { checkAttestedStatement } from '../../src/sigstore/statement-rules.ts';
import { VerificationFailure } from '../../src/sigstore/errors.ts';

const ROOT = join(import.meta.dirname, '../..');
const SHA = 'ab'.repeat(32);
const WHEEL = 'foo_bar-1.0.0-py2.py3-none-any.whl';
const PUBLISH = 'https://docs.pypi.org/attestations/publish/v1';

type Case = { label: string; payload: Buffer; filename?: string; sha256?: string };

function statement(overrides: Record<string, unknown> = {}, subject: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: WHEEL, digest: { sha256: SHA }, ...subject }],
    predicateType: PUBLISH,
    predicate: null,
    ...overrides,
  };
}
const json = (label: string, value: unknown, filename?: string): Case => ({
  label,
  payload: Buffer.from(JSON.stringify(value)),
  ...(filename ? { filename } : {}),
});
const withSubject = (label: string, subject: Record<string, unknown>, filename?: string) => json(label, statement({}, subject), filename);

/** A predicate whose innermost value sits inside `arrays` arrays, the predicate and the statement. */
const nested = (arrays: number) => `{"a":${'['.repeat(arrays)}1${']'.repeat(arrays)}}`;

const CASES: Case[] = [
  json('the statement this action signs', statement()),
  withSubject('a name spelled otherwise: case, separators, version and tag order', { name: 'Foo.Bar-1.0-py3.py2-none-any.whl' }),
  withSubject('an sdist as .zip for a .tar.gz', { name: 'foo_bar-1.0.zip' }, 'Foo.Bar-1.0.0.tar.gz'),
  withSubject('a wheel for an sdist', { name: 'foo_bar-1.0.0-py3-none-any.whl' }, 'foo_bar-1.0.0.tar.gz'),
  withSubject('another build tag', { name: 'foo_bar-1.0.0-1-py2.py3-none-any.whl' }),
  withSubject('other tags', { name: 'foo_bar-1.0.0-py3-none-any.whl' }),
  withSubject('another version', { name: 'foo_bar-1.0.1-py2.py3-none-any.whl' }),
  withSubject('a name that is no dist', { name: 'foo_bar-1.0.0.exe' }),
  withSubject('an empty name', { name: '' }),
  withSubject('a null name', { name: null }),
  json('no name', statement({ subject: [{ digest: { sha256: SHA } }] })),
  withSubject('a number for a name', { name: 7 }),
  withSubject('a SHA-1 beside the SHA-256', { digest: { sha256: SHA, sha1: 'x' } }),
  withSubject('a SHA-384 beside the SHA-256', { digest: { sha256: SHA, sha384: 'y' } }),
  withSubject('only a SHA-512', { digest: { sha512: 'z' } }),
  withSubject('an upper-case SHA-256', { digest: { sha256: SHA.toUpperCase() } }),
  withSubject('a number for a digest', { digest: { sha256: SHA, sha512: 5 } }),
  withSubject('a list for a digest set', { digest: [SHA] }),
  json('no subject', statement({ subject: [] })),
  json(
    'two subjects',
    statement({
      subject: [
        { name: WHEEL, digest: { sha256: SHA } },
        { name: WHEEL, digest: { sha256: SHA } },
      ],
    }),
  ),
  json('a predicate that is a list', statement({ predicate: [] })),
  json('a predicate that is a string', statement({ predicate: 'x' })),
  json('a predicate that is an object', statement({ predicate: { a: 1 } })),
  json('no predicate', (({ predicate: _, ...rest }) => rest)(statement())),
  json('fields in-toto adds later', statement({ extra: { a: 1 } })),
  json('the SLSA predicate type', statement({ predicateType: 'https://slsa.dev/provenance/v1' })),
  json('an unknown predicate type', statement({ predicateType: 'https://in-toto.io/attestation/vulns/v0.1' })),
  json('a number for a predicate type', statement({ predicateType: 1 })),
  json('an older statement type', statement({ _type: 'https://in-toto.io/Statement/v0.1' })),
  json('a list for a statement', [statement()]),
  {
    label: 'a payload that is not UTF-8',
    payload: Buffer.concat([Buffer.from(JSON.stringify(statement()).slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')]),
  },
  { label: 'a payload that is not JSON', payload: Buffer.from('{') },
  // Where pydantic's JSON (jiter) is not JSON.parse's, and its field names besides the aliases.
  { label: 'a byte-order mark first', payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(statement()))]) },
  ...['NaN', 'Infinity', '-Infinity', '1e999', 'NaNx', '"NaN"'].map((v) => raw(`non-finite ${v} in the predicate`, `{"a":${v}}`)),
  raw('a lone surrogate escaped in the predicate', '{"a":"\\ud800"}'),
  raw('a lone surrogate escaped in a key', '{"\\udc00":1}'),
  raw('a surrogate pair escaped', '{"a":"\\ud83d\\ude00"}'),
  raw('a value inside 200 arrays and objects', nested(198)),
  raw('a value inside 201 arrays and objects', nested(199)),
  raw('an empty array inside 200 arrays and objects', `{"a":${'['.repeat(199)}${']'.repeat(199)}}`),
  json('the fields by their names', {
    type_: 'https://in-toto.io/Statement/v1',
    subjects: [{ name: WHEEL, digest: { sha256: SHA } }],
    predicate_type: PUBLISH,
  }),
  json('an alias and a name, the alias wrong', { ...statement({ _type: 'x' }), type_: 'https://in-toto.io/Statement/v1' }),
  {
    label: 'a key given twice, the last right',
    payload: Buffer.from(JSON.stringify(statement()).replace('"predicateType"', '"predicateType":7,"predicateType"')),
  },
];

/** The statement with `predicate` written as raw JSON text. */
function raw(label: string, predicate: string): Case {
  return { label, payload: Buffer.from(JSON.stringify(statement({ predicate: '@' })).replace('"@"', predicate)) };
}

const KINDS = [
  'unknown attestation type',
  'too many subjects',
  'invalid subject',
  'invalid statement',
  'distribution name',
  'distribution digest',
  'Invalid JSON',
];
const kind = (message: string | null) => (message === null ? 'accepted' : (KINDS.find((k) => message.includes(k)) ?? message));

test("every statement gets pypi-attestations' verdict, refused for the same kind of reason", () => {
  const input = CASES.map((c) => ({ payload: c.payload.toString('base64'), filename: c.filename ?? WHEEL, sha256: c.sha256 ?? SHA }));
  const theirs = JSON.parse(
    execFileSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'test/world/judge_statement.py'), JSON.stringify(input)], { encoding: 'utf8' }),
  ) as Array<string | null>;
  const ours = CASES.map((c) => {
    try {
      checkAttestedStatement(c.payload, c.filename ?? WHEEL, c.sha256 ?? SHA);
      return null;
    } catch (e) {
      assert.ok(e instanceof VerificationFailure, `${c.label}: ${String(e)}`);
      return e.message;
    }
  });
  const differ = CASES.map((c, i) => ({ label: c.label, ours: kind(ours[i]!), theirs: kind(theirs[i]!) })).filter((d) => d.ours !== d.theirs);
  assert.deepEqual(differ, []);
  assert.ok(theirs.filter((t) => t === null).length >= 12 && theirs.filter((t) => t !== null).length >= 26, 'both verdicts are exercised');
});
