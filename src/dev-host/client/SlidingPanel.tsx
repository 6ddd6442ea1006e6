import * as React from 'react';

export interface SlidingPanelProps {
  label: string;
  onClose: () => void;
  children: React.ReactNode;
}

/**
 * argo-ui's SlidingPanel as Argo CD renders it: a shade over the whole page (`.sliding-panel`), the
 * panel at 80% from the right (`__wrapper`), its close button and a padded, scrolling `__body`.
 */
export function SlidingPanel({ label, onClose, children }: SlidingPanelProps) {
  return (
    <div className="sliding-panel sliding-panel--opened devhost-sliding-panel" role="dialog" aria-label={label}>
      <div className="sliding-panel__wrapper">
        {/* argo-ui's close button has no type (so Foundation's appearance: none holds) and an icon in a
            span; the stand-in draws Font Awesome's xmark for argo-ui's own icon font. It keeps a
            label where argo-ui has aria-hidden, so tests and screen readers can find it. */}
        <button className="sliding-panel__close" onClick={onClose} aria-label="Close">
          <span>
            <i className="argo-icon-close fa fa-xmark" aria-hidden="true" />
          </span>
        </button>
        <div className="sliding-panel__body">{children}</div>
      </div>
    </div>
  );
}

export interface HostTab {
  key: string;
  title: string;
  icon?: string;
}

/**
 * argo-ui's Tabs in their transparent form, as the resource details panel shows them: upper-case links,
 * the chosen one under a sliding indicator. role="tab" is the stand-in's, for tests to find them.
 */
export function HostTabs({
  tabs,
  selected,
  onSelect,
  children,
}: {
  tabs: HostTab[];
  selected: string;
  onSelect: (key: string) => void;
  children: React.ReactNode;
}) {
  const wrapper = React.useRef<HTMLDivElement>(null);
  const [indicator, setIndicator] = React.useState<{ left: number; right: number } | undefined>();
  // Placed under the chosen link, and placed again when the links change size (the Heebo webfont
  // arriving after the first layout), as argo-ui's Tabs places it again after each update.
  React.useLayoutEffect(() => {
    const box = wrapper.current;
    if (!box) return undefined;
    const place = () => {
      const active = box.querySelector<HTMLElement>('a.active');
      if (!active) return;
      const next = { left: active.offsetLeft, right: box.offsetWidth - active.offsetLeft - active.offsetWidth };
      setIndicator((current) => (current?.left === next.left && current.right === next.right ? current : next));
    };
    place();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(place);
    observer.observe(box);
    box.querySelectorAll('a').forEach((link) => observer.observe(link));
    return () => observer.disconnect();
  }, [selected, tabs.length]);
  return (
    <div className="tabs">
      <div className="tabs__nav transparent">
        <div className="tabs__nav-wrapper" ref={wrapper} role="tablist">
          {tabs.map((tab) => (
            <a
              key={tab.key}
              href={`#${tab.key}`}
              role="tab"
              aria-selected={tab.key === selected}
              className={tab.key === selected ? 'active' : undefined}
              onClick={(event) => {
                event.preventDefault();
                onSelect(tab.key);
              }}
            >
              {tab.icon ? <i className={`fa ${tab.icon}`} /> : null} {tab.title}
            </a>
          ))}
          {indicator ? <div className="tabs__indicator" style={indicator} /> : null}
        </div>
      </div>
      <div className="tabs__content">{children}</div>
    </div>
  );
}
