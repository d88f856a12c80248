/** The one whole-number check of both nodes' fields: digits in a string count, anything else does not. */
export function readWholeNumber(value: unknown, min: number, max: number): { value: number } | { problem: string } {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		return { problem: `must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}` };
	}
	return { value: number };
}
