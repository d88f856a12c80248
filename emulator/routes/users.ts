/** Account and user endpoints: verify_credentials, users/show, users/lookup, friendships/show. */
import { MAX_LOOKUP_USERS } from '../../nodes/shared/xLimits';
import type { UserRecord } from '../accounts';
import { invalidParam, missingParam, userNotFound, XApiError } from '../errors';
import { jsonTextReply, type ApiRequest } from '../http';
import type { EmulatorState } from '../state';
import { jsonWithRawNumbers, rawNumber, userWire } from '../wire';
import type { ApiRoute } from './route';

const USER_ID = /^\d{1,20}$/;

function wantsCanDm(state: EmulatorState, req: ApiRequest): boolean {
	const v = req.param('include_can_dm');
	return state.config.canDmField && (v === '1' || v === 'true');
}

/** The user named by `<prefix>id` / `<prefix>screen_name`, or undefined when neither is given. */
function findUser(state: EmulatorState, req: ApiRequest, idParam: string, nameParam: string): UserRecord | undefined {
	const id = req.param(idParam);
	const name = req.param(nameParam);
	if (id !== undefined && id !== '') {
		if (!USER_ID.test(id)) throw invalidParam(idParam, 'must be a user id (digits)');
		const user = state.accounts.byId(id);
		if (!user) throw userNotFound();
		return user;
	}
	if (name !== undefined && name !== '') {
		const user = state.accounts.byName(name);
		if (!user) throw userNotFound();
		return user;
	}
	return undefined;
}

export const verifyCredentials: ApiRoute = {
	kind: 'api',
	methods: ['GET'],
	pattern: /^\/1\.1\/account\/verify_credentials\.json$/,
	template: '/1.1/account/verify_credentials.json',
	limit: 'verifyCredentials',
	handle: ({ user }) => jsonTextReply(200, jsonWithRawNumbers(userWire(user))),
};

export const usersShow: ApiRoute = {
	kind: 'api',
	methods: ['GET'],
	pattern: /^\/1\.1\/users\/show\.json$/,
	template: '/1.1/users/show.json',
	limit: 'usersShow',
	handle({ req, state, user }) {
		const target = findUser(state, req, 'user_id', 'screen_name');
		if (!target) throw missingParam('user_id or screen_name');
		const canDm = wantsCanDm(state, req) ? state.accounts.canDm(user, target) : undefined;
		return jsonTextReply(200, jsonWithRawNumbers(userWire(target, canDm)));
	},
};

function commaList(value: string | undefined): string[] {
	if (value === undefined) return [];
	return value
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

export const usersLookup: ApiRoute = {
	kind: 'api',
	methods: ['GET', 'POST'],
	pattern: /^\/1\.1\/users\/lookup\.json$/,
	template: '/1.1/users/lookup.json',
	limit: 'usersLookup',
	handle({ req, state, user }) {
		const ids = commaList(req.param('user_id'));
		const names = commaList(req.param('screen_name'));
		if (ids.length + names.length === 0) throw missingParam('user_id or screen_name');
		if (ids.length + names.length > MAX_LOOKUP_USERS) {
			throw invalidParam(ids.length ? 'user_id' : 'screen_name', `at most ${MAX_LOOKUP_USERS} users per request`);
		}
		for (const id of ids) if (!USER_ID.test(id)) throw invalidParam('user_id', `"${id}" is not a user id`);
		const found = new Map<string, UserRecord>();
		for (const id of ids) {
			const u = state.accounts.byId(id);
			if (u) found.set(u.id, u);
		}
		for (const name of names) {
			const u = state.accounts.byName(name);
			if (u) found.set(u.id, u);
		}
		if (found.size === 0) throw new XApiError(404, 17, 'No user matches for specified terms.');
		const withCanDm = wantsCanDm(state, req);
		const body = [...found.values()].map((u) => userWire(u, withCanDm ? state.accounts.canDm(user, u) : undefined));
		return jsonTextReply(200, jsonWithRawNumbers(body));
	},
};

export const friendshipsShow: ApiRoute = {
	kind: 'api',
	methods: ['GET'],
	pattern: /^\/1\.1\/friendships\/show\.json$/,
	template: '/1.1/friendships/show.json',
	limit: 'friendshipsShow',
	handle({ req, state, user }) {
		const source = findUser(state, req, 'source_id', 'source_screen_name') ?? user;
		const target = findUser(state, req, 'target_id', 'target_screen_name');
		if (!target) throw missingParam('target_id or target_screen_name');
		const side = (u: UserRecord) => ({
			id: rawNumber(u.id),
			id_str: u.id,
			screen_name: u.screenName,
			following: false,
			followed_by: false,
			following_received: false,
			following_requested: false,
		});
		const body = {
			relationship: {
				source: {
					...side(source),
					...(state.config.canDmField ? { can_dm: state.accounts.canDm(source, target) } : {}),
					blocking: false,
					blocked_by: false,
					muting: false,
					marked_spam: false,
					notifications_enabled: false,
					want_retweets: false,
					all_replies: false,
				},
				target: side(target),
			},
		};
		return jsonTextReply(200, jsonWithRawNumbers(body));
	},
};
