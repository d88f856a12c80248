/**
 * Reading and checking node fields before anything is sent. Every failure names the field and the
 * item, so a person can find the bad value among many items; nothing goes to X for that item.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** X counts characters, not UTF-16 units: an emoji is one character. */
export function charCount(text: string): number {
	return [...text].length;
}

export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
	hint?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${field} ${problem}`, {
		itemIndex,
		description: `${hint ? `${hint} ` : ''}Nothing was sent to X for item ${itemIndex}.`,
	});
}

/** A parameter as text: expressions may hand over numbers or booleans. */
export function textParam(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback = ''): string {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (value === undefined || value === null) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Text that must be present and at most `max` characters. Returned as typed (not trimmed). */
export function requiredText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
	max: number,
): string {
	if (value.trim() === '') throw inputError(ctx, itemIndex, field, 'is empty', `Fill in ${field}.`);
	return maxLength(ctx, itemIndex, field, value, max);
}

export function maxLength(ctx: IExecuteFunctions, itemIndex: number, field: string, value: string, max: number): string {
	const length = charCount(value);
	if (length > max) {
		throw inputError(
			ctx,
			itemIndex,
			field,
			`is ${length.toLocaleString('en-US')} characters long; X allows at most ${max.toLocaleString('en-US')}`,
			`Shorten ${field}.`,
		);
	}
	return value;
}

/** An absolute http(s) URL (or https only). */
export function webUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
	httpsOnly = false,
): string {
	const trimmed = value.trim();
	if (trimmed === '') throw inputError(ctx, itemIndex, field, 'is empty', `Fill in ${field}.`);
	let url: URL | undefined;
	try {
		url = new URL(trimmed);
	} catch {
		url = undefined;
	}
	const schemes = httpsOnly ? ['https:'] : ['http:', 'https:'];
	if (!url || !schemes.includes(url.protocol) || url.hostname === '') {
		throw inputError(
			ctx,
			itemIndex,
			field,
			`"${trimmed}" is not ${httpsOnly ? 'an https://' : 'an http:// or https://'} URL`,
			`Enter a full address such as https://example.com/${field === 'Privacy Policy URL' ? 'privacy' : 'page'}.`,
		);
	}
	return trimmed;
}

/** A whole number in [min, max]; expressions may give it as a string. */
export function wholeNumber(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	min: number,
	max: number,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		throw inputError(ctx, itemIndex, field, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`);
	}
	return number;
}

/** A boolean field; expressions may give "true"/"false". */
export function booleanValue(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	fallback: boolean,
): boolean {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw inputError(ctx, itemIndex, field, `must be true or false, not ${JSON.stringify(value)}`);
}

/** One of the allowed internal values. */
export function oneOf<T extends string>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: unknown,
	allowed: readonly T[],
): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw inputError(
		ctx,
		itemIndex,
		field,
		`must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, not ${JSON.stringify(value)}`,
	);
}

/** The "Options" collection of an operation. */
export function optionsParam(ctx: IExecuteFunctions, itemIndex: number, name = 'options'): IDataObject {
	const value = ctx.getNodeParameter(name, itemIndex, {}) as unknown;
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** Optional text from a collection: absent and empty are the same. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return text === '' ? undefined : text;
}
