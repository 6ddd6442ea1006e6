import type { ApiError } from './types';

/** Turns a failed call into a sentence that says what happened and what to do about it. */
export function describeApiError(error: ApiError): string {
  switch (error.kind) {
    case 'network':
      return `Could not reach Argo CD (${error.message}). Check your connection and reload the page.`;
    case 'proxy-rejected':
      return `Argo CD's proxy rejected the request${error.message ? ` (${error.message})` : ''}. Reload the page; if it persists, check that this Application's name, namespace and project are valid.`;
    case 'unauthorized':
      return 'Argo CD refused the request: your role needs `extensions, invoke, cdevents` (and `applications, get` on this Application).';
    case 'extension-missing':
      return 'Argo CD does not know the cdevents extension: an administrator must set `server.enable.proxy.extension: "true"` and add `extension.config.cdevents` to argocd-cm.';
    case 'backend':
      return error.status >= 500
        ? `The CDEvents backend failed (HTTP ${error.status}): ${error.body.error.message}. Try again in a moment.`
        : `The CDEvents backend could not answer (HTTP ${error.status}): ${error.body.error.message}.`;
    case 'unavailable':
      return `The CDEvents backend is unavailable (HTTP ${error.status}). Try again in a moment; if it persists, ask an administrator to check the cdevents backend service.`;
    case 'unexpected':
      return `Unexpected answer from Argo CD (HTTP ${error.status})${error.message ? `: ${error.message}` : ''}.`;
  }
}
