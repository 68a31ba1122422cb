// sigstore/rekor v1 as public-good runs it: rekor-server in front of google/trillian's log server and
// log signer, the log kept in PostgreSQL (Debian's package), all on loopback, built and installed by
// scripts/setup-verifiers.sh. Rekor makes its own tree on first start and signs with an in-memory key.
//
// rekor-server also serves metrics on :2112, a port it does not let one choose; it carries on when the
// port is taken. Its search index (POST /api/v1/index/retrieve, on by default) is kept in a Redis of
// its own (Debian's redis-server), as public-good keeps it.
import { execFile } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { chown, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stopChild } from '../world/child.ts';
import { freePort } from './ports.ts';
import { scratchDir } from './scratch.ts';
import { onFreePorts, startProcess, stoppedOnFailure } from './server-process.ts';

const BIN = resolve(import.meta.dirname, '../../.tools/bin');
const run = promisify(execFile);
/** No command of the set-up (initdb, psql, id) may take longer than this. */
const COMMAND_TIMEOUT_MS = 60_000;
const exec = (file: string, args: string[], options: { uid?: number; gid?: number } = {}) => run(file, args, { ...options, timeout: COMMAND_TIMEOUT_MS });

export interface RealRekor {
  url: string;
  /** DER SubjectPublicKeyInfo of the key that signs its entries and checkpoints */
  publicKey: Buffer;
  /** a little before it started: the start of its key's validity in a trusted root */
  since: Date;
  stop(): Promise<void>;
}

/** PostgreSQL's programs (the newest version installed). */
async function postgresBin(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  return join('/usr/lib/postgresql', versions[0]!, 'bin');
}

/** PostgreSQL will not run as root: as root, its files and processes belong to the postgres user. */
async function postgresUser(dir: string): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const [uid, gid] = await Promise.all([exec('id', ['-u', 'postgres']), exec('id', ['-g', 'postgres'])]).then((r) => r.map((o) => Number(o.stdout)));
  await chown(dir, uid!, gid!);
  return { uid: uid!, gid: gid! };
}

/** A PostgreSQL cluster of its own with Trillian's schema in database `trillian`; resolves to its URI. */
async function startPostgres(dir: string, stops: Array<() => Promise<void>>): Promise<string> {
  const bin = await postgresBin();
  const user = await postgresUser(dir);
  const data = join(dir, 'pg');
  await exec(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'trillian', '--no-sync'], user);
  const started = await onFreePorts(async () => {
    const port = await freePort();
    const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
    const ready = /ready to accept connections/;
    return { port, process: await startProcess(join(bin, 'postgres'), args, {}, ready, join(dir, 'postgres.log'), { ...user, listening: port }) };
  });
  stops.push(() => stopChild(started.process));
  const psql = (database: string, more: string[]) =>
    exec('psql', ['-q', '-h', '127.0.0.1', '-p', String(started.port), '-U', 'trillian', '-d', database, ...more]);
  await psql('postgres', ['-c', 'CREATE DATABASE trillian']);
  const version = (await readFile(join(BIN, '.trillian_log_server-version'), 'utf8')).trim();
  await psql('trillian', ['-v', 'ON_ERROR_STOP=1', '-f', join(BIN, `trillian-postgresql-${version}.sql`)]);
  return `postgresql:///trillian?host=127.0.0.1&port=${started.port}&user=trillian`;
}

/** One Trillian program (log server or signer) on its own loopback ports; resolves to its RPC port. */
async function startTrillian(program: string, uri: string, dir: string, stops: Array<() => Promise<void>>, more: string[] = []): Promise<number> {
  const started = await onFreePorts(async () => {
    const [rpc, http] = [await freePort(), await freePort()];
    const args = ['--storage_system=postgresql', '--quota_system=postgresql', `--postgresql_uri=${uri}`];
    args.push(`--rpc_endpoint=127.0.0.1:${rpc}`, `--http_endpoint=127.0.0.1:${http}`, ...more);
    return { rpc, process: await startProcess(join(BIN, program), args, {}, /RPC server starting/, join(dir, `${program}.log`), { listening: rpc }) };
  });
  stops.push(() => stopChild(started.process));
  return started.rpc;
}

/** A Redis on a loopback port of its own, keeping nothing on disk; resolves to its port. */
async function startRedis(dir: string, stops: Array<() => Promise<void>>): Promise<number> {
  const started = await onFreePorts(async () => {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    return { port, process: await startProcess('redis-server', args, {}, /Ready to accept connections/, join(dir, 'redis.log'), { listening: port }) };
  });
  stops.push(() => stopChild(started.process));
  return started.port;
}

/** Rekor v1 on Trillian on PostgreSQL, its search index in Redis; its entries are sequenced every 100 ms. */
export async function startRealRekor(): Promise<RealRekor> {
  const dir = await scratchDir('real-rekor-');
  const since = new Date(Date.now() - 60_000);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  return stoppedOnFailure(stop, async () => {
    const uri = await startPostgres(dir, stops);
    const trillian = await startTrillian('trillian_log_server', uri, dir, stops);
    await startTrillian('trillian_log_signer', uri, dir, stops, ['--force_master', '--sequencer_interval=100ms']);
    const redis = await startRedis(dir, stops);
    const port = await onFreePorts(async () => {
      const port = await freePort();
      const args = ['serve', '--trillian_log_server.address=127.0.0.1', `--trillian_log_server.port=${trillian}`, '--rekor_server.address=127.0.0.1'];
      args.push(`--port=${port}`, '--rekor_server.signer=memory', '--rekor_server.hostname=127.0.0.1');
      // Every endpoint, as by default: the index search too, on this Redis.
      args.push('--redis_server.address=127.0.0.1', `--redis_server.port=${redis}`);
      // Every entry kind it has is enabled, as by default (and on public-good): older clients log intoto and rekord.
      // It reads an optional config file from $HOME.
      const ready = /Serving rekor server at/;
      const child = await startProcess(join(BIN, 'rekor-server'), args, { HOME: dir }, ready, join(dir, 'rekor.log'), { listening: port });
      stops.push(() => stopChild(child));
      return port;
    });
    const url = `http://127.0.0.1:${port}`;
    const pem = await (await fetch(`${url}/api/v1/log/publicKey`, { signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS) })).text();
    return { url, publicKey: createPublicKey(pem).export({ type: 'spki', format: 'der' }), since, stop };
  });
}

/** The trusted root's entry for this Rekor. */
export function rekorLog(rekor: RealRekor) {
  return {
    baseUrl: rekor.url,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: rekor.publicKey.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: rekor.since.toISOString() } },
    logId: { keyId: createHash('sha256').update(rekor.publicKey).digest('base64') },
  };
}
