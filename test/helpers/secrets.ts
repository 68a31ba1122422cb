// The one secret scan of the suites: no token, JWT or password the world issued (journalled in
// $WORLD_DIR/issued-secrets.txt, read by World.secrets()) may appear in anything a run printed or wrote,
// whole or in part (a JWT's segments, the body of a `pypi-` token), written plainly or as a quote
// would write it: JSON-escaped (`\/`, `\uXXXX`), URL-encoded, HTML entities, base64 or base64url.
// Written apart from the action's scrubber (src/report/scrub.ts) on purpose: the judge is not the judged.
import assert from 'node:assert/strict';

/** Lengths the judge hunts for, no higher than the scrubber's: a whole secret, a piece of one, a base64 form. */
const MIN_SECRET = 4;
const MIN_PIECE = 8;
const MIN_ENCODED = 6;

/** The pieces of a secret that are secrets on their own. */
function pieces(secret: string): string[] {
  const out = new Set([secret]);
  const segments = secret.split('.');
  if (segments.length === 3) for (const s of segments) out.add(s);
  const m = /^[a-z]+-(.+)$/s.exec(secret);
  if (m?.[1]) out.add(m[1]);
  return [...out].filter((p) => p.length >= (p === secret ? MIN_SECRET : MIN_PIECE));
}

/** base64 and base64url of a piece at the three alignments it can have inside a longer encoded text. */
function base64Forms(piece: string): string[] {
  const forms: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const b64 = Buffer.from(piece.slice(skip)).toString('base64').replace(/=+$/, '');
    const stable = (piece.length - skip) % 3 === 0 ? b64 : b64.slice(0, -1);
    forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms.filter((f) => f.length >= MIN_ENCODED);
}

/** The text as printed, and as it reads once JSON escapes, percent-encoding and HTML entities are undone. */
function views(text: string): string[] {
  const json = text.replace(/\\+u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\+([/"\\])/g, '$1');
  const url = (s: string) =>
    s.replace(/(?:%[0-9a-fA-F]{2})+/g, (seq) => {
      try {
        return decodeURIComponent(seq);
      } catch {
        return seq;
      }
    });
  const html = (s: string) =>
    s
      .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...new Set([text, json, url(text), url(json), html(text), html(json)])];
}

/**
 * The secrets, or recognisable pieces of them, that appear in the text in any of the forms above.
 * `::add-mask::` commands are the runner's protocol for masking and never reach a log, so they are
 * left out of the scan.
 */
export function findSecrets(output: string, secrets: string[]): string[] {
  const text = output
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const seen = views(text);
  return secrets
    .filter((s) => s.length >= MIN_SECRET)
    .filter((s) => pieces(s).some((piece) => [piece, ...base64Forms(piece)].some((form) => seen.some((view) => view.includes(form)))));
}

/** What each run printed or wrote (ActionRun.everything), by a label for the failure message. */
export type ScannedRuns = ReadonlyArray<{ everything: string }> | ReadonlyMap<string, { everything: string }>;

/** No secret the world journalled (or `extra`) appears in any of the runs; names each leak by its first characters only. */
export async function assertNoSecretLeaked(world: { secrets(): Promise<string[]> }, runs: ScannedRuns, extra: string[] = []): Promise<void> {
  const secrets = [...(await world.secrets()), ...extra];
  assert.ok(secrets.length > 0, 'the world journals the secrets it issues');
  const labelled = Array.isArray(runs) ? runs.map((r, i) => [`run ${i}`, r] as const) : [...(runs as ReadonlyMap<string, { everything: string }>)];
  const leaks = labelled.flatMap(([label, r]) => findSecrets(r.everything, secrets).map((s) => `${label}: ${s.slice(0, 12)}…`));
  assert.deepEqual(leaks, []);
}
