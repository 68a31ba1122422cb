// Hostile JSON answers: a valid answer of a service with random parts replaced by values of other
// shapes (null, numbers past 2^53, lists for objects, objects for lists, strings of markup), or a
// random value altogether. Seeded (rng.ts), so a failing answer can be replayed.
import type { Rng } from './rng.ts';

const STRINGS = ['', 'x', 'null', '<a href="x">y</a>', '\u0000', '💥'.repeat(3), '-----BEGIN CERTIFICATE-----', 'ab'.repeat(32), '../../x', 'NaN'];
const NUMBERS = [0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308];

/** A random JSON value, at most `depth` levels deep, its keys drawn from `keys`. */
export function randomJson(rng: Rng, keys: readonly string[], depth = 3): unknown {
  const kind = rng.int(depth > 0 ? 7 : 5);
  if (kind === 0) return null;
  if (kind === 1) return rng.int(2) === 1;
  if (kind === 2) return rng.pick(NUMBERS);
  if (kind === 3 || kind === 4) return rng.pick(STRINGS);
  if (kind === 5) return Array.from({ length: rng.int(4) }, () => randomJson(rng, keys, depth - 1));
  return Object.fromEntries(Array.from({ length: rng.int(4) }, () => [rng.pick(keys), randomJson(rng, keys, depth - 1)]));
}

/** Every key that appears anywhere in `value`, for randomJson to draw from. */
export function keysOf(value: unknown, into = new Set<string>()): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  }
  return [...into];
}

/** `valid` with one to three of its parts (any depth, the root included) replaced by random values. */
export function mutateJson(rng: Rng, valid: unknown): unknown {
  const keys = keysOf(valid);
  let value = structuredClone(valid);
  for (let n = 1 + rng.int(3); n > 0; n--) value = replaceOne(rng, value, keys);
  return value;
}

function replaceOne(rng: Rng, value: unknown, keys: string[]): unknown {
  const children = value && typeof value === 'object' ? Object.keys(value) : [];
  if (children.length === 0 || rng.int(4) === 0) return randomJson(rng, keys);
  const key = rng.pick(children);
  const parent = value as Record<string, unknown>;
  parent[key] = replaceOne(rng, parent[key], keys);
  return value;
}
