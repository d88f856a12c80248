/**
 * Reading and checking node fields before anything is sent. Every failure names the field and
 * carries the item's index (the router puts "Item N:" before the message), so a person can find the
 * bad value among many items; nothing goes to X for that item.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { idNumberProblem, isInvisibleOnly, notTextProblem, textProblem, type TextKind } from '../../shared/textRules';
import { readWholeNumber } from '../../shared/wholeNumber';

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
	return new NodeOperationError(ctx.getNode(), `${field} ${problem}`, {
		itemIndex,
		description: `${hint ? `${hint} ` : ''}Nothing was sent to X for item ${itemIndex}.`,
	});
}

/**
 * A field value as text, checked: expressions may hand over numbers or booleans (taken as text), but
 * an object or a list, a broken character, or (for IDs) a control character or an inexact number is
 * an error naming the field and the item, before anything is sent.
 */
export function checkedText(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, kind: TextKind = 'text'): string {
	if (value === undefined || value === null) return '';
	const problem = notTextProblem(value) ?? (kind === 'id' ? idNumberProblem(value) : undefined);
	if (problem) throw inputError(ctx, itemIndex, field, problem);
	const text = String(value);
	const textIssue = textProblem(text, kind);
	if (textIssue) throw inputError(ctx, itemIndex, field, textIssue);
	return text;
}

/** A parameter as checked text (see checkedText). */
export function textParam(ctx: IExecuteFunctions, name: string, itemIndex: number, field: string, kind: TextKind = 'text'): string {
	return checkedText(ctx, itemIndex, field, ctx.getNodeParameter(name, itemIndex, '') as unknown, kind);
}

/** Optional checked text from a collection: absent and empty are the same; invisible-only text is an error. */
export function optionalTextField(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, kind: TextKind = 'text'): string | undefined {
	const text = checkedText(ctx, itemIndex, field, value, kind);
	if (text === '') return undefined;
	if (text.trim() !== '' && isInvisibleOnly(text)) {
		throw inputError(ctx, itemIndex, field, 'has only invisible characters (zero-width spaces or joiners)', `Clear ${field} or give it visible text.`);
	}
	return text;
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
	if (isInvisibleOnly(value)) throw inputError(ctx, itemIndex, field, 'is empty: it has only invisible characters (zero-width spaces or joiners)', `Fill in ${field}.`);
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
	const read = readWholeNumber(value, min, max);
	if ('problem' in read) throw inputError(ctx, itemIndex, field, read.problem);
	return read.value;
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

/** Optional text X sent (not a person's input): absent and empty are the same. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return text === '' ? undefined : text;
}
