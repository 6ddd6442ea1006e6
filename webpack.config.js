// Builds src/ui into one classic script that Argo CD concatenates into /extensions.js.
// React and ReactDOM come from the host page (window.React / window.ReactDOM), so
// one bundle runs on Argo CD's React 16.14 (<= 3.4) and React 19 (>= 3.5) alike.
const path = require('path');

/** @type {import('webpack').Configuration} */
module.exports = {
  entry: path.resolve(__dirname, 'src/ui/index.tsx'),
  // es2019 so the browsers behind Argo CD 2.x parse the output (no ?. or ?? in the emitted code).
  target: ['web', 'es2019'],
  output: {
    path: path.resolve(__dirname, 'dist/resources/extension-cdevents.js'),
    filename: 'extensions-cdevents.js',
    // A plain IIFE with no library export: nothing leaks onto window and there is no top-level import/export.
    iife: true,
    clean: true,
  },
  externalsType: 'var',
  // Exactly these two: Argo CD before 3.5 has no window.ReactJSXRuntime, so JSX stays classic (React.createElement).
  externals: { react: 'React', 'react-dom': 'ReactDOM' },
  resolve: { extensions: ['.tsx', '.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          options: {
            // Only transpile: `npm run typecheck` checks types once for the whole repository.
            transpileOnly: true,
            // ES modules out of ts-loader so webpack can tree-shake; es2019 for old browsers.
            compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2019', jsx: 'react' },
          },
        },
      },
      {
        // @tanstack/virtual-core ships ES2020 (?. and ??); lower it like our own code.
        test: /\.m?js$/,
        include: /node_modules[\\/]@tanstack[\\/]/,
        use: {
          loader: 'ts-loader',
          options: {
            transpileOnly: true,
            compilerOptions: { allowJs: true, module: 'esnext', moduleResolution: 'bundler', target: 'es2019' },
          },
        },
      },
      { test: /\.css$/, use: [{ loader: 'style-loader', options: { injectType: 'singletonStyleTag' } }, 'css-loader'] },
    ],
  },
  performance: { hints: false },
  devtool: false,
  optimization: { splitChunks: false, runtimeChunk: false },
};
