// Scenario (v), issue #20: `verify` of a pylock.toml of many files (100 projects × sdist + wheel = 200
// files), with 100 ms of latency on every request to the index. The projects are published once, in
// one run of this action (Trusted Publishing + attestations, one certificate for all), and locked by
// uv (`uv lock` + `uv export --format pylock.toml`, each package naming its index); then the CLI's
// `verify` is timed as a user runs it.
import { publishGroup, trustEnv, uvExport, CLI } from '../test/helpers/verify.ts';
import { dirname } from 'node:path';
import type { World } from '../test/helpers/world.ts';

export interface VerifyBenchSetup {
  lockFile: string;
  files: number;
  /** argv and env for the timed command */
  command: { args: string[]; env: Record<string, string> };
  /** whether a run's output says every file verified */
  ok(out: string): boolean;
}

export async function setUpVerifyBench(world: World, projects: number): Promise<VerifyBenchSetup> {
  const releases = Array.from({ length: projects }, (_, i) => ({ name: `bench-verify-${String(i).padStart(3, '0')}`, version: '1.0.0' }));
  await publishGroup(world, { releases });
  const lockFile = await uvExport(
    world,
    releases.map((r) => `${r.name}==${r.version}`),
  );
  const files = projects * 2;
  return {
    lockFile,
    files,
    command: { args: [CLI, 'verify', lockFile], env: trustEnv(world, dirname(lockFile)) },
    ok: (out) => out.includes(`${files} files: ${files} verified`),
  };
}
