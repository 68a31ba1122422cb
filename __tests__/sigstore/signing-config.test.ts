// Service selection from a signing config, as sigstore-python 4 does it (SigningConfig._get_valid_services):
// supported API version and validity window, one service per operator (its highest version), then the
// selector. Rekor is v1 only for this action.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SigningConfig } from '@sigstore/protobuf-specs';
import { TrustError } from '../../src/sigstore/errors.ts';
import { signingServices } from '../../src/sigstore/signing-config.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const svc = (url: string, extra: Record<string, unknown> = {}) => ({
  url,
  majorApiVersion: 1,
  validFor: { start: '2025-01-01T00:00:00Z' },
  operator: 'op',
  ...extra,
});
const config = (edit: Record<string, unknown> = {}) =>
  SigningConfig.fromJSON({
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [svc('https://fulcio')],
    oidcUrls: [],
    rekorTlogUrls: [svc('https://rekor')],
    rekorTlogConfig: { selector: 'ANY' },
    tsaUrls: [svc('https://tsa/api/v1/timestamp')],
    tsaConfig: { selector: 'ANY' },
    ...edit,
  });
const select = (edit: Record<string, unknown> = {}) => signingServices(config(edit), 'the config', NOW);

describe('signing config selection', () => {
  it("picks the config's Fulcio, Rekor v1 and TSA", () => {
    assert.deepEqual(select(), { fulcioURL: 'https://fulcio', rekorURL: 'https://rekor', tsaURLs: ['https://tsa/api/v1/timestamp'] });
  });

  it('skips services outside their validity window, whose ends are inclusive', () => {
    const r = select({
      caUrls: [
        svc('https://ended', { validFor: { start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' } }),
        svc('https://later', { validFor: { start: '2027-01-01T00:00:00Z' }, operator: 'other' }),
        svc('https://ends-now', { validFor: { start: '2024-01-01T00:00:00Z', end: NOW.toISOString() }, operator: 'third' }),
      ],
    });
    assert.equal(r.fulcioURL, 'https://ends-now');
  });

  it('skips Rekor v2 for the v1 log of the same operator, and refuses a config with only v2', () => {
    assert.equal(select({ rekorTlogUrls: [svc('https://rekor-v2', { majorApiVersion: 2 }), svc('https://rekor')] }).rekorURL, 'https://rekor');
    assert.throws(
      () => select({ rekorTlogUrls: [svc('https://rekor-v2', { majorApiVersion: 2 })] }),
      (e: unknown) => e instanceof TrustError && e.code === 'TRUST_CONFIG' && /lists no current Rekor v1 URL/.test(e.message),
    );
  });

  it('keeps one service per operator and applies ANY, ALL and EXACT', () => {
    const tsas = [svc('https://a'), svc('https://a2'), svc('https://b', { operator: 'b' }), svc('https://c', { operator: 'c' })];
    assert.deepEqual(select({ tsaUrls: tsas }).tsaURLs, ['https://a']);
    assert.deepEqual(select({ tsaUrls: tsas, tsaConfig: { selector: 'ALL' } }).tsaURLs, ['https://a', 'https://b', 'https://c']);
    assert.deepEqual(select({ tsaUrls: tsas, tsaConfig: { selector: 'EXACT', count: 2 } }).tsaURLs, ['https://a', 'https://b']);
    assert.throws(() => select({ tsaUrls: tsas, tsaConfig: { selector: 'EXACT', count: 4 } }), /asks for exactly 4 timestamp authorities, but only 3/);
  });

  it('uses no TSA when the config lists none, and refuses one without a Fulcio or in another format', () => {
    assert.deepEqual(select({ tsaUrls: [] }).tsaURLs, []);
    assert.throws(() => select({ caUrls: [svc('https://fulcio-v2', { majorApiVersion: 2 })] }), /lists no current Fulcio/);
    assert.throws(() => select({ mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.1+json' }), /unsupported signing config format/);
  });
});
