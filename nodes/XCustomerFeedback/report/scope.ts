/** Which feedback a report counts: test feedback only when asked, and only the chosen external ids. */
import { isTestFeedback } from '../../shared/feedbackRules';
import type { XFeedback } from '../../shared/types';

export interface ScopeOptions {
	includeTest: boolean;
	/** Count only feedback whose external_id starts with one of these (or is one of externalIds). */
	externalIdPrefixes?: readonly string[];
	/** Count only feedback whose external_id is one of these (or starts with one of the prefixes). */
	externalIds?: readonly string[];
}

/** Why a feedback is left out, or 'in'. */
export type ScopeVerdict = 'in' | 'test' | 'outOfScope';

export interface Scope {
	includeTest: boolean;
	externalIdPrefixes: string[];
	externalIds: string[];
}

/** The scope with empty entries dropped: an empty prefix would match everything by accident. */
export function normalizeScope(options: ScopeOptions): Scope {
	const clean = (list?: readonly string[]) => [...new Set((list ?? []).filter((s) => typeof s === 'string' && s !== ''))];
	return {
		includeTest: options.includeTest === true,
		externalIdPrefixes: clean(options.externalIdPrefixes),
		externalIds: clean(options.externalIds),
	};
}

export function scopeVerdict(scope: Scope, feedback: XFeedback): ScopeVerdict {
	if (!scope.includeTest && isTestFeedback(feedback)) return 'test';
	if (scope.externalIdPrefixes.length === 0 && scope.externalIds.length === 0) return 'in';
	const externalId = feedback.external_id;
	if (typeof externalId !== 'string') return 'outOfScope';
	if (scope.externalIds.includes(externalId)) return 'in';
	return scope.externalIdPrefixes.some((prefix) => externalId.startsWith(prefix)) ? 'in' : 'outOfScope';
}
