/**
 * jsdom does no layout: every element is 0×0, so a virtual list would show no rows. This gives
 * the timeline's scroll area a viewport and each row a height, as a browser would.
 */
export function stubLayout(viewport = { width: 800, height: 600 }, rowHeight = 60): () => void {
  const proto = HTMLElement.prototype;
  const clientHeight = Object.getOwnPropertyDescriptor(proto, 'clientHeight');
  const clientWidth = Object.getOwnPropertyDescriptor(proto, 'clientWidth');
  const offsetHeight = Object.getOwnPropertyDescriptor(proto, 'offsetHeight');
  const rect = proto.getBoundingClientRect;
  const isViewport = (el: HTMLElement) => el.classList.contains('cdevents-timeline');
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isViewport(this) ? viewport.height : 0;
    },
  });
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return isViewport(this) ? viewport.width : 0;
    },
  });
  // The virtual list measures rendered rows by offsetHeight: without it every row is 0 px tall and
  // the whole list counts as in view.
  Object.defineProperty(proto, 'offsetHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.hasAttribute('data-index') ? rowHeight : isViewport(this) ? viewport.height : 0;
    },
  });
  proto.getBoundingClientRect = function (this: HTMLElement) {
    const height = this.hasAttribute('data-index') ? rowHeight : isViewport(this) ? viewport.height : 0;
    return {
      x: 0,
      y: 0,
      top: 0,
      left: 0,
      right: viewport.width,
      bottom: height,
      width: viewport.width,
      height,
      toJSON: () => ({}),
    } as DOMRect;
  };
  return () => {
    if (clientHeight) Object.defineProperty(proto, 'clientHeight', clientHeight);
    if (clientWidth) Object.defineProperty(proto, 'clientWidth', clientWidth);
    if (offsetHeight) Object.defineProperty(proto, 'offsetHeight', offsetHeight);
    proto.getBoundingClientRect = rect;
  };
}
