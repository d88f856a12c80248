/** X's error answer, `{"errors":[{"code":N,"message":".."}]}` with its HTTP status, thrown by routes and the domain. */
export class XApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: number,
		message: string,
	) {
		super(message);
	}

	toBody(): { errors: Array<{ code: number; message: string }> } {
		return { errors: [{ code: this.code, message: this.message }] };
	}
}

export const missingParam = (name: string) => new XApiError(400, 38, `${name} parameter is missing.`);

export const invalidParam = (name: string, why: string) =>
	new XApiError(400, 44, `${name} parameter is invalid: ${why}.`);

export const pageNotFound = () => new XApiError(404, 34, 'Sorry, that page does not exist.');

export const userNotFound = () => new XApiError(404, 50, 'User not found.');

export const cannotDm = () =>
	new XApiError(403, 349, 'You cannot send messages to this user.');

export const noDmPermission = () =>
	new XApiError(403, 93, 'This application is not allowed to access or delete your direct messages.');

export const appNotAllowlisted = () =>
	new XApiError(403, 87, 'Client is not permitted to perform this action: this app is not allowlisted for customer feedback cards.');

export const accountNotAllowlisted = () =>
	new XApiError(403, 220, 'Your credentials do not allow access to this resource: this account is not allowlisted for customer feedback cards.');

/** [our choice] X's "duplicate" code for a second submission of an immutable answer part. */
export const alreadySubmitted = (what: string) =>
	new XApiError(403, 187, `The ${what} was already submitted; feedback answers are immutable.`);

export const rateLimited = () => new XApiError(429, 88, 'Rate limit exceeded.');

/** Message for the status codes a `status` fault may use when the caller names none. */
export const DEFAULT_FAULT_CODES: Record<number, [number, string]> = {
	400: [44, 'Bad request.'],
	401: [32, 'Could not authenticate you.'],
	403: [220, 'Your credentials do not allow access to this resource.'],
	404: [34, 'Sorry, that page does not exist.'],
	429: [88, 'Rate limit exceeded.'],
	500: [131, 'Internal error.'],
	502: [131, 'Internal error.'],
	503: [130, 'Over capacity.'],
	504: [131, 'Internal error.'],
};
