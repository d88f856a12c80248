/**
 * The three-legged OAuth 1.0a dance: request_token, the authorize page (a human clicks
 * "Authorize app"), and access_token. Tokens it issues map to the business account.
 */
import { APP_NAME } from '../accounts';
import { invalidParam, missingParam, XApiError } from '../errors';
import { isHttpUrl, type Reply } from '../http';
import type { OAuthRoute } from './route';

function formReply(fields: Record<string, string>): Reply {
	// X answers these with a form-encoded body (and a text/html content type).
	return { status: 200, body: new URLSearchParams(fields).toString(), contentType: 'text/html; charset=utf-8' };
}

function htmlReply(status: number, title: string, inner: string): Reply {
	const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#0f1419}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:999px;border:1px solid #cfd9de;cursor:pointer}
#allow{background:#0f1419;color:#fff;border-color:#0f1419}</style></head>
<body>${inner}</body></html>`;
	return { status, body, contentType: 'text/html; charset=utf-8' };
}

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const requestToken: OAuthRoute = {
	kind: 'oauth',
	methods: ['POST'],
	pattern: /^\/oauth\/request_token$/,
	template: '/oauth/request_token',
	auth: 'consumer',
	handle({ req, state, verified }) {
		const callback = verified?.oauth.oauth_callback ?? req.param('oauth_callback');
		if (!callback) throw missingParam('oauth_callback');
		if (callback !== 'oob' && !isHttpUrl(callback)) throw invalidParam('oauth_callback', 'must be an http(s) URL or oob');
		const rt = state.accounts.issueRequestToken(callback);
		return formReply({ oauth_token: rt.token, oauth_token_secret: rt.secret, oauth_callback_confirmed: 'true' });
	},
};

const invalidTokenPage = () =>
	htmlReply(400, 'Authorize app', '<h1>This request token is invalid or has expired</h1><p>Start the connection again from the app.</p>');

function authorizePage(token: string | undefined, stateName: string): Reply {
	const business = `@${stateName}`;
	if (!token) return htmlReply(400, 'Authorize app', '<h1>Missing oauth_token</h1><p>This page needs the oauth_token from request_token.</p>');
	return htmlReply(
		200,
		'Authorize app',
		`<h1>Authorize ${escapeHtml(APP_NAME)} to access your account?</h1>
<p>Signed in as <strong>${escapeHtml(business)}</strong> (X API emulator).</p>
<p>This application will be able to read your profile, send Direct Messages and customer feedback cards, and read the answers.</p>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="oauth_token" value="${escapeHtml(token)}">
<button id="allow" type="submit" name="allow" value="1">Authorize app</button>
<button id="cancel" type="submit" name="cancel" value="1">Cancel</button>
</form>`,
	);
}

/** GET /oauth/authorize and /oauth/authenticate: both always ask. */
const authorizeGet = (path: string): OAuthRoute => ({
	kind: 'oauth',
	methods: ['GET'],
	pattern: new RegExp(`^/oauth/${path}$`),
	template: `/oauth/${path}`,
	auth: 'none',
	handle({ req, state }) {
		const token = req.param('oauth_token');
		if (token && !state.accounts.requestToken(token)) {
			return invalidTokenPage();
		}
		return authorizePage(token, state.accounts.business.screenName);
	},
});

export const authorizePageRoute = authorizeGet('authorize');
export const authenticatePageRoute = authorizeGet('authenticate');

export const authorizeSubmit: OAuthRoute = {
	kind: 'oauth',
	methods: ['POST'],
	pattern: /^\/oauth\/authorize$/,
	template: '/oauth/authorize',
	auth: 'none',
	handle({ req, state }) {
		const token = req.param('oauth_token');
		const rt = token ? state.accounts.requestToken(token) : undefined;
		if (!rt) {
			return invalidTokenPage();
		}
		if (req.param('cancel') !== undefined) {
			if (rt.callback === 'oob') return htmlReply(200, 'Cancelled', '<h1>You did not authorize the app</h1>');
			return redirect(rt.callback, { denied: rt.token });
		}
		const verifier = state.accounts.authorize(rt);
		if (rt.callback === 'oob') {
			return htmlReply(200, 'PIN', `<h1>Authorized</h1><p>Enter this PIN in the app: <code id="oauth_pin">${escapeHtml(verifier)}</code></p>`);
		}
		return redirect(rt.callback, { oauth_token: rt.token, oauth_verifier: verifier });
	},
};

function redirect(callback: string, params: Record<string, string>): Reply {
	const url = new URL(callback);
	for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
	return { status: 302, body: '', contentType: 'text/html; charset=utf-8', headers: { location: url.toString() } };
}

export const accessToken: OAuthRoute = {
	kind: 'oauth',
	methods: ['POST'],
	pattern: /^\/oauth\/access_token$/,
	template: '/oauth/access_token',
	auth: 'request',
	// n8n 1.x posts oauth_token and oauth_verifier as a plain form, unsigned; X has long accepted
	// that from clients, because the verifier proves the user authorized this very request token.
	unsignedAllowed: true,
	handle({ req, state, verified }) {
		const tokenName = verified ? verified.requestToken : req.param('oauth_token');
		const rt = tokenName ? state.accounts.requestToken(tokenName) : undefined;
		if (!rt) throw new XApiError(401, 89, 'Invalid or expired token.');
		const verifier = verified?.oauth.oauth_verifier ?? req.param('oauth_verifier');
		const issued = state.accounts.exchange(rt, verifier);
		return formReply({
			oauth_token: issued.token,
			oauth_token_secret: issued.secret,
			user_id: issued.user.id,
			screen_name: issued.user.screenName,
		});
	},
};
