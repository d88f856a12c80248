import { authorizationHeader, NonceCache, oauthSignature, parseOAuthHeader } from '../../emulator/oauth';

// X's published example ("Creating a signature"), quoted in the API contract.
const VECTOR = {
	consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
	consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
	token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
	tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
	nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
	timestamp: 1318622958,
	signature: 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
};

describe("the emulator's OAuth signer", () => {
	it("reproduces X's published signature from the protocol parameters", () => {
		const signature = oauthSignature({
			method: 'POST',
			url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
			params: {
				status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
				oauth_consumer_key: VECTOR.consumerKey,
				oauth_nonce: VECTOR.nonce,
				oauth_signature_method: 'HMAC-SHA1',
				oauth_timestamp: String(VECTOR.timestamp),
				oauth_token: VECTOR.token,
				oauth_version: '1.0',
			},
			consumerSecret: VECTOR.consumerSecret,
			tokenSecret: VECTOR.tokenSecret,
		});
		expect(signature).toBe(VECTOR.signature);
	});

	it('puts the same signature in the Authorization header it builds', () => {
		const header = authorizationHeader({
			method: 'POST',
			url: 'https://api.twitter.com/1.1/statuses/update.json',
			params: { include_entities: 'true', status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
			consumerKey: VECTOR.consumerKey,
			consumerSecret: VECTOR.consumerSecret,
			token: VECTOR.token,
			tokenSecret: VECTOR.tokenSecret,
			nonce: VECTOR.nonce,
			timestamp: VECTOR.timestamp,
		});
		expect(header.startsWith('OAuth ')).toBe(true);
		expect(header).toContain('oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"');
		expect(parseOAuthHeader(header)).toEqual({
			oauth_consumer_key: VECTOR.consumerKey,
			oauth_nonce: VECTOR.nonce,
			oauth_signature: VECTOR.signature,
			oauth_signature_method: 'HMAC-SHA1',
			oauth_timestamp: String(VECTOR.timestamp),
			oauth_token: VECTOR.token,
			oauth_version: '1.0',
		});
	});

	it('tells a garbled header from a valid one', () => {
		expect(parseOAuthHeader(undefined)).toBeUndefined();
		expect(parseOAuthHeader('Bearer abc')).toBeUndefined();
		expect(parseOAuthHeader('OAuth oauth_nonce=unquoted')).toBeUndefined();
		expect(parseOAuthHeader('OAuth oauth_nonce="%E0%A4%A"')).toBeUndefined();
	});
});

describe('the nonce cache', () => {
	it('remembers a nonce until its timestamp could no longer pass, and stays under its cap', () => {
		const cache = new NonceCache(100);
		expect(cache.record('a', 1010, 1000)).toBe(true);
		expect(cache.record('a', 1010, 1005)).toBe(false);
		expect(cache.record('b', 1011, 1011)).toBe(true);
		expect(cache.record('a', 1030, 1011)).toBe(true); // expired at 1010, so forgotten
		for (let i = 0; i < 1000; i++) cache.record(`n${i}`, 2000 + Math.floor(i / 10), 1012);
		expect(cache.size).toBeLessThanOrEqual(101);
	});
});
