// The RFC 3161 witness: asks the timestamp authority to timestamp the DSSE signature, as sigstore-js's
// TSAWitness does (sha256 of the signature, JSON request, DER answer), but on the action's HTTP client
// for the reasons given in rekor-witness.ts.
import { createHash } from 'node:crypto';
import type { Witness } from '@sigstore/sign';
import { SigningError } from './errors.ts';
import { UnreadableAnswer, witnessCall, withUnreadableRetry } from './witness-call.ts';
import type { WitnessHttp } from './witness-call.ts';

export function createTsaWitness(tsaURL: string, opts: WitnessHttp): Witness {
  // A signing config names the full endpoint; a bare base URL gets the standard path.
  const url = new URL(tsaURL).pathname === '/' ? `${tsaURL.replace(/\/+$/, '')}/api/v1/timestamp` : tsaURL;

  async function timestamp(request: string): Promise<Buffer> {
    const res = await witnessCall(opts, 'SIGN_TSA', { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: () => request });
    // A TimeStampResp is a DER SEQUENCE; anything else (an HTML page from a proxy) is not one.
    if (res.body.length < 2 || res.body[0] !== 0x30) throw new UnreadableAnswer('SIGN_TSA', 'the answer is not a DER timestamp response');
    return res.body;
  }

  return {
    async testify(content) {
      if (content.$case !== 'dsseEnvelope') throw new SigningError('SIGN_BUNDLE', 'only DSSE envelopes are timestamped');
      const signature = content.dsseEnvelope.signatures[0]?.sig;
      if (!signature) throw new SigningError('SIGN_BUNDLE', 'the envelope has no signature to timestamp');
      const request = JSON.stringify({ artifactHash: createHash('sha256').update(signature).digest('base64'), hashAlgorithm: 'sha256' });
      const signedTimestamp = await withUnreadableRetry(() => timestamp(request));
      return { rfc3161Timestamps: [{ signedTimestamp }] };
    },
  };
}
