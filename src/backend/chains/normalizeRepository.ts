/**
 * One spelling for a git repository, so that Argo CD's `spec.source.repoURL`
 * (`https://github.com/org/app.git`, `git@github.com:org/app.git`) and what
 * other tools put in events (GitHub's API URL `https://api.github.com/repos/org/app`,
 * a purl's `vcs_url=git+https://…`) compare equal.
 *
 * The result is `<host>/<path>`, lower-cased, without scheme, credentials,
 * port, `.git` suffix or trailing slash. Undefined when the input names no
 * repository (empty, or only a host).
 */
export function normalizeRepository(input: string): string | undefined {
  let text = input.trim();
  if (text === '') return undefined;
  text = text.replace(/^git\+/, '');
  // scp-like syntax: git@github.com:org/app.git
  const scp = /^[^@/\s]+@([^:/\s]+):(.+)$/.exec(text);
  if (scp) text = `${scp[1]}/${scp[2]}`;
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  text = text.replace(/^[^@/]*@/, '');
  text = text.replace(/[?#].*$/, '');
  const slash = text.indexOf('/');
  if (slash <= 0) return undefined;
  const host = text
    .slice(0, slash)
    .replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .toLowerCase();
  let path = text
    .slice(slash + 1)
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  let normalHost = host;
  // GitHub's REST API names a repository /repos/<owner>/<repo>; the web and git URLs omit it.
  if (host === 'api.github.com' && path.startsWith('repos/')) {
    normalHost = 'github.com';
    path = path.slice('repos/'.length).split('/').slice(0, 2).join('/');
  }
  if (path === '') return undefined;
  return `${normalHost}/${path.toLowerCase()}`;
}
