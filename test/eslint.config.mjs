export { default } from './tools/eslint.devConfig.mjs';
