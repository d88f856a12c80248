/** X's errors as n8n's failure causes (n8n >= 2.37 backs off or asks for a reconnect by them). */
import { NodeApiError } from 'n8n-workflow';

import { failureOf } from '../../nodes/shared/errors';

test.each([
	['429 with a reset', { httpCode: 429, xCode: 88, transient: true, retryAtMs: 1_700_000_000_000 }, { cause: 'rate-limited', resetsAtEpochMs: 1_700_000_000_000 }],
	['88 without a reset header', { httpCode: 429, xCode: 88, transient: true }, { cause: 'rate-limited' }],
	['expired token 89', { httpCode: 401, xCode: 89, transient: false }, { cause: 'credential-invalid' }],
	['could not authenticate 32', { httpCode: 401, xCode: 32, transient: false }, { cause: 'credential-invalid' }],
	['bare 401', { httpCode: 401, transient: false }, { cause: 'credential-invalid' }],
	['clock off 135 is not the credential', { httpCode: 401, xCode: 135, transient: false }, undefined],
	['app not allowlisted 87', { httpCode: 403, xCode: 87, transient: false }, { cause: 'configuration-invalid' }],
	['over capacity 130', { httpCode: 503, xCode: 130, transient: true }, { cause: 'temporarily-unavailable' }],
	['network', { httpCode: 0, transient: true }, { cause: 'temporarily-unavailable' }],
	['asked in the last 24 hours 185', { httpCode: 403, xCode: 185, transient: false }, undefined],
])('%s', (_name, info, expected) => {
	expect(failureOf(info)).toEqual(expected);
});

test("n8n-workflow's NodeApiError carries it as `failure`", () => {
	const node = { name: 'X', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters: {}, id: '1' };
	const error = new NodeApiError(node, {}, { message: 'X rate limit reached', failure: failureOf({ httpCode: 429, transient: true }) });
	expect(error.failure).toEqual({ cause: 'rate-limited' });
});
