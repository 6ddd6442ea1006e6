/**
 * An oracle for Argo CD's proxy-extension settings, written from the rules in
 * ../shared/research/argocd-extensions.md §4.2 (argo-cd server/extension/extension.go validateConfigs,
 * util/settings ReplaceStringSecret). A config that fails any of these makes argocd-server register
 * no proxy extension at all, so the tab would get 404 "Extension not found" for every request.
 */
import { parse } from 'yaml';

export interface ExtensionHeader {
  name?: unknown;
  value?: unknown;
}
export interface ExtensionService {
  url?: unknown;
  headers?: ExtensionHeader[];
  cluster?: { name?: unknown; server?: unknown };
}
export interface ExtensionBackend {
  services?: ExtensionService[];
}
export interface ExtensionEntry {
  name: string;
  backend: ExtensionBackend;
}

/** A Secret that `$name:key` references may point at: its name, labels and keys. */
export interface SecretTemplate {
  name: string;
  labels: Record<string, string>;
  keys: string[];
}

export const extensionNamePattern = /^[A-Za-z0-9-_]+$/;

/** Reads the value of `extension.config` (the combined list) into entries. */
export function parseCombinedExtensionConfig(text: string): ExtensionEntry[] {
  const parsed = parse(text) as { extensions?: Array<{ name?: unknown; backend?: ExtensionBackend }> } | null;
  return (parsed?.extensions ?? []).map((e) => ({ name: String(e.name ?? ''), backend: e.backend ?? {} }));
}

/** Reads `extension.config.<name>`: the key names the extension, the value is its backend. */
export function parseNamedExtensionConfig(key: string, text: string): ExtensionEntry {
  const prefix = 'extension.config.';
  if (!key.startsWith(prefix)) throw new Error(`${key} is not an extension.config.<name> key`);
  return { name: key.slice(prefix.length), backend: (parse(text) as ExtensionBackend | null) ?? {} };
}

/**
 * Returns every reason Argo CD would reject these entries (empty when it accepts them), plus the
 * secret references that would not resolve against the given Secret templates.
 */
export function findExtensionConfigProblems(entries: ExtensionEntry[], secrets: SecretTemplate[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const where = `extension "${entry.name}"`;
    if (entry.name === '') problems.push('extension name is empty');
    else if (!extensionNamePattern.test(entry.name)) problems.push(`${where}: name does not match ^[A-Za-z0-9-_]+$`);
    if (seen.has(entry.name)) problems.push(`${where}: duplicate name`);
    seen.add(entry.name);
    const services = entry.backend.services ?? [];
    if (services.length === 0) problems.push(`${where}: backend.services is empty`);
    services.forEach((service, i) => {
      const at = `${where} service ${i}`;
      if (typeof service.url !== 'string' || service.url === '') problems.push(`${at}: url is empty`);
      if (services.length > 1) {
        if (!service.cluster) problems.push(`${at}: cluster is required when there is more than one service`);
        else if (!service.cluster.name && !service.cluster.server) problems.push(`${at}: cluster needs name or server`);
      }
      (service.headers ?? []).forEach((header, j) => {
        if (typeof header.name !== 'string' || header.name === '') problems.push(`${at} header ${j}: name is empty`);
        if (typeof header.value !== 'string' || header.value === '') {
          problems.push(`${at} header ${j}: value is empty`);
          return;
        }
        problems.push(...findSecretReferenceProblems(`${at} header ${header.name}`, header.value, secrets));
      });
    });
  }
  return problems;
}

function findSecretReferenceProblems(at: string, value: string, secrets: SecretTemplate[]): string[] {
  // Argo CD resolves a value only when the whole value is the reference; a `$` further in is
  // sent literally, so a secret would never reach the backend.
  if (!value.startsWith('$')) {
    return value.includes('$') ? [`${at}: "$" not at the start is sent literally, not resolved`] : [];
  }
  const reference = value.slice(1).trim();
  const colon = reference.indexOf(':');
  if (colon < 0)
    return [`${at}: $${reference} reads argocd-secret, which deploy/ does not manage; use $<secret>:<key>`];
  const secretName = reference.slice(0, colon);
  const key = reference.slice(colon + 1);
  const secret = secrets.find((s) => s.name === secretName);
  if (!secret) return [`${at}: Secret ${secretName} is not in deploy/`];
  const problems: string[] = [];
  if (secret.labels['app.kubernetes.io/part-of'] !== 'argocd') {
    problems.push(`${at}: Secret ${secretName} lacks the label app.kubernetes.io/part-of=argocd`);
  }
  if (!secret.keys.includes(key)) problems.push(`${at}: Secret ${secretName} has no key ${key}`);
  return problems;
}
