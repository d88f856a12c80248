import { cutDeepJson, isNestedDeeperThan, MAX_JSON_DEPTH } from '../../nodes/shared/jsonDepth';

const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('JSON depth: the root is level 1; anything below level 64 is too deep', () => {
	test('64 levels are kept whole, and read as not too deep', () => {
		const body = { a: nested(MAX_JSON_DEPTH - 1) };
		expect(isNestedDeeperThan(body)).toBe(false);
		expect(cutDeepJson(body)).toBe(0);
		expect(JSON.stringify(body)).toBe(JSON.stringify({ a: nested(MAX_JSON_DEPTH - 1) }));
	});

	test('65 levels: the one too deep is cut with a note, and read as too deep', () => {
		const body = { a: nested(MAX_JSON_DEPTH) };
		expect(isNestedDeeperThan(body)).toBe(true);
		expect(cutDeepJson(body)).toBe(1);
		expect(JSON.stringify(body)).toContain('"[nested deeper than 64 levels: left out]"');
		expect(isNestedDeeperThan(body)).toBe(false);
	});

	test('every branch too deep is counted; values that are not objects are never cut', () => {
		const body = { a: nested(70), b: [nested(80), 'text', 7, null], c: 'flat' };
		expect(cutDeepJson(body, 3)).toBe(2);
		expect(body.c).toBe('flat');
		expect(body.b.slice(1)).toEqual(['text', 7, null]);
	});

	test("a key X names __proto__ is X's own and is walked; what an object inherits is not X's and is left alone", () => {
		const body = JSON.parse('{"__proto__": {"a": {"b": {}}}}') as Record<string, unknown>;
		expect(cutDeepJson(body, 2)).toBe(1);
		expect(JSON.stringify(body)).toBe('{"__proto__":{"a":"[nested deeper than 2 levels: left out]"}}');
		const inherited = Object.create({ deep: { a: { b: {} } } }) as Record<string, unknown>;
		for (const key in inherited) expect(key).toBe('deep');
		expect(cutDeepJson(inherited, 2)).toBe(0);
		expect(Object.keys(inherited)).toEqual([]);
	});
});
