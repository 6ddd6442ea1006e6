import * as React from 'react';

/**
 * In Argo CD's app view the extension sits in a box that scrolls on its own (616 px high at 1440×900
 * on v3.5.1 and v3.4.7), not in the window. Sized from the window (100vh less a guess), the timeline
 * was taller than that box: two nested scroll areas, and the sticky drawer's foot out of view. This
 * measures the nearest scrolling ancestor and returns, for `fit: 'rest'`, the height that makes `ref`'s
 * element end at that box's visible bottom (less its padding) but at least `minHeight`, or for
 * `fit: 'box'` the box's visible height less its paddings (a sticky element's most); never more than
 * that, so once the box is scrolled to its end the element is wholly in view. Undefined when the
 * window itself scrolls or the element is not `within`, so the stylesheet's own height applies.
 */
export function useFillScrollBox(
  ref: React.RefObject<HTMLElement | null>,
  options: {
    /** Only inside an ancestor matching this selector (e.g. the app view's root); elsewhere undefined. */
    within: string;
    minHeight: number;
    fit: 'rest' | 'box';
  },
): number | undefined {
  const [height, setHeight] = React.useState<number | undefined>(undefined);
  const { within, minHeight, fit } = options;

  React.useEffect(() => {
    const element = ref.current;
    if (!element || !element.closest(within)) return undefined;
    const box = findScrollBox(element);
    if (!box) return undefined;
    const measure = () => {
      const style = window.getComputedStyle(box);
      const paddingBottom = parseFloat(style.paddingBottom) || 0;
      const above =
        fit === 'box'
          ? parseFloat(style.paddingTop) || 0
          : element.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      const boxHeight = box.clientHeight - (parseFloat(style.paddingTop) || 0) - paddingBottom;
      // Never taller than the box: scrolled to its end, the whole element is in view.
      const next = Math.floor(Math.min(boxHeight, Math.max(minHeight, box.clientHeight - above - paddingBottom)));
      setHeight((previous) => (previous === next ? previous : next));
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined;
    observer?.observe(box);
    // What sits above the element (a summary strip, filters, a message) arrives later and pushes it down.
    for (let node = element.parentElement; node && node !== box; node = node.parentElement) observer?.observe(node);
    return () => {
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, [ref, within, minHeight, fit]);

  return height;
}

/** The nearest ancestor that scrolls vertically, unless that is the page itself. */
export function findScrollBox(element: HTMLElement): HTMLElement | undefined {
  for (let node = element.parentElement; node; node = node.parentElement) {
    if (node === document.body || node === document.documentElement) return undefined;
    const overflowY = window.getComputedStyle(node).overflowY;
    if (overflowY === 'auto' || overflowY === 'scroll') return node;
  }
  return undefined;
}
