/** Starts an in-process emulator on a free port with signed clients for the business and customers. */
import { type AnyJson, callControl, createSignedClient, type SignedClient } from '../../emulator/client';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index';

export interface TestCustomer {
	id: string;
	screenName: string;
	accessToken: string;
	accessTokenSecret: string;
}

export interface Harness {
	emu: RunningEmulator;
	/** Signed as the business account. */
	business: SignedClient;
	/** Signed as a customer. */
	as(customer: TestCustomer): SignedClient;
	/** The control API (JSON in and out). */
	control<T = AnyJson>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
	addCustomers(...customers: Array<{ screenName: string; canDm?: boolean; allowlisted?: boolean; name?: string }>): Promise<TestCustomer[]>;
	close(): Promise<void>;
}

export async function startHarness(options: Partial<EmulatorOptions> = {}): Promise<Harness> {
	const emu = await startEmulator({ minEventAgeMs: 0, ...options });
	const c = emu.credentials;
	const clients: SignedClient[] = [];
	const client = (token: string, tokenSecret: string) => {
		const cl = createSignedClient({ baseUrl: emu.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token, tokenSecret });
		clients.push(cl);
		return cl;
	};
	const control = <T = AnyJson>(method: string, path: string, body?: unknown) => callControl<T>(emu.baseUrl, method, path, body);
	return {
		emu,
		business: client(c.accessToken, c.accessTokenSecret),
		as: (customer) => client(customer.accessToken, customer.accessTokenSecret),
		control,
		async addCustomers(...customers) {
			const res = await control('POST', 'customers', { customers });
			if (res.status !== 200) throw new Error(JSON.stringify(res.body));
			return res.body.customers;
		},
		async close() {
			await Promise.all(clients.map((cl) => cl.close()));
			await emu.close();
		},
	};
}

export const PRIVACY_URL = 'https://acme.example/privacy';

/** Query parameters for a valid feedback/create. */
export function createParams(toUserId: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
	return { type: 'csat', to_user_id: toUserId, message: 'How did we do?', privacy_url: PRIVACY_URL, test: 'true', ...extra };
}

export function errorOf(body: AnyJson): { code: number; message: string } {
	return body?.errors?.[0];
}
