/**
 * Who may call the emulator: the one app (consumer), the business account that sends feedback,
 * the customers who receive it, and the OAuth tokens that map to them.
 */
import { createHash, randomBytes } from 'node:crypto';

import { XApiError } from './errors';

export interface BusinessCredentials {
	consumerKey: string;
	consumerSecret: string;
	accessToken: string;
	accessTokenSecret: string;
	userId: string;
	screenName: string;
}

/** Emulator-only fake values; fine to print. */
export const BUSINESS_CREDENTIALS: Readonly<BusinessCredentials> = Object.freeze({
	consumerKey: 'xEmuFeedbackConsumerKey01',
	consumerSecret: 'xEmuFeedbackConsumerSecret0000000000000000000000001',
	accessToken: '1460000000000000001-xEmuFeedbackBusinessAccessToken01',
	accessTokenSecret: 'xEmuFeedbackBusinessAccessTokenSecret00000001',
	userId: '1460000000000000001',
	screenName: 'AcmeSupport',
});

export const APP_NAME = 'n8n X Customer Feedback (emulator)';
const BUSINESS_NAME = 'Acme Support';
const FIRST_CUSTOMER_ID = 1_600_000_000_000_000_001n;
const REQUEST_TOKEN_TTL_MS = 15 * 60 * 1000;

export interface UserRecord {
	id: string;
	screenName: string;
	name: string;
	createdAt: number;
	isBusiness: boolean;
	/** Whether this user accepts DMs from the business. */
	canDm: boolean;
	/** X allowlisted the recipient: exempt from the one-request-per-24-hours rule. */
	allowlisted: boolean;
	accessToken: string;
	accessTokenSecret: string;
}

export interface CustomerInput {
	screenName: string;
	name?: string;
	canDm?: boolean;
	allowlisted?: boolean;
	id?: string;
}

export interface AccountsDump {
	customers: UserRecord[];
	tokens: Array<[string, TokenRecord]>;
	nextCustomerId: string;
}

interface TokenRecord {
	secret: string;
	userId: string;
	revoked: boolean;
}

interface RequestToken {
	token: string;
	secret: string;
	callback: string;
	verifier?: string;
	/** Real wall-clock time: the dance happens in a browser, not on the API clock. */
	expiresAt: number;
}

const SCREEN_NAME = /^[A-Za-z0-9_]{1,15}$/;

export class Accounts {
	readonly users = new Map<string, UserRecord>();
	private readonly byScreenName = new Map<string, UserRecord>();
	private readonly accessTokens = new Map<string, TokenRecord>();
	private readonly requestTokens = new Map<string, RequestToken>();
	private nextCustomerId = FIRST_CUSTOMER_ID;
	business!: UserRecord;

	constructor(now: number) {
		this.clear(now);
	}

	/** Drops customers and their tokens; keeps access tokens the business got through the dance. */
	clear(now: number): void {
		const issued = [...this.accessTokens].filter(
			([token, rec]) => rec.userId === BUSINESS_CREDENTIALS.userId && token !== BUSINESS_CREDENTIALS.accessToken,
		);
		this.users.clear();
		this.byScreenName.clear();
		this.accessTokens.clear();
		this.requestTokens.clear();
		this.nextCustomerId = FIRST_CUSTOMER_ID;
		this.business = this.addUser({
			id: BUSINESS_CREDENTIALS.userId,
			screenName: BUSINESS_CREDENTIALS.screenName,
			name: BUSINESS_NAME,
			createdAt: now,
			isBusiness: true,
			canDm: true,
			allowlisted: false,
			accessToken: BUSINESS_CREDENTIALS.accessToken,
			accessTokenSecret: BUSINESS_CREDENTIALS.accessTokenSecret,
		});
		for (const [token, rec] of issued) this.accessTokens.set(token, rec);
	}

	/** Validates and adds one customer; throws an Error with a plain message when the input is bad. */
	addCustomer(input: CustomerInput, now: number): UserRecord {
		if (!input || typeof input !== 'object') throw new Error('each customer must be an object');
		const { screenName, name, canDm, allowlisted, id } = input;
		if (typeof screenName !== 'string' || !SCREEN_NAME.test(screenName)) {
			throw new Error(`screenName must be 1 to 15 letters, digits or underscores (got ${JSON.stringify(screenName)})`);
		}
		if (this.byScreenName.has(screenName.toLowerCase())) throw new Error(`screenName @${screenName} is taken`);
		if (name !== undefined && (typeof name !== 'string' || name.length === 0 || name.length > 50)) {
			throw new Error('name must be 1 to 50 characters');
		}
		if (canDm !== undefined && typeof canDm !== 'boolean') throw new Error('canDm must be true or false');
		if (allowlisted !== undefined && typeof allowlisted !== 'boolean') throw new Error('allowlisted must be true or false');
		let userId: string;
		if (id !== undefined) {
			if (typeof id !== 'string' || !/^[1-9]\d{0,19}$/.test(id)) throw new Error('id must be a string of digits');
			if (this.users.has(id)) throw new Error(`id ${id} is taken`);
			userId = id;
		} else {
			do userId = String(this.nextCustomerId++);
			while (this.users.has(userId));
		}
		return this.addUser({
			id: userId,
			screenName,
			name: name ?? screenName,
			createdAt: now,
			isBusiness: false,
			canDm: canDm ?? true,
			allowlisted: allowlisted ?? false,
			...customerToken(userId),
		});
	}

	updateCustomer(user: UserRecord, patch: { canDm?: unknown; allowlisted?: unknown; name?: unknown }): void {
		if (user.isBusiness) throw new Error('the business account cannot be changed');
		if (patch.canDm !== undefined && typeof patch.canDm !== 'boolean') throw new Error('canDm must be true or false');
		if (patch.allowlisted !== undefined && typeof patch.allowlisted !== 'boolean') {
			throw new Error('allowlisted must be true or false');
		}
		if (patch.name !== undefined && (typeof patch.name !== 'string' || patch.name.length === 0)) {
			throw new Error('name must be a non-empty string');
		}
		if (typeof patch.canDm === 'boolean') user.canDm = patch.canDm;
		if (typeof patch.allowlisted === 'boolean') user.allowlisted = patch.allowlisted;
		if (typeof patch.name === 'string') user.name = patch.name;
	}

	remove(user: UserRecord): void {
		if (user.isBusiness) return;
		this.users.delete(user.id);
		this.byScreenName.delete(user.screenName.toLowerCase());
		this.accessTokens.delete(user.accessToken);
	}

	private addUser(user: UserRecord): UserRecord {
		this.users.set(user.id, user);
		this.byScreenName.set(user.screenName.toLowerCase(), user);
		this.accessTokens.set(user.accessToken, { secret: user.accessTokenSecret, userId: user.id, revoked: false });
		return user;
	}

	customers(): UserRecord[] {
		return [...this.users.values()].filter((u) => !u.isBusiness);
	}

	byId(id: string): UserRecord | undefined {
		return this.users.get(id);
	}

	byName(screenName: string): UserRecord | undefined {
		return this.byScreenName.get(screenName.replace(/^@/, '').toLowerCase());
	}

	/** Whether `sender` may DM `target`: customers decide whether they accept the business's DMs. */
	canDm(sender: UserRecord, target: UserRecord): boolean {
		if (sender.id === target.id) return false;
		if (sender.isBusiness) return target.canDm;
		return true;
	}

	/** The user and secret of a usable access token, or undefined (unknown, revoked or a request token). */
	accessToken(token: string): { user: UserRecord; secret: string } | undefined {
		const rec = this.accessTokens.get(token);
		if (!rec || rec.revoked) return undefined;
		const user = this.users.get(rec.userId);
		return user ? { user, secret: rec.secret } : undefined;
	}

	revoke(token: string): boolean {
		const rec = this.accessTokens.get(token);
		if (!rec) return false;
		rec.revoked = true;
		return true;
	}

	issueRequestToken(callback: string): RequestToken {
		this.dropExpiredRequestTokens();
		const rt: RequestToken = {
			token: randomToken(27),
			secret: randomToken(32),
			callback,
			expiresAt: Date.now() + REQUEST_TOKEN_TTL_MS,
		};
		this.requestTokens.set(rt.token, rt);
		return rt;
	}

	requestToken(token: string): RequestToken | undefined {
		const rt = this.requestTokens.get(token);
		if (rt && rt.expiresAt < Date.now()) {
			this.requestTokens.delete(token);
			return undefined;
		}
		return rt;
	}

	/** The business approved the app: the request token gets a verifier. */
	authorize(rt: RequestToken): string {
		rt.verifier ??= randomToken(32);
		return rt.verifier;
	}

	/** Trades an authorized request token (single use) for a new access token of the business. */
	exchange(rt: RequestToken, verifier: string | undefined): { token: string; secret: string; user: UserRecord } {
		if (!verifier) throw new XApiError(401, 32, 'Could not authenticate you: oauth_verifier is missing.');
		if (!rt.verifier) throw new XApiError(401, 89, 'Invalid or expired token: the request token was not authorized.');
		if (verifier !== rt.verifier) throw new XApiError(401, 32, 'Could not authenticate you: oauth_verifier does not match.');
		this.requestTokens.delete(rt.token);
		const user = this.business;
		const token = `${user.id}-${randomToken(40)}`;
		const secret = randomToken(45);
		this.accessTokens.set(token, { secret, userId: user.id, revoked: false });
		return { token, secret, user };
	}

	/** Everything a restart must keep: customers and every access token issued (see stateFile.ts). */
	dump(): AccountsDump {
		return {
			customers: this.customers().map((u) => ({ ...u })),
			tokens: [...this.accessTokens].map(([token, rec]) => [token, { ...rec }]),
			nextCustomerId: String(this.nextCustomerId),
		};
	}

	/** Replaces customers and tokens with a dump's (the business account stays as built). */
	load(dump: AccountsDump, now: number): void {
		this.clear(now);
		for (const user of dump.customers) this.addUser({ ...user, isBusiness: false });
		for (const [token, rec] of dump.tokens) this.accessTokens.set(token, { ...rec });
		this.nextCustomerId = BigInt(dump.nextCustomerId);
	}

	private dropExpiredRequestTokens(): void {
		const now = Date.now();
		for (const [token, rt] of this.requestTokens) if (rt.expiresAt < now) this.requestTokens.delete(token);
	}
}

/** Deterministic per id, so a customer re-created after a reset keeps its token. */
function customerToken(userId: string): { accessToken: string; accessTokenSecret: string } {
	const digest = (label: string) => createHash('sha256').update(`x-emulator:${label}:${userId}`).digest('base64url');
	return {
		accessToken: `${userId}-${digest('token').replace(/[-_]/g, 'x').slice(0, 30)}`,
		accessTokenSecret: digest('secret').replace(/[-_]/g, 'y').slice(0, 43),
	};
}

function randomToken(length: number): string {
	return randomBytes(length).toString('base64url').replace(/[-_]/g, 'z').slice(0, length);
}
