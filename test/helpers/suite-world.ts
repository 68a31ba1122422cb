// One world per suite, started before its tests; when they are done every run the suite recorded is
// scanned for leaked secrets, and the world stops whatever the scan found.
import { after, before } from 'node:test';
import { pypiControl } from './pypi.ts';
import { assertNoSecretLeaked, type ScannedRuns } from './secrets.ts';
import { startWorld, type World } from './world.ts';

/**
 * Registers the suite's before/after hooks: `onStart` receives the started world (and is awaited, in the
 * same hook: top-level before hooks start at once, so another one could not count on the world); `onStopped`
 * runs after it stopped.
 */
export function worldForSuite(runs: ScannedRuns, onStart: (world: World) => void | Promise<void>, onStopped?: () => void): void {
  let world: World | undefined;
  before(async () => {
    world = await startWorld();
    await onStart(world);
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

/** A publishing suite's world and a client for its PyPI stand-in, both set by the time its tests run. */
export interface PyPIWorld {
  world: World;
  pypi: ReturnType<typeof pypiControl>;
}

/** worldForSuite for a suite that publishes: the world it starts, with a client for the stand-in; `onStart` then prepares the suite. */
export function pypiWorldForSuite(runs: ScannedRuns, onStart?: (suite: PyPIWorld) => Promise<void>): PyPIWorld {
  const suite = {} as PyPIWorld;
  worldForSuite(runs, async (world) => {
    suite.world = world;
    suite.pypi = pypiControl(world);
    await onStart?.(suite);
  });
  return suite;
}
