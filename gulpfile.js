// `n8n-node build` compiles the nodes and copies their icons; n8n also reads each node's codex file
// (*.node.json: categories, aliases, documentation links) from beside the compiled node, which it
// leaves out. This puts them there.
const { src, dest } = require('gulp');

function buildCodex() {
	return src(['nodes/**/*.node.json'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:codex'] = buildCodex;
