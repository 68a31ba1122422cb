// The one secret scan of the suites: no token, JWT or password the world issued (journalled in
// $WORLD_DIR/issued-secrets.txt, read by World.secrets()) may appear in anything a run printed or wrote.
import assert from 'node:assert/strict';

/**
 * The secrets, or recognisable pieces of them (a JWT's payload or signature: its header is the same
 * for every token of an issuer and secret in none), that appear in the text. `::add-mask::` commands
 * are the runner's protocol for masking and never reach a log, so they are left out of the scan.
 */
export function findSecrets(output: string, secrets: string[]): string[] {
  const text = output.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
  return secrets.filter((s) => s.length >= 8).filter((s) => {
    if (text.includes(s)) return true;
    const parts = s.split('.');
    return parts.length === 3 && parts.slice(1).some((part) => part.length > 20 && text.includes(part));
  });
}

/** What each run printed or wrote (ActionRun.everything), by a label for the failure message. */
export type ScannedRuns = ReadonlyArray<{ everything: string }> | ReadonlyMap<string, { everything: string }>;

/** No secret the world journalled (or `extra`) appears in any of the runs; names each leak by its first characters only. */
export async function assertNoSecretLeaked(world: { secrets(): Promise<string[]> }, runs: ScannedRuns, extra: string[] = []): Promise<void> {
  const secrets = [...(await world.secrets()), ...extra];
  assert.ok(secrets.length > 0, 'the world journals the secrets it issues');
  const labelled = Array.isArray(runs) ? runs.map((r, i) => [`run ${i}`, r] as const) : [...(runs as ReadonlyMap<string, { everything: string }>)];
  const leaks = labelled.flatMap(([label, r]) => findSecrets(r.everything, secrets).map((s) => `${label}: ${s.slice(0, 12)}…`));
  assert.deepEqual(leaks, []);
}
