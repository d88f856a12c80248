/**
 * Imported first by bench/run.ts. Under ts-node, `require('…/XCustomerFeedback.node')` would find the
 * codex file XCustomerFeedback.node.json before XCustomerFeedback.node.ts, because Node tries .json
 * before the .ts extension ts-node registers (jest orders .ts first, so tests are unaffected). Moving
 * .json (and .node) behind .ts makes the bench load the same modules the tests do.
 */
const extensions = require.extensions;
for (const ext of ['.json', '.node']) {
	const handler = extensions[ext];
	if (handler) {
		delete extensions[ext];
		extensions[ext] = handler;
	}
}

export {};
