// The seed files the archive fuzzers mutate (a small wheel and sdist of the fixtures, and the real dists
// of test/corpus/.cache when fetched) and the mutants they make of them, shared by the crash fuzzer
// (run.ts) and the differential one (__tests__/fuzz/archive-differential.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { metadataText, tarBytes, zipBytes } from '../fixtures/dists/build.ts';
import type { Rng } from './rng.ts';
import { ZIP_MUTATORS, nestedZip, zipLayout } from './zip-mutants.ts';
import { TAR_MUTATORS, gzip, gzipDamage, tarLayout } from './tar-mutants.ts';

const CORPUS = resolve(import.meta.dirname, '../corpus/.cache');

export interface Seed {
  filename: string;
  bytes: Buffer;
  /** The gunzipped tar of an sdist. */
  tar?: Buffer;
  /** Small seeds are picked more often: most mutants then cost milliseconds. */
  weight: number;
}

export function fixtureSeeds(): Seed[] {
  const meta = metadataText('fuzzproject', '1.0', { 'Requires-Dist': ['a>=1', 'b; extra == "x"'], 'License-File': 'LICENSE' }, 'Body\n');
  const di = 'fuzzproject-1.0.dist-info';
  const wheel = zipBytes([
    { name: 'fuzzproject/__init__.py', data: 'x = 1\n' },
    { name: `${di}/licenses/LICENSE`, data: 'MIT' },
    { name: `${di}/METADATA`, data: meta },
    { name: `${di}/WHEEL`, data: 'Wheel-Version: 1.0\nGenerator: fuzz\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
    { name: `${di}/RECORD`, data: '' },
  ]);
  const tar = tarBytes([
    { name: 'fuzzproject-1.0/', type: '5' },
    { name: 'fuzzproject-1.0/PKG-INFO', data: meta },
    { name: 'fuzzproject-1.0/LICENSE', data: 'MIT' },
    { name: 'fuzzproject-1.0/setup.py', data: '' },
  ]);
  return [
    { filename: 'fuzzproject-1.0-py3-none-any.whl', bytes: wheel, weight: 4 },
    { filename: 'fuzzproject-1.0.tar.gz', bytes: gzip(tar), tar, weight: 4 },
  ];
}

export function corpusSeeds(): Seed[] {
  let names: string[] = [];
  try {
    names = readdirSync(CORPUS).filter((n) => n.endsWith('.whl') || n.endsWith('.tar.gz'));
  } catch {
    return [];
  }
  return names.map((filename) => {
    const bytes = readFileSync(join(CORPUS, filename));
    const seed: Seed = { filename, bytes, weight: 1 / (1 + statSync(join(CORPUS, filename)).size / (96 * 1024)) };
    if (filename.endsWith('.tar.gz')) seed.tar = gunzipSync(bytes);
    return seed;
  });
}

export function pickSeed(seeds: Seed[], rng: Rng): Seed {
  const total = seeds.reduce((n, s) => n + s.weight, 0);
  let x = rng.next() * total;
  for (const s of seeds) if ((x -= s.weight) <= 0) return s;
  return seeds[seeds.length - 1] as Seed;
}

export interface Mutant {
  kind: string;
  filename: string;
  bytes: Buffer;
}

/**
 * One mutant of a seed that costs milliseconds: a wheel's ZIP (now and then nested around `bomb`,
 * deflated zeros) or an sdist's gzip or tar, each by one mutator of zip-mutants.ts or tar-mutants.ts.
 */
export function plainMutant(wheels: Seed[], sdists: Seed[], rng: Rng, bomb: Buffer): Mutant {
  if (rng.next() < 0.55) {
    const seed = pickSeed(wheels, rng);
    if (rng.next() < 0.04) return { kind: 'nested-zip', filename: seed.filename, bytes: nestedZip(seed.bytes, rng, bomb) };
    const kind = rng.pick(Object.keys(ZIP_MUTATORS));
    return { kind: `zip-${kind}`, filename: seed.filename, bytes: ZIP_MUTATORS[kind]!(seed.bytes, zipLayout(seed.bytes), rng) };
  }
  const seed = pickSeed(sdists, rng);
  if (rng.next() < 0.12) return { kind: 'gzip-damage', filename: seed.filename, bytes: gzipDamage(seed.bytes, rng) };
  const kind = rng.pick(Object.keys(TAR_MUTATORS));
  const tar = seed.tar as Buffer;
  return { kind: `tar-${kind}`, filename: seed.filename, bytes: gzip(TAR_MUTATORS[kind]!(tar, tarLayout(tar), rng, seed.bytes)) };
}
