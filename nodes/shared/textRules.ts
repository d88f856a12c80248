/**
 * What text a person gives may go to X: rules every text field shares, pure so both nodes and the
 * tests use the same ones. Objects and arrays are not text (an expression that returns one must not
 * become `{"a":1}` in a customer's DM); a lone UTF-16 surrogate cannot be encoded into a request;
 * text of invisible characters only reads as empty; an ID must not carry control characters.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Zero-width and other invisible code points that would make text look empty to the customer. */
const INVISIBLE_RANGES: Array<[number, number]> = [
	[0x00ad, 0x00ad],
	[0x034f, 0x034f],
	[0x061c, 0x061c],
	[0x115f, 0x1160],
	[0x17b4, 0x17b5],
	[0x180b, 0x180e],
	[0x200b, 0x200f],
	[0x202a, 0x202e],
	[0x2060, 0x206f],
	[0x3164, 0x3164],
	[0xfe00, 0xfe0f],
	[0xfeff, 0xfeff],
	[0xffa0, 0xffa0],
];

function isInvisible(char: string): boolean {
	if (char.trim() === '') return true;
	const code = char.codePointAt(0) ?? 0;
	return INVISIBLE_RANGES.some(([from, to]) => code >= from && code <= to);
}

/** The first C0 or C1 control character in the text, or undefined. */
function controlCharacter(text: string): string | undefined {
	for (const char of text) {
		const code = char.charCodeAt(0);
		if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return char;
	}
	return undefined;
}

export type TextKind = 'text' | 'id';

/** Why a field value is not text at all (an object or a list), or undefined. */
export function notTextProblem(value: unknown): string | undefined {
	if (Array.isArray(value)) return 'is a list, not text: map one text value (or join the list in the expression)';
	if (value !== null && typeof value === 'object') return 'is an object, not text: map one text field of it (for example {{ $json.message }})';
	return undefined;
}

/** True when the text has characters but all of them are invisible (spaces, zero-width joiners...). */
export function isInvisibleOnly(text: string): boolean {
	for (const char of text) if (!isInvisible(char)) return false;
	return true;
}

/** Why this text cannot go to X as it is, or undefined. */
export function textProblem(text: string, kind: TextKind): string | undefined {
	if (LONE_SURROGATE.test(text)) return 'contains a broken character (half of an emoji or other character outside the basic set); retype or remove it';
	if (kind === 'id') {
		const control = controlCharacter(text);
		if (control) return `contains a control character (U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}); IDs are printable text`;
	}
	return undefined;
}

/** An ID from an expression: text, or a whole number small enough to be exact. */
export function idNumberProblem(value: unknown): string | undefined {
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		return `is the number ${String(value)}, which cannot hold an X ID exactly (IDs this long lose digits as numbers): pass the ID as text, e.g. the id_str field`;
	}
	return undefined;
}
