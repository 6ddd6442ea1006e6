import * as React from 'react';
import { type TabSection, VIEW_KEYS } from '../viewState/viewState';

const SECTIONS: Array<{ key: TabSection; title: string }> = [
  { key: 'events', title: 'Events' },
  { key: 'triggers', title: 'Triggers' },
];

/** This page with our section key set, so a section can be opened in a new tab or copied as a link. */
function buildSectionHref(section: TabSection): string {
  const params = new URLSearchParams(window.location.search);
  if (section === 'events') params.delete(VIEW_KEYS.section);
  else params.set(VIEW_KEYS.section, section);
  const search = params.toString();
  return `${window.location.pathname}${search ? `?${search}` : ''}`;
}

interface SectionTabsProps {
  selected: TabSection;
  onSelect: (section: TabSection) => void;
}

/**
 * Events | Triggers, in argo-ui's tabs markup (`.tabs__nav` links, `active`, the sliding
 * `.tabs__indicator`) so the switch looks like Argo CD's own tabs in light and dark.
 */
export function SectionTabs({ selected, onSelect }: SectionTabsProps) {
  const wrapper = React.useRef<HTMLDivElement>(null);
  const [indicator, setIndicator] = React.useState<{ left: number; right: number } | undefined>();
  // The indicator sits under the chosen link: its place is only known once the links are laid out,
  // and it moves when they change size. On Argo CD's page the Heebo webfont often arrives after the
  // first layout (font-display: swap), which narrows the links; without following that, the
  // indicator stays a few pixels off, under the fallback font's width.
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
  }, [selected]);
  return (
    <div className="tabs cdevents-sections">
      <div className="tabs__nav">
        <div className="tabs__nav-wrapper" ref={wrapper} role="tablist" aria-label="CDEvents views">
          {SECTIONS.map((section) => (
            <a
              key={section.key}
              href={buildSectionHref(section.key)}
              role="tab"
              id={`cdevents-section-${section.key}`}
              aria-selected={section.key === selected}
              aria-controls="cdevents-section-panel"
              className={section.key === selected ? 'active' : undefined}
              onClick={(event) => {
                // A plain click switches in place; a modified one opens the link as the browser would.
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onSelect(section.key);
              }}
            >
              {section.title}
            </a>
          ))}
          {indicator ? <div className="tabs__indicator" style={indicator} /> : null}
        </div>
      </div>
    </div>
  );
}
