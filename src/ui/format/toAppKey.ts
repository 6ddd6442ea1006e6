import type { AppKey } from '../api/types';
import type { ArgoApplication } from '../argo';

/** The three fields that identify an Application to Argo CD's proxy; undefined when any is missing. */
export function toAppKey(app: ArgoApplication | undefined): AppKey | undefined {
  const namespace = app?.metadata?.namespace;
  const name = app?.metadata?.name;
  const project = app?.spec?.project;
  if (!namespace || !name || !project) return undefined;
  return { namespace, name, project };
}
