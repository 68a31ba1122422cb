// The loopback Sigstore + OIDC world for these tests (test/helpers/world.ts), without the PyPI
// stand-in, which they do not need.
import { startWorld, type World } from '../../test/helpers/world.ts';
import type { Overrides } from '../../test/world/oidc/claims.ts';

export interface TestWorld {
  env: Record<string, string>;
  scenario(claims?: Overrides): Promise<string>;
  stats(service: 'fulcio' | 'rekor' | 'oidc' | 'tsa'): Promise<Record<string, number>>;
  fault: World['fault'];
  stop(): Promise<void>;
}

export async function startTestWorld(): Promise<TestWorld> {
  const w = await startWorld({ pypi: false });
  return {
    env: w.env,
    scenario: (claims) => w.scenario(claims),
    stats: async (service) => (await w.stats(service)).requests,
    fault: (service, fault) => w.fault(service, fault),
    stop: () => w.stop(),
  };
}
