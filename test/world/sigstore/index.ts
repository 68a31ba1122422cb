// Starts Fulcio, Rekor, the TSA and a TUF repository serving their trust, each on its own 127.0.0.1
// port, and writes the run's trust files.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type WorldServer } from '../faults.ts';
import { GO_OPENAPI, GRPC_GATEWAY } from '../routers.ts';
import { createCTLog } from './ctlog.ts';
import { createFulcio, type TokenVerifier } from './fulcio.ts';
import { RekorLog } from './rekor.ts';
import { REKOR_FRONT } from './rekor-front.ts';
import { signingConfig, trustedRoot, writeTrustFiles } from './trust.ts';
import { createTufRepository } from './tuf.ts';
import { createTSA } from './tsa.ts';

export interface Sigstore {
  fulcio: WorldServer;
  rekor: WorldServer;
  tsa: WorldServer;
  /** the CT log Fulcio's leaves carry SCTs from (RFC 6962 add-pre-chain for any other Fulcio) */
  ctlog: WorldServer;
  /** the TUF repository serving trusted_root.json and signing_config.v0.2.json */
  tuf: WorldServer;
  trustedRoot: string;
  trustConfig: string;
  /** the TUF repository's initial root.json, what a client is seeded with */
  tufRoot: string;
}

export async function startSigstore(dir: string, oidcURL: string, verifyToken: TokenVerifier): Promise<Sigstore> {
  // Validity windows open a minute early so a verifier's clock skew never puts "now" before them.
  const start = new Date(Date.now() - 60_000);
  const ctlog = createCTLog();
  const fulcio = createFulcio(verifyToken, ctlog, start);
  ctlog.acceptRoot(fulcio.chain[fulcio.chain.length - 1]!);
  const tsa = await createTSA();
  const log = new RekorLog(start);
  const servers = {
    fulcio: await startServer(fulcio.routes(), GRPC_GATEWAY, fulcio.front),
    rekor: await startServer(log.routes(), GO_OPENAPI, REKOR_FRONT),
    tsa: await startServer(tsa.routes(), GO_OPENAPI, tsa.front),
    ctlog: await startServer(ctlog.routes()),
  };
  log.origin = `127.0.0.1:${servers.rekor.port}`;
  const inputs = {
    fulcioURL: servers.fulcio.url,
    rekorURL: servers.rekor.url,
    tsaURL: servers.tsa.url,
    ctlogURL: servers.ctlog.url,
    oidcURL,
    fulcioChain: fulcio.chain,
    ctlogKey: fulcio.ctlogPublicKey,
    rekorShards: log.shards.map((s) => ({ key: s.publicKey.export({ type: 'spki', format: 'der' }), ...s.validFor })),
    tsaChain: tsa.chain,
    start,
  };
  const paths = await writeTrustFiles(dir, inputs);
  const repository = createTufRepository(trustedRoot(inputs), signingConfig(inputs));
  const tufRoot = join(dir, 'tuf-root.json');
  await writeFile(tufRoot, repository.root);
  const tuf = await startServer(repository.routes());
  return { ...servers, tuf, trustedRoot: paths.trustedRoot, trustConfig: paths.trustConfig, tufRoot };
}
