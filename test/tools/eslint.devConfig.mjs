// Lint rules for the code that never ships (tests, the emulator, benchmarks, the demo). The shipped
// code (nodes/, credentials/, package.json) gets n8n's default config from the root
// eslint.config.mjs, untouched, as `n8n-node lint` in strict mode requires. The community-node rules
// forbid what this code is for (node: imports, child processes, fake secrets in fixtures, console
// output), so here the base both configs share applies: ESLint's and typescript-eslint's recommended
// rules. Each of these directories' eslint.config.mjs re-exports this; ESLint finds a file's nearest
// config with the `unstable_config_lookup_from_file` flag, which `npm run lint` sets (ESLint 10's
// default).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config({
	files: ['**/*.ts'],
	extends: [js.configs.recommended, tseslint.configs.recommended],
});
