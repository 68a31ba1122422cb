// The {algorithm, value} digest objects of rekor's entry models (envelopeHash, payloadHash, …): how
// DecodeEntry fills one, how its model validates it (the algorithm one of sha256, the value
// present), and how json.Marshal writes it into a logged body.
import { createHash } from 'node:crypto';
import { first, nested, oneOf, required, type Failure } from './openapi-model.ts';
import { stringField } from './rekor-kind.ts';

export interface Hash {
  algorithm?: string;
  value?: string;
}

/** The SHA-256 of `data`, as rekor computes a digest it logs. */
export const sha256Hash = (data: Buffer | string): Hash => ({ algorithm: 'sha256', value: createHash('sha256').update(data).digest('hex') });

/** A hash object as DecodeEntry fills it: each field kept only when it is a string. */
export const hashOf = (object: Record<string, unknown> | undefined): Hash | undefined =>
  object && { algorithm: stringField(object, 'algorithm'), value: stringField(object, 'value') };

/** The hash model's Validate (algorithm required and sha256, value required), named by its path. */
export const hashFailure = (path: string, hash: Hash | undefined): Failure =>
  hash &&
  nested(path, [
    first(
      () => required(`${path}.algorithm`, hash.algorithm !== undefined),
      () => oneOf(`${path}.algorithm`, hash.algorithm!, ['sha256']),
    ),
    required(`${path}.value`, hash.value !== undefined),
  ]);

/** The hash as json.Marshal writes the model (null where a field is absent). */
export const hashBody = (hash: Hash) => ({ algorithm: hash.algorithm ?? null, value: hash.value ?? null });
