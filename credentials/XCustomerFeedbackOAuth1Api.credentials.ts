import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * X OAuth 1.0a user context (3-legged): n8n's "Connect my account" runs request_token, authorize and
 * access_token against the base URL below, so the same credential works against the local emulator.
 */
export class XCustomerFeedbackOAuth1Api implements ICredentialType {
	name = 'xCustomerFeedbackOAuth1Api';

	extends = ['oAuth1Api'];

	displayName = 'X (Twitter) Customer Feedback OAuth1 API';

	documentationUrl =
		'https://github.com/x-customer-feedback/n8n-nodes-x-customer-feedback#create-the-x-app-and-the-credential';

	icon: Icon = {
		light: 'file:xCustomerFeedback.svg',
		dark: 'file:xCustomerFeedback.dark.svg',
	};

	// n8n shows oAuth1Api's own fields first (Consumer Key, Consumer Secret) and then these, in this
	// order: API Base URL comes right after the keys, the notice below it.
	properties: INodeProperties[] = [
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.twitter.com',
			placeholder: 'https://api.twitter.com',
			required: true,
			description:
				'Where X answers; "Connect" and every request of the nodes go here. Keep https://api.twitter.com for X (a test stand-in such as the project\'s emulator has its own URL). Change it before you connect.',
		},
		{
			displayName:
				'Customer feedback cards are an X enterprise feature: the app and each sending @username must be allowlisted by X. In the X developer portal, set the app to "Read and write and Direct message" and add the OAuth Redirect URL shown above as a callback URL.',
			name: 'accessNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Request Token URL',
			name: 'requestTokenUrl',
			type: 'hidden',
			default: '={{ $self["baseUrl"].replace(/\\/+$/, "") }}/oauth/request_token',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '={{ $self["baseUrl"].replace(/\\/+$/, "") }}/oauth/authorize',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{ $self["baseUrl"].replace(/\\/+$/, "") }}/oauth/access_token',
		},
		{
			displayName: 'Signature Method',
			name: 'signatureMethod',
			type: 'hidden',
			default: 'HMAC-SHA1',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			// n8n signs OAuth 1.0a requests over `url` alone, so the host goes in it, not in baseURL.
			url: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}/1.1/account/verify_credentials.json',
			method: 'GET',
		},
	};
}
