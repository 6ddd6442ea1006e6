/**
 * Reads every YAML file under deploy/ the way kubectl would: each file may hold several documents,
 * and a file that does not parse cleanly is an error, not an empty list.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { parseAllDocuments } from 'yaml';

export const deployDir = join(__dirname, '../../deploy');

export interface Manifest {
  /** Path relative to deploy/, e.g. "base/deployment.yaml". */
  file: string;
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  // The rest is whatever the document holds; tests narrow it where they read it.
  [key: string]: unknown;
}

/** Every *.yaml / *.yml file under deploy/, relative to it, sorted. */
export function listYamlFiles(dir = deployDir): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out;
}

/** Parses one file under deploy/ into its documents; throws naming the file on any YAML error. */
export function parseYamlFile(file: string): Manifest[] {
  const text = readFileSync(join(deployDir, file), 'utf8');
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
  const manifests: Manifest[] = [];
  for (const doc of docs) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value == null) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: a document is not a mapping`);
    manifests.push({ ...(value as Record<string, unknown>), file });
  }
  return manifests;
}

/** Every document of every YAML file under deploy/. */
export function loadAllManifests(): Manifest[] {
  return listYamlFiles().flatMap(parseYamlFile);
}

/** The one document of the given kind and name in a file; throws if there is not exactly one. */
export function findOne(manifests: Manifest[], kind: string, name: string, file?: string): Manifest {
  const found = manifests.filter(
    (m) => m.kind === kind && m.metadata?.name === name && (file === undefined || m.file === file),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${kind}/${name}${file ? ` in ${file}` : ''}, found ${found.length}`);
  return found[0];
}

/** A ConfigMap's data entry as a string; throws naming the key when it is missing or not a string. */
export function readConfigMapValue(configMap: Manifest, key: string): string {
  const data = configMap.data as Record<string, unknown> | undefined;
  const value = data?.[key];
  if (typeof value !== 'string') throw new Error(`${configMap.file}: data["${key}"] is ${typeof value}, not a string`);
  return value;
}
