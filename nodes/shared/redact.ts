/**
 * Keeps credential parts out of messages: a base URL may carry `user:password@`, and a network
 * library may echo the URL it was given. Pure.
 */
const USER_INFO = /(\/\/)[^/\s@]+@/g;

/** The text with any URL user info (`//user:password@`) taken out. */
export function withoutUserInfo(text: string): string {
	return text.replace(USER_INFO, '$1');
}
