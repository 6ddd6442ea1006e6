/**
 * The parts of Argo CD's UI models this extension reads (ui/src/app/shared/models.ts).
 * Only what we use, so a model change elsewhere in Argo CD cannot break the type check.
 */
export interface ArgoApplication {
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec: { project: string; [key: string]: unknown };
  status?: unknown;
}

/** Props of a resource tab (registerResourceExtension). For kind Application, resource is the app. */
export interface ResourceTabProps {
  resource?: ArgoApplication;
  tree?: unknown;
  application?: ArgoApplication;
}

/** Props of a full-width application view (registerAppViewExtension). */
export interface AppViewProps {
  application?: ArgoApplication;
  tree?: unknown;
}
