/** The slice of IWorkflowExecuteAdditionalData that n8n-core's contexts read when running these nodes. */
import { ExecutionLifecycleHooks } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IWorkflowBase, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';

import { TestCredentialsHelper, decryptedCredential, type XTestCredentials } from './credentials';
import { installDeduplicationStore } from './memoryDeduplicator';

// Nodes that use n8n's de-duplication store find one, as in n8n.
installDeduplicationStore();

export function buildAdditionalData(
	credentials: () => XTestCredentials,
	workflowData: IWorkflowBase,
	mode: WorkflowExecuteMode,
	otherCredentials: Record<string, () => ICredentialDataDecryptedObject> = {},
): IWorkflowExecuteAdditionalData {
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', workflowData);
	return {
		credentialsHelper: new TestCredentialsHelper(() => decryptedCredential(credentials()), otherCredentials),
		hooks,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		getRunExecutionData: async () => undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		logAiEvent: () => {},
		executionId: 'test-execution',
	} as unknown as IWorkflowExecuteAdditionalData;
}
