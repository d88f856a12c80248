/** The webhook's pure checks against arbitrary input: never a throw, never a wrong admission. */
import fc from 'fast-check';

import { AnomalyLog } from '../../nodes/shared/feedbackLog/anomalies';
import { basicAuthMatches, partsOf, readEvent } from '../../nodes/XCustomerFeedbackWebhookTrigger/webhookRequest';

const header = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('Basic auth admits exactly the user and password given, whatever else is sent', () => {
	const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes(':'));
	fc.assert(
		fc.property(text, fc.string({ minLength: 1, maxLength: 40 }), text, fc.string({ maxLength: 40 }), (user, password, otherUser, otherPassword) => {
			expect(basicAuthMatches(header(user, password), user, password)).toBe(true);
			const same = otherUser === user && otherPassword === password;
			expect(basicAuthMatches(header(otherUser, otherPassword), user, password)).toBe(same);
		}),
		{ numRuns: 500 },
	);
	fc.assert(
		fc.property(fc.anything(), (value) => {
			expect(basicAuthMatches(value, 'u', 'p')).toBe(false);
		}),
		{ numRuns: 300 },
	);
});

test('any body is either one event or a refusal with a reason, never a throw; any event gives parts without a throw', () => {
	fc.assert(
		fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map((j) => new TextEncoder().encode(j))), (bytes) => {
			const read = readEvent(Buffer.from(bytes), undefined);
			if ('status' in read) {
				expect([400, 413]).toContain(read.status);
				expect(read.reason.length).toBeGreaterThan(5);
			} else {
				expect(read.event.event_type.startsWith('feedback.')).toBe(true);
				partsOf(read.event, { events: ['request', 'score', 'comment'], feedbackType: 'all', includeTest: true }, new AnomalyLog());
			}
		}),
		{ numRuns: 1000 },
	);
	const feedback = fc.record(
		{
			id: fc.oneof(fc.stringMatching(/^[0-9]{1,12}$/), fc.anything()),
			from_user_id: fc.oneof(fc.constant('42'), fc.anything()),
			type: fc.oneof(fc.constantFrom('csat', 'nps'), fc.anything()),
			test: fc.anything(),
			created_at: fc.oneof(fc.constant('Sat Dec 15 17:58:20 +0000 2015'), fc.anything()),
			response: fc.anything(),
		},
		{ requiredKeys: [] },
	);
	fc.assert(
		fc.property(fc.record({ event_type: fc.oneof(fc.constant('feedback.updated'), fc.anything()), created_at: fc.anything(), feedback }, { requiredKeys: [] }), (body) => {
			const read = readEvent(Buffer.from(JSON.stringify(body) ?? ''), undefined);
			if ('event' in read) partsOf(read.event, { events: ['request', 'score', 'comment'], feedbackType: 'all', includeTest: true }, new AnomalyLog());
		}),
		{ numRuns: 1000 },
	);
});

test('a from_user_id that is an object whose toString is not a function is refused, not thrown (found by the property above, seed -1543635531)', () => {
	const body = Buffer.from(JSON.stringify({ event_type: 'feedback.updated', feedback: { id: '0', from_user_id: { toString: 0 } } }));
	const read = readEvent(body, undefined);
	expect(read).toMatchObject({ status: 400, reason: 'feedback.from_user_id is not a user id' });
});
