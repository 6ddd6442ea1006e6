/**
 * The zoom a chain opens at. Fitting the whole chain into the view is best
 * when its smallest text stays readable; a wide chain would shrink to
 * unreadable boxes, so it opens at the smallest readable zoom instead and the
 * view scrolls to the event the chain starts from.
 */

/** The smallest text a reader should have to read, in CSS pixels on screen. */
export const MIN_READABLE_PX = 11;
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2;

export interface InitialZoom {
  zoom: number;
  /** True when the chain's whole width is in view at that zoom. */
  fits: boolean;
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The zoom at which text of `fontPx` is exactly `MIN_READABLE_PX` on screen, rounded up to a whole percent. */
export function findReadableZoom(fontPx: number): number {
  return Math.ceil((MIN_READABLE_PX / fontPx) * 100) / 100;
}

/**
 * `viewportWidth` 0 means the view has not been measured (no layout engine):
 * the chain then opens at 100 %.
 */
export function chooseInitialZoom(graphWidth: number, viewportWidth: number, smallestFontPx: number): InitialZoom {
  if (viewportWidth <= 0 || graphWidth <= 0) return { zoom: 1, fits: viewportWidth >= graphWidth };
  const fit = viewportWidth / graphWidth;
  const readable = findReadableZoom(smallestFontPx);
  if (fit >= readable) return { zoom: Math.min(1, Math.floor(fit * 100) / 100), fits: true };
  return { zoom: readable, fits: false };
}
