// The loopback Sigstore + OIDC world for these tests (test/helpers/world.ts), without the PyPI
// stand-in, which they do not need.
import { startWorld, type World } from '../../test/helpers/world.ts';
import type { Overrides } from '../../test/world/oidc/claims.ts';

export interface TestWorld {
  env: Record<string, string>;
  scenario(claims?: Overrides): Promise<string>;
  stats(service: 'fulcio' | 'rekor' | 'oidc' | 'tsa'): Promise<Record<string, number>>;
  /** most requests of each route served at once since the last reset */
  peak(service: 'rekor' | 'tsa'): Promise<Record<string, number>>;
  resetStats(service: 'rekor' | 'tsa'): Promise<void>;
  fault: World['fault'];
  stop(): Promise<void>;
}

export async function startTestWorld(): Promise<TestWorld> {
  const w = await startWorld({ pypi: false });
  return {
    env: w.env,
    scenario: (claims) => w.scenario(claims),
    stats: async (service) => (await w.stats(service)).requests,
    peak: async (service) => (await w.stats(service)).peak,
    resetStats: (service) => w.resetStats(service),
    fault: (service, fault) => w.fault(service, fault),
    stop: () => w.stop(),
  };
}
