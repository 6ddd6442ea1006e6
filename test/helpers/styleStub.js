// CSS is injected by webpack in the real bundle; under jsdom the import is inert.
module.exports = {};
