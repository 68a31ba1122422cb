// One world per suite, started before its tests; when they are done every run the suite recorded is
// scanned for leaked secrets, and the world stops whatever the scan found.
import { after, before } from 'node:test';
import { assertNoSecretLeaked, type ScannedRuns } from './secrets.ts';
import { startWorld, type World } from './world.ts';

/** Registers the suite's before/after hooks: `onStart` receives the started world; `onStopped` runs after it stopped. */
export function worldForSuite(runs: ScannedRuns, onStart: (world: World) => void, onStopped?: () => void): void {
  let world: World | undefined;
  before(async () => {
    world = await startWorld();
    onStart(world);
  });
  after(async () => {
    try {
      await assertNoSecretLeaked(world as World, runs);
    } finally {
      await world?.stop();
      onStopped?.();
    }
  });
}
