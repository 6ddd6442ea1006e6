// Stylesheets are injected by webpack's style-loader; importing one has no value.
declare module '*.css';
