import { CDEventsAppView } from '../../src/ui/components/CDEventsAppView';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
import { DashboardPage } from '../../src/ui/components/dashboard/DashboardPage';
import { registerExtension } from '../../src/ui/registerExtension';

describe('registering with Argo CD', () => {
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    error.mockRestore();
  });

  it('adds the CDEvents tab to every Application and a full-width app view', () => {
    const registerResourceExtension = jest.fn();
    const registerAppViewExtension = jest.fn();
    expect(registerExtension({ extensionsAPI: { registerResourceExtension, registerAppViewExtension } })).toEqual([
      'resource',
      'appView',
    ]);
    expect(registerResourceExtension).toHaveBeenCalledWith(CDEventsTab, 'argoproj.io', 'Application', 'CDEvents', {
      icon: 'fa-bolt',
    });
    expect(registerAppViewExtension).toHaveBeenCalledWith(CDEventsAppView, 'CDEvents', 'fa-bolt');
  });

  it('does not throw when window.extensionsAPI is missing, and says why nothing was registered', () => {
    expect(registerExtension({})).toEqual([]);
    expect(registerExtension(undefined)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('window.extensionsAPI is missing'));
  });

  it('still registers the tab on Argo CD before 2.7, which has no registerAppViewExtension', () => {
    const registerResourceExtension = jest.fn();
    expect(registerExtension({ extensionsAPI: { registerResourceExtension } })).toEqual(['resource']);
  });

  it('keeps going when a register function throws, so extensions loaded after ours still load', () => {
    const registerAppViewExtension = jest.fn();
    const result = registerExtension({
      extensionsAPI: {
        registerResourceExtension: () => {
          throw new Error('boom');
        },
        registerAppViewExtension,
      },
    });
    expect(result).toEqual(['appView']);
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('registering the Application tab failed'),
      expect.any(Error),
    );
  });

  describe('the developer dashboard', () => {
    afterEach(() => document.getElementById('app')?.remove());

    it('registers at once when Argo CD has rendered (3.4 and older render before extensions.js runs)', () => {
      const app = document.body.appendChild(document.createElement('div'));
      app.id = 'app';
      app.appendChild(document.createElement('div'));
      const registerSystemLevelExtension = jest.fn();
      expect(registerExtension({ extensionsAPI: { registerSystemLevelExtension } })).toEqual(['systemLevel']);
      expect(registerSystemLevelExtension).toHaveBeenCalledWith(DashboardPage, 'CDEvents', '/cdevents', 'fa-bolt');
    });

    it('waits for Argo CD 3.5 to render its App (React 19 renders after extensions.js), which would drop it', async () => {
      const app = document.body.appendChild(document.createElement('div'));
      app.id = 'app';
      const registerSystemLevelExtension = jest.fn();
      registerExtension({ extensionsAPI: { registerSystemLevelExtension } });
      expect(registerSystemLevelExtension).not.toHaveBeenCalled();
      app.appendChild(document.createElement('div'));
      await Promise.resolve(); // mutation observers run as a microtask
      expect(registerSystemLevelExtension).toHaveBeenCalledTimes(1);
      expect(registerSystemLevelExtension).toHaveBeenCalledWith(DashboardPage, 'CDEvents', '/cdevents', 'fa-bolt');
    });
  });
});
