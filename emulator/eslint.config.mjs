export { default } from '../test/tools/eslint.devConfig.mjs';
