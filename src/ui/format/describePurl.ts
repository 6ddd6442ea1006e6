/**
 * A package URL as a person reads it: "auth 1.14.0" for
 * pkg:oci/auth@sha256%3A34e6…?repository_url=ghcr.io/example-org/auth&tag=1.14.0. The version is
 * the tag when the purl pins a digest and names its tag, else a digest cut to 12 characters
 * ("sha256:34e6ca7f8e48"). Anything that is not a purl is returned as it is. Pure.
 */
export function describePurl(purl: string): string {
  const match = /^pkg:[^/]+\/(?:[^@?#]*\/)?([^/@?#]+)(?:@([^?#]*))?(?:\?([^#]*))?/.exec(purl);
  if (!match) return purl;
  const name = decodeSafely(match[1]!);
  const version = match[2] === undefined ? undefined : decodeSafely(match[2]);
  const tag = readQualifier(match[3], 'tag');
  if (!version) return tag ? `${name} ${tag}` : name;
  if (!isDigest(version)) return `${name} ${version}`;
  return `${name} ${tag ?? version.slice(0, version.indexOf(':') + 13)}`;
}

function isDigest(version: string): boolean {
  return /^[a-z0-9]+:[0-9a-f]{16,}$/i.test(version);
}

function readQualifier(query: string | undefined, name: string): string | undefined {
  for (const pair of (query ?? '').split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === name) return decodeSafely(pair.slice(eq + 1)) || undefined;
  }
  return undefined;
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
