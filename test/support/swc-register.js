// Lets child processes run the TypeScript sources directly (`node -r ./test/support/swc-register.js
// apps/api/src/main.ts`), compiled on load by swc with the same options as the tests.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');
const { addHook } = require('pirates');

const root = join(__dirname, '..', '..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
swcrc.jsc.baseUrl = root;
swcrc.jsc.paths = { '@app/*': ['libs/*/src'] };

addHook((code, filename) => transformSync(code, { ...swcrc, swcrc: false, filename }).code, {
  exts: ['.ts'],
  ignoreNodeModules: true,
});
