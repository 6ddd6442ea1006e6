import { normalizeRepository } from './normalizeRepository';

/**
 * An artifact id read for correlation only: what identifies the artifact
 * (`base`: type, namespace and name) and the versions it is known by (the purl
 * version, and an OCI `tag` qualifier, since a digest and its tag name the same
 * image). Qualifiers other than `tag` and `vcs_url` are ignored, as cdviz's
 * graph does (`derivedFrom`), because emitters disagree on them.
 */
export interface ArtifactIdentity {
  /** `pkg:<type>/<namespace>/<name>`, lower-cased type, decoded segments. */
  base: string;
  type: string;
  /** Decoded versions: the purl version first, then the tag. */
  versions: string[];
  /** For source purls (github, gitlab, bitbucket, git, generic with vcs_url): the repository and revision. */
  repository?: string;
  revision?: string;
}

const SOURCE_HOSTS: Record<string, string> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  bitbucket: 'bitbucket.org',
};

function decode(text: string): string {
  // Most segments have no escapes; every ingested event's purls are read twice.
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const purlType = /^[a-zA-Z][a-zA-Z0-9.+-]*$/;

/**
 * Reads a purl (`pkg:type/namespace/name@version?qualifiers#subpath`) defensively.
 * Undefined for anything that is not a purl: correlation then simply finds nothing.
 * Written with indexOf rather than one regular expression: every ingested event's
 * artifact id is read here, and the lazy pattern it replaced cost more than the rest.
 */
export function parseArtifactId(purl: string): ArtifactIdentity | undefined {
  const text = purl.trim();
  if (!text.startsWith('pkg:')) return undefined;
  const slash = text.indexOf('/', 4);
  const rawType = slash < 0 ? '' : text.slice(4, slash);
  if (!purlType.test(rawType)) return undefined;
  const type = rawType.toLowerCase();
  // The path runs to the first `?` or `#`; qualifiers run from a `?` that comes first to the `#`.
  const hashAt = text.indexOf('#', slash + 1);
  const end = hashAt < 0 ? text.length : hashAt;
  const questionAt = text.indexOf('?', slash + 1);
  const pathEnd = questionAt >= 0 && questionAt < end ? questionAt : end;
  if (pathEnd === slash + 1) return undefined;
  let tag: string | undefined;
  let vcsUrl: string | undefined;
  if (pathEnd < end) {
    for (const pair of text.slice(pathEnd + 1, end).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      // Only these two qualifiers matter here; as in a map, the last of a name wins.
      const name = pair.slice(0, eq).toLowerCase();
      if (name === 'tag') tag = decode(pair.slice(eq + 1));
      else if (name === 'vcs_url') vcsUrl = decode(pair.slice(eq + 1));
    }
  }
  let path = text.slice(slash + 1, pathEnd);
  if (path.startsWith('/') || path.endsWith('/')) path = path.replace(/^\/+|\/+$/g, '');
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > 0) {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments: string[] = [];
  for (const segment of path.split('/')) if (segment !== '') segments.push(decode(segment));
  if (segments.length === 0) return undefined;
  const base = `pkg:${type}/${segments.join('/')}`;
  const versions: string[] = [];
  if (version) versions.push(version);
  if (tag && tag !== version) versions.push(tag);
  const identity: ArtifactIdentity = { base, type, versions };
  // Own keys only: a purl type such as `constructor` must not find Object.prototype's.
  const sourceHost = Object.hasOwn(SOURCE_HOSTS, type) ? SOURCE_HOSTS[type] : undefined;
  if (sourceHost && segments.length >= 2) {
    identity.repository = normalizeRepository(`${sourceHost}/${segments.join('/')}`);
  } else if (type === 'git' && segments.length >= 2) {
    // Not a registered purl type, but the Argo CD proposal's (argo-cd PR #24106) and the argo-cdviz demo's
    // artifactId: pkg:git/<host>/<path>@<sha>, the host first.
    identity.repository = normalizeRepository(segments.join('/'));
  } else if (vcsUrl) {
    // vcs_url may pin a revision itself: git+https://host/org/repo@<sha>
    const pinned = /^(.*\/[^/@]+)@([^/@]+)$/.exec(vcsUrl);
    identity.repository = normalizeRepository(pinned ? pinned[1]! : vcsUrl);
    if (pinned) identity.revision = pinned[2];
  }
  if (identity.repository && version) identity.revision = version;
  return identity;
}

/** The correlation values of an artifact: `base@version` for every version it is known by. */
export function listArtifactKeys(identity: ArtifactIdentity): string[] {
  return identity.versions.map((version) => `${identity.base}@${version}`);
}

/**
 * Reads a container image reference as Argo CD lists it in `status.summary.images`
 * (`ghcr.io/org/auth:1.4.0`, `ghcr.io/org/auth@sha256:…`, `nginx`) as an OCI artifact.
 */
export function parseImageReference(image: string): ArtifactIdentity | undefined {
  const text = image.trim();
  if (text === '' || /\s/.test(text)) return undefined;
  let rest = text;
  const versions: string[] = [];
  const at = rest.indexOf('@');
  if (at > 0) {
    versions.push(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    versions.push(rest.slice(colon + 1));
    rest = rest.slice(0, colon);
  }
  const name = rest.slice(rest.lastIndexOf('/') + 1).toLowerCase();
  if (name === '') return undefined;
  return { base: `pkg:oci/${name}`, type: 'oci', versions };
}
