// The Rekor v1 witness: logs a DSSE envelope as a `dsse` 0.0.1 entry and returns the entry, its signed
// entry timestamp (the SET PyPI relies on) and the inclusion proof.
//
// Why not sigstore-js's RekorWitness: it sends through make-fetch-happen, whose agent keeps at most 15
// sockets per host, so 100 dists queue into ~7 rounds of Rekor's latency however many are signed at
// once; and its retry ignores Retry-After. This one uses the action's HTTP client: a pool as wide as the
// signing concurrency, one retry policy for every service. The proposed entry and the conversion of
// the answer follow sigstore-js (`toProposedDSSEEntry`, `toTransparencyLogEntry`) exactly.
import { envelopeToJSON } from '@sigstore/bundle';
import type { TransparencyLogEntry } from '@sigstore/bundle';
import type { Witness } from '@sigstore/sign';
import { SigningError } from './errors.ts';
import { isJsonObject } from '../http/json-object.ts';
import { UnreadableAnswer, witnessCall, withUnreadableRetry } from './witness-call.ts';
import type { WitnessHttp } from './witness-call.ts';

type SignatureContent = Parameters<Witness['testify']>[0];

interface RekorEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification?: {
    signedEntryTimestamp?: string;
    inclusionProof?: { logIndex: number; treeSize: number; rootHash: string; hashes: string[]; checkpoint: string };
  };
}

export function createRekorWitness(rekorURL: string, opts: WitnessHttp): Witness {
  const entriesURL = `${rekorURL.replace(/\/+$/, '')}/api/v1/log/entries`;

  async function createEntry(proposed: string): Promise<RekorEntry> {
    const posted = await witnessCall(
      opts,
      'SIGN_TLOG',
      {
        method: 'POST',
        url: entriesURL,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: () => proposed,
      },
      [409],
    );
    let answer = posted;
    if (posted.status === 409) {
      // The same entry is already logged (a retried POST whose first answer was lost): fetch it.
      const location = posted.header('location');
      if (!location) throw new SigningError('SIGN_TLOG', 'HTTP 409 without a Location for the existing entry');
      const url = new URL(location, entriesURL);
      if (url.origin !== new URL(entriesURL).origin) throw new SigningError('SIGN_TLOG', `HTTP 409 names an entry on another host (${url.origin})`);
      answer = await witnessCall(opts, 'SIGN_TLOG', { method: 'GET', url: url.href, headers: { accept: 'application/json' } });
    }
    return parseEntry(answer.text());
  }

  return {
    async testify(content: SignatureContent, publicKey: string) {
      if (content.$case !== 'dsseEnvelope') throw new SigningError('SIGN_BUNDLE', 'only DSSE envelopes are logged');
      const proposed = JSON.stringify({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          proposedContent: {
            envelope: JSON.stringify(envelopeToJSON(content.dsseEnvelope)),
            verifiers: [Buffer.from(publicKey, 'utf8').toString('base64')],
          },
        },
      });
      const entry = await withUnreadableRetry(() => createEntry(proposed));
      return { tlogEntries: [toTransparencyLogEntry(entry)] };
    },
  };
}

/** Rekor answers `{ "<uuid>": entry }`. */
function parseEntry(text: string): RekorEntry {
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    throw new UnreadableAnswer('SIGN_TLOG', 'the answer is not JSON');
  }
  const values = entries && typeof entries === 'object' ? Object.values(entries) : [];
  const entry = values[0] as Partial<RekorEntry> | undefined;
  if (
    values.length !== 1 ||
    !entry ||
    typeof entry.body !== 'string' ||
    typeof entry.logID !== 'string' ||
    typeof entry.logIndex !== 'number' ||
    typeof entry.integratedTime !== 'number'
  ) {
    throw new UnreadableAnswer('SIGN_TLOG', 'the answer is not one log entry');
  }
  if (!verificationIsWellFormed(entry.verification))
    throw new UnreadableAnswer('SIGN_TLOG', "the answer's signed entry timestamp or inclusion proof is malformed");
  return entry as RekorEntry;
}

/** Absent parts are left to verification to judge; present ones must have the types Rekor gives them. */
function verificationIsWellFormed(verification: unknown): boolean {
  if (verification === undefined) return true;
  if (!isJsonObject(verification)) return false;
  const { signedEntryTimestamp: set, inclusionProof: p } = verification;
  if (set !== undefined && typeof set !== 'string') return false;
  if (p === undefined) return true;
  return (
    isJsonObject(p) &&
    Number.isSafeInteger(p['logIndex']) &&
    Number.isSafeInteger(p['treeSize']) &&
    typeof p['rootHash'] === 'string' &&
    typeof p['checkpoint'] === 'string' &&
    Array.isArray(p['hashes']) &&
    p['hashes'].every((h) => typeof h === 'string')
  );
}

function toTransparencyLogEntry(entry: RekorEntry): TransparencyLogEntry {
  const body = Buffer.from(entry.body, 'base64');
  let kind: { kind?: unknown; apiVersion?: unknown } | null;
  try {
    kind = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SigningError('SIGN_TLOG', 'the logged entry body is not JSON');
  }
  if (!isJsonObject(kind)) throw new SigningError('SIGN_TLOG', 'the logged entry body is not a JSON object');
  if (typeof kind.kind !== 'string' || typeof kind.apiVersion !== 'string')
    throw new SigningError('SIGN_TLOG', 'the logged entry body names no kind and apiVersion (strings)');
  const set = entry.verification?.signedEntryTimestamp;
  const proof = entry.verification?.inclusionProof;
  return {
    logIndex: entry.logIndex.toString(),
    logId: { keyId: Buffer.from(entry.logID, 'hex') },
    integratedTime: entry.integratedTime.toString(),
    kindVersion: { kind: kind.kind, version: kind.apiVersion },
    inclusionPromise: set ? { signedEntryTimestamp: Buffer.from(set, 'base64') } : undefined,
    inclusionProof: proof
      ? {
          logIndex: proof.logIndex.toString(),
          treeSize: proof.treeSize.toString(),
          rootHash: Buffer.from(proof.rootHash, 'hex'),
          hashes: proof.hashes.map((h) => Buffer.from(h, 'hex')),
          checkpoint: { envelope: proof.checkpoint },
        }
      : undefined,
    canonicalizedBody: body,
  };
}
