import type { ChainNodeApp } from '../../../backend/api/contract';
import { VIEW_KEYS } from '../../viewState/viewState';

/**
 * The URL of another app's CDEvents view with one event open, relative to Argo
 * CD's <base href> (never `/`-absolute, so --rootpath installs work):
 * `applications/<namespace>/<name>?view=CDEvents&cde_event=<key>`. The app
 * view is used because it is addressable by URL; the resource tab is not.
 */
/** The app view's title as registerExtension.ts registers it; Argo CD keys app views by title. */
const APP_VIEW_TITLE = 'CDEvents';

export function buildAppTabHref(
  app: Pick<ChainNodeApp, 'namespace' | 'name'>,
  eventKey: string,
  baseURI: string,
): string {
  const url = new URL(`applications/${encodeURIComponent(app.namespace)}/${encodeURIComponent(app.name)}`, baseURI);
  url.searchParams.set('view', APP_VIEW_TITLE);
  url.searchParams.set(VIEW_KEYS.event, eventKey);
  return url.toString();
}
