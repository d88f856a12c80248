/**
 * How deep JSON from outside may nest. JSON.parse reads any depth, but n8n copies items and static
 * data recursively, so anything deeper could overflow the stack. X's answers and webhook calls are a
 * few levels deep. One walk, without recursion, for both uses: the transport cuts what is too deep
 * out of X's answers; the webhook trigger refuses a call that holds any.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Counts the objects and arrays nested deeper than `maxDepth` (the root is level 1); with `cut`,
 * replaces each by a note, else stops at the first.
 */
function deeperThan(root: unknown, maxDepth: number, cut: boolean): number {
	let found = 0;
	const stack: Array<[Record<string, unknown> | unknown[], number]> = [];
	if (root && typeof root === 'object') stack.push([root as Record<string, unknown>, 1]);
	while (stack.length > 0) {
		const [node, depth] = stack.pop()!;
		const keys = Array.isArray(node) ? node.keys() : Object.keys(node);
		for (const key of keys) {
			const child = (node as Record<string | number, unknown>)[key];
			if (!child || typeof child !== 'object') continue;
			if (depth < maxDepth) {
				stack.push([child as Record<string, unknown>, depth + 1]);
				continue;
			}
			found++;
			if (!cut) return found;
			(node as Record<string | number, unknown>)[key] = `[nested deeper than ${maxDepth} levels: left out]`;
		}
	}
	return found;
}

/** Cuts every object or array nested deeper than `maxDepth` (replaced by a note); returns how many. */
export function cutDeepJson(root: unknown, maxDepth = MAX_JSON_DEPTH): number {
	return deeperThan(root, maxDepth, true);
}

/** Whether anything in `root` is nested deeper than `maxDepth`. */
export function isNestedDeeperThan(root: unknown, maxDepth = MAX_JSON_DEPTH): boolean {
	return deeperThan(root, maxDepth, false) > 0;
}
