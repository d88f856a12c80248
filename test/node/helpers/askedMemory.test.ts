/** helpers/askedMemory.ts: Send Request's claim on a customer, settled once whatever ends the item. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { RecipientClaim, keepClaims, type ClaimOutcome } from '../../../nodes/XCustomerFeedback/helpers/askedMemory';

/** A node run whose store records what it is asked to forget and to read back. */
function fakeRun() {
	const forgotten: string[][] = [];
	const readBack: string[][] = [];
	const problems: string[] = [];
	const ctx = {
		helpers: {
			removeProcessed: async (keys: string[]) => void forgotten.push(keys.map(String)),
			checkProcessedAndRecord: async (keys: string[]) => {
				readBack.push(keys.map(String));
				return { new: [], processed: keys };
			},
		},
		logger: { warn: () => {} },
	} as unknown as IExecuteFunctions;
	const claim = (leftover: string[] = []) => new RecipientClaim(ctx, '42@2026-03-01', leftover, (what, problem) => problems.push(`${what}: ${problem}`));
	return { ctx, forgotten, readBack, problems, claim };
}

describe('RecipientClaim', () => {
	test('given back: the claim and the leftover keys of its check go back in one call, once however often it is asked', async () => {
		const run = fakeRun();
		const claim = run.claim(['42@2026-02-28']);
		await claim.giveBack();
		await claim.giveBack();
		await claim.settle('giveBack');
		await claim.commit();
		await keepClaims(run.ctx);
		expect(run.forgotten).toEqual([['42@2026-03-01', '42@2026-02-28']]);
		expect(run.readBack).toEqual([]);
	});

	test('kept: read back when the run ends, never given back afterwards', async () => {
		const run = fakeRun();
		const claim = run.claim();
		await claim.commit();
		await claim.giveBack();
		await claim.settle('giveBack');
		await claim.commit();
		expect(run.forgotten).toEqual([]);
		await keepClaims(run.ctx);
		expect(run.readBack).toEqual([['42@2026-03-01']]);
	});

	test('kept with leftover keys of its check: those go back, the claim stays', async () => {
		const run = fakeRun();
		await run.claim(['42@2026-02-27', 'claim:probe']).commit();
		expect(run.forgotten).toEqual([['42@2026-02-27', 'claim:probe']]);
	});

	test.each<[ClaimOutcome, number, number]>([
		['keep', 0, 1],
		['giveBack', 1, 0],
	])('settle(%s): %i give-back, %i read-back', async (outcome, givenBack, readBack) => {
		const run = fakeRun();
		await run.claim().settle(outcome);
		await keepClaims(run.ctx);
		expect(run.forgotten).toHaveLength(givenBack);
		expect(run.readBack).toHaveLength(readBack);
	});

	test('a store that fails to take the claim back is reported, not thrown', async () => {
		const run = fakeRun();
		(run.ctx.helpers as unknown as { removeProcessed: () => Promise<void> }).removeProcessed = async () => {
			throw new Error('deadlock detected');
		};
		await expect(run.claim().giveBack()).resolves.toBeUndefined();
		expect(run.problems).toEqual(['to forget a claim (no card went out): this customer reads as asked recently until the window ends: deadlock detected']);
	});

	test('a node that keeps no memory has nothing to settle', async () => {
		const run = fakeRun();
		const none = RecipientClaim.none(run.ctx);
		await none.settle('keep');
		await none.settle('giveBack');
		await keepClaims(run.ctx);
		expect(run.forgotten).toEqual([]);
		expect(run.readBack).toEqual([]);
	});
});
