// Builds the stand-in's browser side: the React 19 host globals (React 19 ships no UMD
// build; React 16.14's UMD files are served as they are) and the shell, a classic script
// that uses whichever React the page loaded, like an Argo CD UI would.
const path = require('path');

const tsRule = {
  test: /\.tsx?$/,
  exclude: /node_modules/,
  use: {
    loader: 'ts-loader',
    options: {
      transpileOnly: true,
      compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2019', jsx: 'react', noEmit: false },
    },
  },
};

const common = {
  mode: 'production',
  target: ['web', 'es2019'],
  resolve: { extensions: ['.tsx', '.ts', '.js'] },
  performance: { hints: false },
  devtool: false,
  // Minifying react-dom costs seconds at every start and buys nothing locally.
  optimization: { minimize: false },
  infrastructureLogging: { level: 'error' },
};

/** @param {string} outDir where react19.js and shell.js are written */
module.exports = function createHostWebpackConfig(outDir) {
  return [
    {
      ...common,
      name: 'react19',
      entry: path.resolve(__dirname, 'client/hostReact19.ts'),
      output: { path: outDir, filename: 'react19.js', iife: true },
      module: { rules: [tsRule] },
    },
    {
      ...common,
      name: 'shell',
      entry: path.resolve(__dirname, 'client/main.tsx'),
      output: { path: outDir, filename: 'shell.js', iife: true },
      externalsType: 'var',
      externals: { react: 'React', 'react-dom': 'ReactDOM' },
      module: {
        rules: [
          tsRule,
          {
            // The stand-in for argo-ui's stylesheet gets a <style> of its own, named, so a test can tell
            // the host's rules from the extension's.
            test: /argo-ui\.css$/,
            use: [
              {
                loader: 'style-loader',
                options: { injectType: 'singletonStyleTag', attributes: { 'data-stylesheet': 'argo-ui' } },
              },
              'css-loader',
            ],
          },
          {
            test: /\.css$/,
            exclude: /argo-ui\.css$/,
            use: [{ loader: 'style-loader', options: { injectType: 'singletonStyleTag' } }, 'css-loader'],
          },
        ],
      },
    },
  ];
};
