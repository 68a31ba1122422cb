// The simple index verify asks, named by --index-url or by a lock package's `index`: one rule for both.
import { isHttpsOrLoopback } from '../config/loopback.ts';

/** Why a value is no index verify may ask. */
export type IndexUrlProblem = 'not-a-url' | 'credentials' | 'not-https';

/**
 * `value` as a simple index base: a URL, https (plain http only to this machine), ending in "/".
 * verify reads only what an index serves anyone, so a credential in it is never sent nor shown:
 * refused where the user typed it, dropped where a locker recorded it.
 */
export function readIndexUrl(value: string, credentials: 'refuse' | 'drop'): URL | IndexUrlProblem {
  const url = URL.parse(value);
  if (!url) return 'not-a-url';
  if (url.username || url.password) {
    if (credentials === 'refuse') return 'credentials';
    url.username = '';
    url.password = '';
  }
  if (!isHttpsOrLoopback(url)) return 'not-https';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
