/**
 * X's documented rate limits: fixed windows per endpoint per user on the API clock. The short
 * windows last `rateWindowMs` (15 minutes on X); the daily ones always last 24 hours.
 */
export type LimitWindow = 'short' | 'day';

export interface LimitRule {
	limit: number;
	window: LimitWindow;
}

export const RATE_LIMITS = {
	verifyCredentials: { limit: 75, window: 'short' },
	usersShow: { limit: 900, window: 'short' },
	/** Not in the contract; X's own number for users/lookup. */
	usersLookup: { limit: 900, window: 'short' },
	friendshipsShow: { limit: 180, window: 'short' },
	dmNew: { limit: 1000, window: 'day' },
	feedbackCreate: { limit: 1000, window: 'day' },
	feedbackShow: { limit: 180, window: 'short' },
	feedbackEvents: { limit: 1000, window: 'short' },
	/** The emulator-only customer side; generous so that demos never meet it. */
	feedbackAnswer: { limit: 1000, window: 'short' },
} as const satisfies Record<string, LimitRule>;

export type LimitName = keyof typeof RATE_LIMITS;

/** Direct messages per app per 24 hours, across all users. */
export const APP_DM_LIMIT: LimitRule = { limit: 15_000, window: 'day' };

export interface LimitState {
	allowed: boolean;
	limit: number;
	remaining: number;
	/** End of the window on the API clock (epoch ms). */
	resetAt: number;
}

export class RateLimiter {
	private readonly windows = new Map<string, { start: number; count: number }>();

	/** Counts one call against `key` unless the window is exhausted. */
	take(key: string, rule: LimitRule, windowMs: number, now: number): LimitState {
		const state = this.current(key, windowMs, now);
		const allowed = state.count < rule.limit;
		if (allowed) state.count++;
		return {
			allowed,
			limit: rule.limit,
			remaining: Math.max(0, rule.limit - state.count),
			resetAt: state.start + windowMs,
		};
	}

	clear(): void {
		this.windows.clear();
	}

	private current(key: string, windowMs: number, now: number): { start: number; count: number } {
		let w = this.windows.get(key);
		// A clock set backwards also starts a new window.
		if (!w || now >= w.start + windowMs || now < w.start) {
			w = { start: now, count: 0 };
			this.windows.set(key, w);
		}
		return w;
	}
}

/** x-rate-limit-* headers; reset is translated to wall-clock epoch seconds, what a client can wait for. */
export function rateLimitHeaders(state: LimitState, apiNow: number): Record<string, string> {
	const wallReset = Date.now() + Math.max(0, state.resetAt - apiNow);
	return {
		'x-rate-limit-limit': String(state.limit),
		'x-rate-limit-remaining': String(state.remaining),
		'x-rate-limit-reset': String(Math.ceil(wallReset / 1000)),
	};
}
