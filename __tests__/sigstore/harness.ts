// Picks the loopback Sigstore world for the tests: the shared local world (test/helpers/world.ts) when it
// exists, otherwise this directory's minimal stand-in. Set SIGSTORE_TEST_STANDIN=1 to force the stand-in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStandin } from './standin.ts';
import type { Claims, World } from './standin.ts';

const WORLD_HELPER = fileURLToPath(new URL('../../test/helpers/world.ts', import.meta.url));

export interface Fault {
  method?: string;
  path: string;
  count: number;
  status?: number;
  retryAfter?: number;
}

export type TestWorld = World & {
  kind: 'world' | 'standin';
  /** fault injection; only the shared world has it */
  fault?: (service: 'fulcio' | 'rekor' | 'oidc', fault: Fault) => Promise<void>;
};

export async function startTestWorld(): Promise<TestWorld> {
  if (existsSync(WORLD_HELPER) && process.env.SIGSTORE_TEST_STANDIN !== '1') {
    const mod = (await import(WORLD_HELPER)) as { startWorld: (o?: { pypi?: boolean }) => Promise<Record<string, unknown>> };
    // Sigstore + OIDC are all these tests need; skip the Python PyPI stand-in.
    const w = (await mod.startWorld({ pypi: false })) as {
      env: Record<string, string>;
      scenario(claims: Claims): Promise<string | { token: string }>;
      stats(service: string): Promise<{ requests: Record<string, number> }>;
      stop?: () => Promise<void>;
      close?: () => Promise<void>;
      fault?: (service: string, fault: Fault) => Promise<void>;
    };
    return {
      kind: 'world',
      env: w.env,
      scenario: async (c) => {
        const t = await w.scenario(c);
        return typeof t === 'string' ? t : t.token;
      },
      stats: async (s) => (await w.stats(s)).requests,
      ...(w.fault ? { fault: (svc: string, f: Fault) => w.fault!.call(w, svc, f) } : {}),
      stop: async () => {
        await (w.stop ?? w.close)?.call(w);
      },
    };
  }
  return { kind: 'standin', ...(await startStandin()) };
}
