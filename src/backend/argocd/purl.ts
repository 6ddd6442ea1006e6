/**
 * Package URLs (purl, github.com/package-url/purl-spec) for what an Argo CD
 * Application deploys: OCI images, Helm charts and git repositories at a
 * revision. A small formatter and parser rather than a dependency: the rules we
 * need are few, and the chains code compares purls by their parsed parts.
 *
 * Encoding follows the spec's examples: `@` and `:` are percent-encoded in the
 * version (`sha256%3A…`, as the CDEvents spec's own example does), qualifier
 * values keep `/` and `:` readable (`repository_url=ghcr.io/org/app`) but encode
 * `+`, `@`, `&`, `=`, `%`, `#`, `?` and spaces. The parser decodes every part,
 * so two spellings of one purl compare equal through `normalisePurl`.
 */

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
  subpath?: string;
}

export class PurlParseError extends Error {
  override readonly name = 'PurlParseError';
}

const TYPE_PATTERN = /^[a-z.+-][a-z0-9.+-]*$/;

/** Types whose namespace and name are case-insensitive and canonically lower case. */
const LOWERCASE_TYPES = new Set(['github', 'gitlab', 'bitbucket', 'oci', 'helm', 'docker']);

function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

function encodeQualifierValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

function decodePart(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch (cause) {
    throw new PurlParseError(`purl ${what} is not valid percent-encoding: ${value}`, { cause });
  }
}

function canonicalise(purl: Purl): Purl {
  const type = purl.type.toLowerCase();
  const lower = LOWERCASE_TYPES.has(type);
  const namespace = purl.namespace
    ?.split('/')
    .filter((segment) => segment.length > 0)
    .join('/');
  return {
    ...purl,
    type,
    namespace: namespace ? (lower ? namespace.toLowerCase() : namespace) : undefined,
    name: lower ? purl.name.toLowerCase() : purl.name,
  };
}

/**
 * Formats a purl in canonical form: lower-case type, qualifiers sorted by key
 * with empty values dropped, `.`/`..` subpath segments removed.
 * @throws PurlParseError when the type or name is unusable.
 */
export function formatPurl(input: Purl): string {
  const purl = canonicalise(input);
  if (!TYPE_PATTERN.test(purl.type)) throw new PurlParseError(`purl type "${purl.type}" is not valid`);
  if (purl.name.length === 0) throw new PurlParseError('purl name is required');
  let out = `pkg:${purl.type}/`;
  if (purl.namespace) out += purl.namespace.split('/').map(encodeSegment).join('/') + '/';
  out += encodeSegment(purl.name);
  if (purl.version) out += '@' + encodeSegment(purl.version);
  const qualifiers = Object.entries(purl.qualifiers ?? {})
    .filter(([, value]) => value.length > 0)
    .map(([key, value]) => [key.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0) {
    out += '?' + qualifiers.map(([key, value]) => `${key}=${encodeQualifierValue(value)}`).join('&');
  }
  const subpath = (purl.subpath ?? '')
    .split('/')
    .filter((segment) => segment.length > 0 && segment !== '.' && segment !== '..');
  if (subpath.length > 0) out += '#' + subpath.map(encodeSegment).join('/');
  return out;
}

/**
 * Parses a purl string into its decoded parts.
 * @throws PurlParseError naming what is wrong.
 */
export function parsePurl(value: string): Purl {
  if (typeof value !== 'string' || !value.startsWith('pkg:')) {
    throw new PurlParseError(`a purl starts with "pkg:": ${String(value)}`);
  }
  let rest = value.slice('pkg:'.length);
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split('/')
      .filter((segment) => segment.length > 0 && segment !== '.' && segment !== '..')
      .map((segment) => decodePart(segment, 'subpath'))
      .join('/');
    rest = rest.slice(0, hash);
  }
  let qualifiers: Record<string, string> | undefined;
  const question = rest.indexOf('?');
  if (question >= 0) {
    qualifiers = {};
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair.length === 0) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new PurlParseError(`purl qualifier "${pair}" has no key=value`);
      const qualifierValue = decodePart(pair.slice(eq + 1), 'qualifier');
      if (qualifierValue.length > 0) qualifiers[pair.slice(0, eq).toLowerCase()] = qualifierValue;
    }
    rest = rest.slice(0, question);
  }
  rest = rest.replace(/^\/+/, '').replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new PurlParseError(`purl has no type/name: ${value}`);
  const type = rest.slice(0, slash).toLowerCase();
  if (!TYPE_PATTERN.test(type)) throw new PurlParseError(`purl type "${type}" is not valid`);
  rest = rest.slice(slash + 1);
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    version = decodePart(rest.slice(at + 1), 'version');
    rest = rest.slice(0, at);
  }
  const segments = rest.split('/').filter((segment) => segment.length > 0);
  const name = segments.pop();
  if (!name) throw new PurlParseError(`purl has no name: ${value}`);
  const namespace = segments.map((segment) => decodePart(segment, 'namespace')).join('/');
  return canonicalise({
    type,
    ...(namespace ? { namespace } : {}),
    name: decodePart(name, 'name'),
    ...(version ? { version } : {}),
    ...(qualifiers && Object.keys(qualifiers).length > 0 ? { qualifiers } : {}),
    ...(subpath ? { subpath } : {}),
  });
}

/** The purl parsed, or undefined when it is not one. */
export function tryParsePurl(value: unknown): Purl | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parsePurl(value);
  } catch {
    return undefined;
  }
}

/** One canonical spelling of a purl, or undefined when it is not one. */
export function normalisePurl(value: unknown): string | undefined {
  const purl = tryParsePurl(value);
  return purl ? formatPurl(purl) : undefined;
}

/** `pkg:<type>/<namespace>/<name>`: the package without version, qualifiers or subpath. */
export function formatPurlBase(value: Purl): string {
  return formatPurl({ type: value.type, namespace: value.namespace, name: value.name });
}

/** True when both name the same package (type, namespace and name), whatever their versions. */
export function isSamePackage(a: string, b: string): boolean {
  const left = tryParsePurl(a);
  const right = tryParsePurl(b);
  return left !== undefined && right !== undefined && formatPurlBase(left) === formatPurlBase(right);
}

/**
 * True when `candidate` is a version of `base`: same package, and `base` either
 * names no version or the same one. Use it to attribute an artifact event to an
 * app that deploys some version of that artifact.
 */
export function isVersionOf(candidate: string, base: string): boolean {
  const left = tryParsePurl(candidate);
  const right = tryParsePurl(base);
  if (!left || !right || formatPurlBase(left) !== formatPurlBase(right)) return false;
  return right.version === undefined || right.version === left.version;
}

const DIGEST_PATTERN = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/**
 * The purl of a container image reference as Kubernetes shows it
 * (`[registry/]path[:tag][@digest]`): `pkg:oci/<name>@<digest>?repository_url=<registry/path>&tag=<tag>`
 * when a digest is known, else the tag (default `latest`) as the version.
 * Docker Hub's short names are expanded as the Docker CLI does (`nginx` → `docker.io/library/nginx`).
 */
export function buildImagePurl(image: string): string | undefined {
  let reference = image.trim();
  if (reference.length === 0 || /\s/.test(reference)) return undefined;
  let digest: string | undefined;
  const at = reference.indexOf('@');
  if (at >= 0) {
    digest = reference.slice(at + 1);
    reference = reference.slice(0, at);
    if (!DIGEST_PATTERN.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = reference.slice(colon + 1);
    reference = reference.slice(0, colon);
  }
  const parts = reference.split('/').filter((part) => part.length > 0);
  if (parts.length === 0) return undefined;
  // A first segment with a dot or a port, or "localhost", is a registry host (the Docker CLI's rule).
  const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  const registry = hasRegistry ? parts.shift()! : 'docker.io';
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  const name = parts[parts.length - 1];
  return formatPurl({
    type: 'oci',
    name,
    version: digest ?? tag ?? 'latest',
    qualifiers: {
      repository_url: `${registry}/${parts.join('/')}`.toLowerCase(),
      ...(digest && tag ? { tag } : {}),
    },
  });
}

/**
 * The purl of a Helm chart at a version. `helm` is the type cdviz's Argo CD
 * transformer uses for charts; the repository URL is kept as Argo CD has it
 * (an `oci://` prefix or a bare OCI registry path both occur in real apps).
 */
export function buildHelmPurl(input: { chart: string; version?: string; repositoryUrl?: string }): string {
  const repositoryUrl = input.repositoryUrl?.replace(/\/+$/, '');
  return formatPurl({
    type: 'helm',
    name: input.chart,
    ...(input.version ? { version: input.version } : {}),
    ...(repositoryUrl ? { qualifiers: { repository_url: repositoryUrl } } : {}),
  });
}

interface ParsedGitUrl {
  host: string;
  path: string;
  /** The URL as a fetchable one (scp-like ssh rewritten to ssh://). */
  url: string;
}

function parseGitUrl(repoURL: string): ParsedGitUrl | undefined {
  const trimmed = repoURL.trim().replace(/\/+$/, '');
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(trimmed);
  if (scpLike && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    const path = scpLike[2].replace(/^\/+/, '');
    return { host: scpLike[1].toLowerCase(), path, url: `ssh://${trimmed.replace(':', '/')}` };
  }
  try {
    const url = new URL(trimmed);
    return { host: url.hostname.toLowerCase(), path: url.pathname.replace(/^\/+/, ''), url: trimmed };
  } catch {
    return undefined;
  }
}

/**
 * The purl of a git repository at a revision: `pkg:github/<owner>/<repo>@<sha>`
 * on github.com, `pkg:gitlab/<group…>/<repo>@<sha>` on gitlab.com, else
 * `pkg:generic/<repo>@<sha>?vcs_url=git+<url>` (`pkg:git` is not a purl type).
 * The app's path inside the repository becomes the subpath.
 */
export function buildGitPurl(input: { repoURL: string; revision?: string; path?: string }): string | undefined {
  const parsed = parseGitUrl(input.repoURL);
  if (!parsed) return undefined;
  const segments = parsed.path
    .replace(/\.git$/, '')
    .split('/')
    .filter((segment) => segment.length > 0);
  const name = segments.pop();
  if (!name) return undefined;
  const version = input.revision || undefined;
  const subpath = input.path && input.path !== '.' ? input.path : undefined;
  if ((parsed.host === 'github.com' || parsed.host === 'gitlab.com') && segments.length > 0) {
    return formatPurl({
      type: parsed.host === 'github.com' ? 'github' : 'gitlab',
      namespace: segments.join('/'),
      name,
      version,
      subpath,
    });
  }
  return formatPurl({
    type: 'generic',
    name,
    version,
    qualifiers: { vcs_url: `git+${parsed.url}` },
    subpath,
  });
}
