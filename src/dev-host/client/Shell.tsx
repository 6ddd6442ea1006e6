import * as React from 'react';
import type { ExtensionsHost } from './createExtensionsApi';
import type { DevHostPageData } from '../renderHostPage';
import { useExtensions } from './useExtensions';
import { useLocation } from './useLocation';
import { useTheme } from './useTheme';
import { ApplicationList } from './ApplicationList';
import { ApplicationDetails } from './ApplicationDetails';

export interface ShellProps {
  host: ExtensionsHost;
  data: DevHostPageData;
}

/** The page layout of the stand-in: sidebar, top bar with the React version, and the routed view. */
export function Shell({ host, data }: ShellProps) {
  const registry = useExtensions(host);
  const [location, navigate] = useLocation();
  const [theme, toggleTheme] = useTheme();
  // As Argo CD's Layout does: the body's own background follows the theme, so the page behind a
  // short view or past the layout is #100f0f in dark, not argo-ui's light #dee6eb.
  React.useEffect(() => {
    document.body.style.background = theme === 'dark' ? '#100f0f' : '#dee6eb';
  }, [theme]);

  const match = /^\/applications\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
  const app = match
    ? data.applications.find((a) => a.metadata.namespace === match[1] && a.metadata.name === match[2])
    : undefined;
  const systemExtension = registry.systemLevel.find((ext) => location.pathname === `/${ext.path.replace(/^\//, '')}`);

  let content: React.ReactNode;
  if (match && app) {
    content = (
      <ApplicationDetails
        app={app}
        tree={data.trees[app.metadata.name]}
        registry={registry}
        location={location}
        navigate={navigate}
      />
    );
  } else if (match) {
    content = <div className="devhost-empty">Application {`${match[1]}/${match[2]}`} not found</div>;
  } else if (systemExtension) {
    const Component = systemExtension.component;
    content = <Component />;
  } else {
    content = <ApplicationList applications={data.applications} navigate={navigate} />;
  }

  return (
    <div className={`theme-${theme}`}>
      <div className="devhost-layout">
        <nav className="devhost-sidebar">
          <div className="devhost-logo" title="A local stand-in for argocd-server">
            argo<span>CD</span>
            <small>local stand-in</small>
          </div>
          <a
            className="devhost-nav-item"
            href="applications"
            onClick={(e) => {
              e.preventDefault();
              navigate('/applications');
            }}
          >
            Applications
          </a>
          {registry.systemLevel.map((ext) => (
            <a
              key={ext.path}
              className="devhost-nav-item"
              href={ext.path.replace(/^\//, '')}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/${ext.path.replace(/^\//, '')}`);
              }}
            >
              <i className={`fa ${ext.icon}`} /> {ext.title}
            </a>
          ))}
        </nav>
        <div className="devhost-main">
          <header className="devhost-topbar">
            <span className="devhost-breadcrumbs">Applications{app ? ` / ${app.metadata.name}` : ''}</span>
            <span className="devhost-react-version" data-testid="react-version">
              React {React.version}
            </span>
            <span className="devhost-user">{data.user.username}</span>
          </header>
          <div className="devhost-content">{content}</div>
        </div>
      </div>
      <button
        type="button"
        className="devhost-button devhost-theme-toggle"
        onClick={toggleTheme}
        data-testid="theme-toggle"
      >
        {theme === 'dark' ? 'Light mode' : 'Dark mode'}
      </button>
    </div>
  );
}
