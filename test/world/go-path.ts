// Go's path.Clean: the shortest path naming the same file, by purely lexical processing (empty and
// `.` elements dropped, `..` taking back the element before it, or dropped at the root, no trailing
// slash). go-openapi's router cleans a request's path so before it looks for a route, which is how
// rekor-server and timestamp-authority serve `/api/v1/log/entries/retrieve/` as the route without the
// slash. __tests__/world/go-json.test.ts holds it to Go's own path.Clean.

export function goPathClean(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  // The `..` elements a relative path starts with, which nothing can take back.
  let stuck = 0;
  for (const element of path.split('/')) {
    if (element === '' || element === '.') continue;
    if (element !== '..') out.push(element);
    else if (out.length > stuck) out.pop();
    else if (!rooted) stuck = out.push('..');
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
