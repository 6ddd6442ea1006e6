/**
 * The React 19 host globals, set as Argo CD >= 3.5 sets them in ui/src/app/index.tsx:
 * window.React, window.ReactDOM (the react-dom module, which has no render() in 19)
 * and window.ReactJSXRuntime. react-dom/client stays private to the shell, under a
 * dev-host name, because Argo CD does not expose it to extensions.
 */
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as ReactJSXRuntime from 'react/jsx-runtime';

const host = window as unknown as Record<string, unknown>;
host.React = React;
host.ReactDOM = ReactDOM;
host.ReactJSXRuntime = ReactJSXRuntime;
host.DevHostReactDOMClient = ReactDOMClient;
