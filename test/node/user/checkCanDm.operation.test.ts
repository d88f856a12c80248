/** User → Check Can DM, through n8n-core against the emulator: can_dm read where X documents it. */
import type { INodeParameters } from 'n8n-workflow';

import { ENDPOINT, byId, byUsername, count, useXNode, type Customer, type XNode } from '../xNode';

let x: XNode;
let alice: Customer;
let closed: Customer;

useXNode((node) => (x = node), {
	customers: [{ screenName: 'alice' }, { screenName: 'closed_dms', canDm: false }],
	each: (customers) => ([alice, closed] = customers),
});

const check = (recipient: ReturnType<typeof byId>): INodeParameters => ({ resource: 'user', operation: 'checkCanDm', recipient });

test("reads friendships/show's relationship.source.can_dm (X's public docs), one call, by ID or @username", async () => {
	const open = await x.run(check(byId(alice.id)));
	expect(open.error).toBeUndefined();
	expect(open.items.map((i) => i.json)).toEqual([{ userId: alice.id, screenName: 'alice', canDm: true, canDmReason: null }]);
	const shut = await x.run(check(byUsername('@closed_dms')));
	expect(shut.items.map((i) => i.json)).toEqual([{ userId: closed.id, screenName: 'closed_dms', canDm: false, canDmReason: null }]);
	const stats = await x.stats();
	expect(count(stats, ENDPOINT.friendshipsShow)).toBe(2);
	expect(count(stats, ENDPOINT.usersShow)).toBe(0);
});

test('X leaves can_dm out (emulator canDmField: false): canDm is null, not false, and canDmReason says why', async () => {
	await x.control('POST', 'config', { canDmField: false });
	for (const customer of [alice, closed]) {
		const { items, error } = await x.run(check(byId(customer.id)));
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({
			userId: customer.id,
			screenName: customer.screenName,
			canDm: null,
			canDmReason: "X's friendships/show answer has no relationship.source.can_dm, so it is unknown whether this account can send them Direct Messages",
		});
	}
});
