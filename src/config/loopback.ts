// The one rule for where a credential may be sent: over https, or over plain http only to this
// machine. That is where the local world and test indexes live, and nothing sent there crosses a
// network. The repository URL, the Sigstore services of a trust config and the Actions OIDC endpoint
// are all held to it.
import { isIP } from 'node:net';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** https, or http to a loopback host; false for any other scheme and for what is not a URL. */
export function isHttpsOrLoopback(url: URL | string): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
}
