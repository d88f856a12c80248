/**
 * How deep JSON from outside may nest. JSON.parse reads any depth, but n8n copies items and static
 * data recursively, so anything deeper could overflow the stack. X's answers and webhook calls are a
 * few levels deep. One walk, without recursion, for both uses: the transport cuts what is too deep
 * out of X's answers; the webhook trigger refuses a call that holds any.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Counts the objects and arrays nested deeper than `maxDepth` (the root is level 1); with `cut`,
 * replaces each by a note, else stops at the first. Every page X sends goes through here, so it
 * allocates nothing per node: two stacks instead of a pair per node, index loops over arrays and
 * for...in over objects instead of key arrays (bench, drain: 2.5 times faster).
 */
function deeperThan(root: unknown, maxDepth: number, cut: boolean): number {
	if (!root || typeof root !== 'object') return 0;
	let found = 0;
	const nodes: object[] = [root];
	const depths: number[] = [1];
	const note = `[nested deeper than ${maxDepth} levels: left out]`;
	/** One child of a node at `depth`: walked later, or counted (and cut) when too deep; true to stop. */
	const visit = (node: Record<string | number, unknown>, key: string | number, depth: number): boolean => {
		const child = node[key];
		if (child === null || typeof child !== 'object') return false;
		if (depth < maxDepth) {
			nodes.push(child);
			depths.push(depth + 1);
			return false;
		}
		found++;
		if (cut) node[key] = note;
		return !cut;
	};
	while (nodes.length > 0) {
		const node = nodes.pop() as Record<string | number, unknown>;
		const depth = depths.pop()!;
		if (Array.isArray(node)) {
			for (let i = 0; i < node.length; i++) if (visit(node, i, depth)) return found;
			continue;
		}
		for (const key in node) {
			// JSON.parse makes own properties only; anything inherited is not X's.
			if (Object.prototype.hasOwnProperty.call(node, key) && visit(node, key, depth)) return found;
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
