import { CDEventsAppView } from '../../src/ui/components/CDEventsAppView';
import { CDEventsTab } from '../../src/ui/components/CDEventsTab';
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
});
