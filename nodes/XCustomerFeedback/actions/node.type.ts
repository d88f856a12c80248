/**
 * The resources of the action node and their operations, by internal name: what the router switches
 * on. Each resource module (`<resource>/<Resource>.resource.ts`) exports one module per operation
 * named here, so an operation named here without its module, or misspelt, does not compile.
 */
import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	account: 'checkSetup';
	directMessage: 'send';
	feedback: 'get' | 'getMany' | 'getReport' | 'send' | 'skipSeen';
	user: 'checkCanDm' | 'get';
};

export type XCustomerFeedbackType = AllEntities<NodeMap>;
