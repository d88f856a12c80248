/**
 * "Minimum Event Age (Hours)": how old the newest event asked of X must be. One definition for the
 * trigger and the action node's listings: the field, its default (X's 24 hours) and its check.
 */
import type { INodeProperties } from 'n8n-workflow';

import { HOUR_MS } from './time';

export const MIN_EVENT_AGE_FIELD = 'Minimum Event Age (Hours)';
/** X serves feedback events once they are 24 hours old. */
export const DEFAULT_MIN_AGE_HOURS = 24;
/** Ten years: an age beyond it reaches back before X existed. */
export const MAX_MIN_AGE_HOURS = 87_600;

export const minEventAgeOption: INodeProperties = {
	displayName: MIN_EVENT_AGE_FIELD,
	name: 'minEventAgeHours',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 3 },
	default: DEFAULT_MIN_AGE_HOURS,
	description: 'How old the newest event X serves must be. X: 24 (the default). Lower it only for a stand-in such as the local emulator.',
};

/** The option's value in ms (the default when empty), or the problem with it, in words that follow the field's name. */
export function readMinEventAge(value: unknown): { ms: number } | { problem: string } {
	const hours = value === undefined || value === null || value === '' ? DEFAULT_MIN_AGE_HOURS : Number(value);
	if (!Number.isFinite(hours) || hours < 0 || hours > MAX_MIN_AGE_HOURS) {
		return { problem: `must be a number of hours from 0 to ${MAX_MIN_AGE_HOURS.toLocaleString('en-US')}, not ${JSON.stringify(value)}` };
	}
	return { ms: Math.round(hours * HOUR_MS) };
}
