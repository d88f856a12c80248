/**
 * Keeps secrets and markup out of what n8n shows: a base URL may carry `user:password@`, a network
 * library may echo the URL it was given, and X may echo the request's Authorization header. Pure.
 */

// From `//` to the last `@` before the host: a password may hold `@`, `:` and spaces. The host after
// the last `@` has no space, `/` or `@`.
const USER_INFO = /(\/\/)[^/?#\n]*@(?=[^\s/?#@]+)/g;
// `oauth_signature="…"`, `oauth_token=…` (header, query or form), JSON `"oauth_token":"…"`.
const OAUTH_PARAM = /(oauth_[a-z_]+)("?\s*[=:]\s*"?)[^\s",&}]*/gi;
// `Authorization: OAuth …` to the end of the line or the quote that closes it.
const AUTH_HEADER = /(authorization"?\s*[:=]\s*"?)[^"\n]*/gi;
const REDACTED = '[redacted]';

/** The text with any URL user info (`//user:password@`) taken out. */
export function withoutUserInfo(text: string): string {
	return text.replace(USER_INFO, '$1');
}

/** A URL to show a person: parsed, without user info, query or fragment. */
export function displayUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
	} catch {
		return 'the API Base URL in the credential (it is not a valid URL)';
	}
}

/** The text with OAuth parameters and Authorization header values replaced by `[redacted]`. */
export function withoutOAuthSecrets(text: string): string {
	return text.replace(AUTH_HEADER, `$1${REDACTED}`).replace(OAUTH_PARAM, `$1$2${REDACTED}`);
}

/**
 * Text from outside (X's answers, network errors) made safe for a message: no user info, no OAuth
 * values, none of the given secrets (in any spelling a URL could give them), at most `maxLength`.
 */
export function sealed(text: string, secrets: readonly string[] = [], maxLength = 1_000): string {
	let out = withoutOAuthSecrets(withoutUserInfo(text));
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		for (const spelling of new Set([secret, encodeURIComponent(secret)])) out = out.split(spelling).join(REDACTED);
	}
	return out.length > maxLength ? `${out.slice(0, maxLength)}… (${out.length - maxLength} more characters)` : out;
}

/** n8n's error view renders a description as (cleaned) HTML: X's text must reach it as text. */
export function escapeMarkup(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
