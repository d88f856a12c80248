/** What the server hands a route and what a route hands back. */
import type { UserRecord } from '../accounts';
import type { FaultKind } from '../faults';
import type { ApiRequest, Reply } from '../http';
import type { TokenRule, Verified } from '../oauth';
import type { LimitName } from '../rateLimits';
import type { EmulatorState } from '../state';

export interface ApiContext {
	req: ApiRequest;
	state: EmulatorState;
	/** The account the access token maps to. */
	user: UserRecord;
	/** Captures of the route pattern (e.g. the feedback id). */
	pathParams: string[];
	/** Page faults taken for this request (events listing only). */
	pageFaults: ReadonlySet<FaultKind>;
}

export interface OAuthContext {
	req: ApiRequest;
	state: EmulatorState;
	verified: Verified | undefined;
}

interface RouteBase {
	methods: readonly string[];
	pattern: RegExp;
	/** Name in stats, e.g. "/1.1/feedback/show/:id.json" (the method is prefixed). */
	template: string;
}

/** A signed /1.1 endpoint, rate-limited per user. */
export interface ApiRoute extends RouteBase {
	kind: 'api';
	limit: LimitName;
	handle(ctx: ApiContext): Reply;
}

/** An /oauth endpoint of the three-legged dance. */
export interface OAuthRoute extends RouteBase {
	kind: 'oauth';
	auth: Exclude<TokenRule, 'access'> | 'none';
	/**
	 * Also accept the request without an OAuth Authorization header (the handler then checks what
	 * the form carries). n8n 1.x sends the access_token exchange that way; X accepts it.
	 */
	unsignedAllowed?: true;
	handle(ctx: OAuthContext): Reply;
}

export type Route = ApiRoute | OAuthRoute;
