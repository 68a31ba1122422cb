// RFC 3161 TSA from @sigstore/mock with one fix: @sigstore/core only parses GeneralizedTime with 0 or 3
// fraction digits, but asn1js drops trailing zeros (".12Z"), so ~10% of mock tokens failed to verify
// (sigstore-js.md §4.2 defect 2). The mock reads its time from the `clock` Date it was given; we set that
// Date before each request to a millisecond that never ends in 0 (at most 1 ms in the future).
import { generateKeyPairSync } from 'node:crypto';
import { initializeTSA, tsaHandler } from '@sigstore/mock';
import type { Route } from '../faults.ts';
import { toPEM } from './pem.ts';

export interface TSA {
  /** Signing certificate then root (DER): sigstore-python wants the full chain, leaf first. */
  chain: Buffer[];
  routes(): Route[];
}

const der = (view: ArrayBufferView): Buffer => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

function parseableNow(now = Date.now()): number {
  const ms = now % 1000;
  return ms !== 0 && ms % 10 === 0 ? now + 1 : now;
}

export async function createTSA(): Promise<TSA> {
  const clock = new Date();
  const tsa = await initializeTSA(generateKeyPairSync('ec', { namedCurve: 'P-256' }), clock);
  const handler = tsaHandler(tsa, { strict: true });
  const chain = [der(tsa.intCertificate), der(tsa.rootCertificate)];

  return {
    chain,
    routes: () => [
      {
        method: 'POST', path: '/api/v1/timestamp', handle: async (req) => {
          // The mock serializes genTime synchronously inside fn(), so concurrent requests cannot
          // observe each other's clock value.
          clock.setTime(parseableNow());
          const result = await handler.fn(req.body.toString('utf8'));
          return {
            status: result.statusCode,
            headers: { 'content-type': result.contentType ?? 'text/plain' },
            body: typeof result.response === 'string' ? result.response : der(result.response),
          };
        },
      },
      {
        method: 'GET', path: '/api/v1/timestamp/certchain', handle: () => ({
          status: 200,
          headers: { 'content-type': 'application/pem-certificate-chain' },
          body: chain.map((c) => toPEM(c)).join(''),
        }),
      },
    ],
  };
}
