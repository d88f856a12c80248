/** A credentials helper for n8n-core's execution contexts: hands our OAuth1 credential to the nodes. */
import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IHttpRequestOptions,
	type INodeCredentialsDetails,
	type INodeProperties,
} from 'n8n-workflow';

import { XCustomerFeedbackOAuth1Api } from '../../credentials/XCustomerFeedbackOAuth1Api.credentials';

export interface XTestCredentials {
	baseUrl: string;
	consumerKey: string;
	consumerSecret: string;
	accessToken: string;
	accessTokenSecret: string;
	/** The @username X returns with the access token (n8n keeps it in oauthTokenData). */
	screenName?: string;
}

export const CREDENTIAL_ID = 'x-test-credential';

export function decryptedCredential(creds: XTestCredentials): ICredentialDataDecryptedObject {
	const base = creds.baseUrl.replace(/\/+$/, '');
	return {
		baseUrl: creds.baseUrl,
		consumerKey: creds.consumerKey,
		consumerSecret: creds.consumerSecret,
		signatureMethod: 'HMAC-SHA1',
		requestTokenUrl: `${base}/oauth/request_token`,
		authUrl: `${base}/oauth/authorize`,
		accessTokenUrl: `${base}/oauth/access_token`,
		oauthTokenData: {
			oauth_token: creds.accessToken,
			oauth_token_secret: creds.accessTokenSecret,
			...(creds.screenName ? { screen_name: creds.screenName } : {}),
		},
	};
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** `others`: credentials of other types by type name (e.g. n8n's httpBasicAuth for the webhook trigger). */
	constructor(
		private readonly data: () => ICredentialDataDecryptedObject,
		private readonly others: Record<string, () => ICredentialDataDecryptedObject> = {},
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return name === new XCustomerFeedbackOAuth1Api().name ? ['oAuth1Api'] : [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(_credentials: ICredentialDataDecryptedObject, _typeName: string, requestOptions: IHttpRequestOptions) {
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(_additionalData: unknown, _details: INodeCredentialsDetails, type?: string): Promise<ICredentialDataDecryptedObject> {
		const other = type !== undefined ? this.others[type] : undefined;
		return structuredClone(other ? other() : this.data());
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return new XCustomerFeedbackOAuth1Api().properties;
	}
}
