/**
 * Which X account a credential connects, so the trigger's saved position is only used for the
 * account it was read for. X's token answer names the user (`user_id`); its access tokens also
 * start with the user id (`370773112-...`). Only the id is kept: it is not a secret.
 */
export function accountOf(credentials: Record<string, unknown> | undefined): string | undefined {
	const data = credentials?.oauthTokenData as Record<string, unknown> | undefined;
	if (!data || typeof data !== 'object') return undefined;
	const userId = data.user_id;
	if (typeof userId === 'string' && /^\d{1,20}$/.test(userId)) return userId;
	if (typeof userId === 'number' && Number.isSafeInteger(userId) && userId > 0) return String(userId);
	const token = data.oauth_token;
	const prefix = typeof token === 'string' ? /^(\d{1,20})-/.exec(token) : null;
	return prefix ? prefix[1] : undefined;
}
