// Real Sigstore servers beside the local world, built from the Go module proxy by
// scripts/setup-verifiers.sh: sigstore/timestamp-authority with its in-memory signer, and
// sigstore/fulcio with its ephemeral CA, GitHub's issuer and the world's CT log. They judge the
// world's own Fulcio and TSA (what they accept and refuse, in their words) and the action's clients.
//
// Fulcio runs with public-good's issuer configuration (config/identity/config.yaml of its module) and
// discovers each issuer at its URL. The world's tokens name GitHub's and GitLab's real issuers (so
// that PyPI's policies apply unchanged), so Fulcio reaches them through a loopback CONNECT proxy that
// answers for those two hosts with a certificate from a CA made for the run (SSL_CERT_FILE) and serves
// the world's discovery documents; it refuses every other host. Nothing leaves the machine.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stopChild } from '../world/child.ts';
import { toPEM } from '../world/sigstore/pem.ts';
import { freePort } from './ports.ts';
import { rekorLog, type RealRekor } from './real-rekor.ts';
import { scratchDir } from './scratch.ts';
import { onFreePorts, startProcess, stoppedOnFailure } from './server-process.ts';
import type { World } from './world.ts';

const BIN = resolve(import.meta.dirname, '../../.tools/bin');
export const TIMESTAMP_SERVER = join(BIN, 'timestamp-server');
export const FULCIO = join(BIN, 'fulcio');
/** The issuers' hosts the proxy answers for, and where the world serves each one's documents. */
const ISSUER_PATHS: Record<string, string> = { 'token.actions.githubusercontent.com': '', 'gitlab.com': '/gitlab', 'oidc.circleci.com': '/circleci' };
const exec = promisify(execFile);
/** No request to a server the suite started waits longer than this. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface RealServer {
  url: string;
  /** its certificate chain, leaf (or root of a CA) first, as its API serves it */
  chain: X509Certificate[];
  stop(): Promise<void>;
}

const pemChain = (text: string): X509Certificate[] =>
  (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((pem) => new X509Certificate(pem));

/** sigstore/timestamp-authority with its in-memory signer (leaf → intermediate → root). */
export async function startRealTSA(): Promise<RealServer> {
  const dir = await scratchDir('real-tsa-');
  const child = await onFreePorts(async () => {
    const port = await freePort();
    const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--timestamp-signer', 'memory', '--disable-ntp-monitoring'];
    return { port, process: await startProcess(TIMESTAMP_SERVER, args, {}, /Serving timestamp server at/, join(dir, 'log'), { listening: port }) };
  });
  const url = `http://127.0.0.1:${child.port}`;
  const stop = () => stopChild(child.process);
  return stoppedOnFailure(stop, async () => {
    const chain = pemChain(await (await fetch(`${url}/api/v1/timestamp/certchain`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).text());
    return { url, chain, stop };
  });
}

/** A CA of the run's own and a certificate for the issuers' hosts, in PEM files. */
async function issuerCertificate(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const [ca, caKey, key, csr, cert, ext] = ['ca.pem', 'ca.key', 'leaf.key', 'leaf.csr', 'leaf.pem', 'ext'].map((f) => join(dir, f)) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await exec('openssl', ['req', '-x509', ...ec, '-keyout', caKey, '-out', ca, '-subj', '/CN=loopback issuer CA', '-days', '1']);
  await exec('openssl', ['req', ...ec, '-keyout', key, '-out', csr, '-subj', '/CN=loopback issuers']);
  const names = Object.keys(ISSUER_PATHS).map((host) => `DNS:${host}`);
  await writeFile(ext, `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
  await exec('openssl', ['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-days', '1', '-extfile', ext, '-out', cert]);
  return { ca, cert, key };
}

/** The CONNECT proxy that answers for the issuers with the world's documents, and refuses every other host. */
async function startIssuerProxy(world: World, dir: string): Promise<{ url: string; caFile: string; close(): Promise<void> }> {
  const files = await issuerCertificate(dir);
  const issuer = createHttpsServer({ key: await readFile(files.key), cert: await readFile(files.cert) }, async (req, res) => {
    try {
      const answer = await fetch(`${world.urls.oidc!}${ISSUER_PATHS[req.headers.host ?? ''] ?? '/none'}${req.url}`);
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      // The world stopped before Fulcio did.
      res.writeHead(502).end();
    }
  });
  const proxy: Server = createHttpServer((_req, res) => res.writeHead(403).end());
  proxy.on('connect', (req, socket, head) => {
    const host = (req.url ?? '').replace(/:443$/, '');
    if (!(host in ISSUER_PATHS) || !req.url?.endsWith(':443')) return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    issuer.emit('connection', socket);
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return { url, caFile: files.ca, close: () => new Promise((done) => proxy.close(() => done())) };
}

/** The world's CT log key as PEM, for Fulcio to check each SCT it is given. */
async function ctlogKeyFile(world: World, dir: string): Promise<string> {
  const root = JSON.parse(await readFile(world.env['WORLD_TRUSTED_ROOT']!, 'utf8'));
  const der = Buffer.from(root.ctlogs[0].publicKey.rawBytes, 'base64');
  const path = join(dir, 'ctlog.pem');
  await writeFile(path, toPEM(der, 'PUBLIC KEY'));
  return path;
}

/** sigstore/fulcio with an ephemeral CA and public-good's issuers, its SCTs from the world's CT log. */
export async function startRealFulcio(world: World): Promise<RealServer> {
  const dir = await scratchDir('real-fulcio-');
  const proxy = await startIssuerProxy(world, dir);
  const version = (await readFile(join(BIN, '.fulcio-version'), 'utf8')).trim();
  const config = join(BIN, `fulcio-identity-config-${version}.yaml`);
  const ctlogKey = await ctlogKeyFile(world, dir);
  const env = { HTTPS_PROXY: proxy.url, SSL_CERT_FILE: proxy.caFile };
  const started = await stoppedOnFailure(proxy.close, () =>
    onFreePorts(async () => {
      const [http, grpc, metrics] = [await freePort(), await freePort(), await freePort()];
      const args = ['serve', '--ca', 'ephemeralca', '--config-path', config, '--ct-log-url', world.urls.ctlog!, '--ct-log-public-key-path', ctlogKey];
      args.push('--host', '127.0.0.1', '--port', String(http), '--grpc-host', '127.0.0.1', '--grpc-port', String(grpc), '--metrics-port', String(metrics));
      args.push('--legacy-unix-domain-socket', `@fulcio-${process.pid}-${http}`);
      return { http, process: await startProcess(FULCIO, args, env, /listening on http at/, join(dir, 'log'), { listening: http }) };
    }),
  );
  const url = `http://127.0.0.1:${started.http}`;
  const stop = async () => {
    await stopChild(started.process);
    await proxy.close();
  };
  return stoppedOnFailure(stop, async () => {
    const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const bundle = (await (await fetch(`${url}/api/v2/trustBundle`, { signal })).json()) as { chains: Array<{ certificates: string[] }> };
    const chain = pemChain(bundle.chains[0]!.certificates.join('\n'));
    // A CT log takes precertificates only from the CAs it accepts: this one now.
    const roots = JSON.stringify({ certificates: [chain[chain.length - 1]!.toString()] });
    await fetch(`${world.urls.ctlog!}/_world/ctlog/roots`, { method: 'POST', body: roots, signal });
    return { url, chain, stop };
  });
}

/** A trusted-root entry (certificate authority or timestamp authority) for a real server. */
function authority(server: RealServer, name: string) {
  return {
    subject: { organization: 'real sigstore', commonName: name },
    uri: server.url,
    certChain: { certificates: server.chain.map((c) => ({ rawBytes: c.raw.toString('base64') })) },
    validFor: { start: new Date(server.chain[0]!.validFrom).toISOString() },
  };
}

/** The trust files of a Sigstore made of the real servers (with the world's CT log, and its Rekor unless a real one is given). */
export interface RealTrust {
  /** ClientTrustConfig: the signing config names the real servers, the trusted root holds only their keys and chains */
  trustConfig: string;
  /** that trusted root alone */
  trustedRoot: string;
}

/**
 * Points the world at the real servers: trust files naming them in place of the world's own, and the
 * world's trusted_root.json trusting them too, as PyPI trusts the Sigstore it verifies attestations
 * against (the stand-in reads it again when it changes).
 */
export async function trustRealServers(world: World, real: { fulcio: RealServer; tsa: RealServer; rekor?: RealRekor }): Promise<RealTrust> {
  const config = JSON.parse(await readFile(world.env['WORLD_TRUST_CONFIG']!, 'utf8'));
  const ca = authority(real.fulcio, 'fulcio');
  const tsa = authority(real.tsa, 'timestamp-authority');
  const tlog = real.rekor ? rekorLog(real.rekor) : undefined;
  config.trustedRoot.certificateAuthorities = [ca];
  config.trustedRoot.timestampAuthorities = [tsa];
  config.signingConfig.caUrls = [{ ...config.signingConfig.caUrls[0], url: real.fulcio.url }];
  config.signingConfig.tsaUrls = [{ ...config.signingConfig.tsaUrls[0], url: `${real.tsa.url}/api/v1/timestamp` }];
  if (tlog) {
    config.trustedRoot.tlogs = [tlog];
    config.signingConfig.rekorTlogUrls = [{ ...config.signingConfig.rekorTlogUrls[0], url: tlog.baseUrl }];
  }
  const dir = await scratchDir('real-trust-');
  const trust = { trustConfig: join(dir, 'trust_config.json'), trustedRoot: join(dir, 'trusted_root.json') };
  await writeFile(trust.trustConfig, JSON.stringify(config));
  await writeFile(trust.trustedRoot, JSON.stringify(config.trustedRoot));
  const worldRoot = JSON.parse(await readFile(world.env['WORLD_TRUSTED_ROOT']!, 'utf8'));
  worldRoot.certificateAuthorities.push(ca);
  worldRoot.timestampAuthorities.push(tsa);
  if (tlog) worldRoot.tlogs.push(tlog);
  await writeFile(world.env['WORLD_TRUSTED_ROOT']!, JSON.stringify(worldRoot));
  return trust;
}
