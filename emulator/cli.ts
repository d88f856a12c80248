/**
 * Runs the emulator until SIGINT/SIGTERM:
 *   node -r ts-node/register/transpile-only emulator/cli.ts --port 8787 --min-event-age-ms 0 --seed demo
 */
import { DEFAULT_OPTIONS, startEmulator, type EmulatorOptions } from './index';

const FLAGS: Record<string, keyof EmulatorOptions> = {
	'--port': 'port',
	'--host': 'host',
	'--min-event-age-ms': 'minEventAgeMs',
	'--seed': 'seed',
	'--snapshot-mode': 'snapshotMode',
	'--event-lag-min-ms': 'eventLagMinMs',
	'--event-lag-max-ms': 'eventLagMaxMs',
	'--max-page-size': 'maxPageSize',
	'--empty-page-every': 'emptyPageEvery',
	'--rate-window-ms': 'rateWindowMs',
	'--oauth-timestamp-skew-sec': 'oauthTimestampSkewSec',
	'--request-delay-ms': 'requestDelayMs',
	'--app-allowlisted': 'appAllowlisted',
	'--account-allowlisted': 'accountAllowlisted',
	'--dm-permission': 'dmPermission',
	'--can-dm-field': 'canDmField',
	'--per-recipient-refusal': 'perRecipientRefusal',
	'--date-style': 'dateStyle',
};

const USAGE = `Usage: node -r ts-node/register/transpile-only emulator/cli.ts [options]

  --port N                    listen port (default 8787; 0 = any free port)
  --host H                    listen address (default 127.0.0.1)
  --min-event-age-ms N        to_time must be this far in the past (default 86400000 = 24 h, like X)
  --seed demo|none            load the demo data set (default none)
  --snapshot-mode event|current
  --event-lag-min-ms N, --event-lag-max-ms N
                              stamp each event N ms (whole seconds, negative = before) from its change,
                              spread over this range (default 0 0: stamped at the change)
  --max-page-size N           events per page at most, 1-100 (default 100)
  --empty-page-every N        every Nth events page is empty but has a next_cursor (default 0 = never)
  --rate-window-ms N          length of the 15-minute rate-limit windows (default 900000)
  --oauth-timestamp-skew-sec N  (default 300)
  --request-delay-ms N        delay every API answer (default 0)
  --app-allowlisted true|false, --account-allowlisted true|false, --dm-permission true|false
  --can-dm-field true|false   false: answers leave out can_dm (default true)
  --per-recipient-refusal forbidden|rateLimit
                              feedback/create's second request to a recipient in 24 h: 403/185 or 429/88
  --date-style classic|compact  compact: SatDec1517:58:20+00002015, as X's feedback examples (default classic)
  --state-file PATH           keep customers, issued OAuth tokens and feedback in PATH across restarts
                              (read at start when it exists; the seed applies only to a new file)
  --webhook-url URL           register X's feedback webhook: POST each new event to URL (as X does)
  --webhook-user USER         with Basic auth: this user, and the password in the environment
                              variable X_WEBHOOK_PASSWORD (kept off the command line)
                              (or at run time: POST /_emulator/webhook {url, user, password})
`;

function parseArgs(argv: string[]): Partial<EmulatorOptions> {
	const out: Record<string, unknown> = { port: 8787 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
		if (flag === '--help' || flag === '-h') {
			process.stdout.write(USAGE);
			process.exit(0);
		}
		const key = FLAGS[flag];
		if (!key) throw new Error(`unknown option ${flag}`);
		const raw = inline ?? argv[++i];
		if (raw === undefined) throw new Error(`${flag} needs a value`);
		const kind = typeof DEFAULT_OPTIONS[key];
		if (kind === 'number') {
			if (!/^-?\d+$/.test(raw)) throw new Error(`${flag} must be a whole number`);
			out[key] = Number(raw);
		} else if (kind === 'boolean') {
			if (raw !== 'true' && raw !== 'false') throw new Error(`${flag} must be true or false`);
			out[key] = raw === 'true';
		} else out[key] = raw;
	}
	return out as Partial<EmulatorOptions>;
}

/** `--state-file <path>` (not an emulator option: where its state lives between runs). */
function takeStateFile(argv: string[]): { stateFile?: string; rest: string[] } {
	const rest: string[] = [];
	let stateFile: string | undefined;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
		if (flag !== '--state-file') {
			rest.push(argv[i]);
			continue;
		}
		stateFile = inline ?? argv[++i];
		if (!stateFile) throw new Error('--state-file needs a path');
	}
	return { stateFile, rest };
}

/** `--webhook-url` and `--webhook-user` (not emulator options: a registration, as X makes one by hand). */
function takeWebhook(argv: string[]): { webhook?: Record<string, unknown>; rest: string[] } {
	const rest: string[] = [];
	const found: Record<string, string> = {};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
		if (flag !== '--webhook-url' && flag !== '--webhook-user') {
			rest.push(argv[i]);
			continue;
		}
		const value = inline ?? argv[++i];
		if (!value) throw new Error(`${flag} needs a value`);
		found[flag] = value;
	}
	if (found['--webhook-user'] && !found['--webhook-url']) throw new Error('--webhook-user needs --webhook-url');
	if (!found['--webhook-url']) return { rest };
	const user = found['--webhook-user'];
	const password = process.env.X_WEBHOOK_PASSWORD;
	if (user && !password) throw new Error('--webhook-user needs the password in the environment variable X_WEBHOOK_PASSWORD');
	return { webhook: { url: found['--webhook-url'], ...(user ? { user, password } : {}) }, rest };
}

async function main(): Promise<void> {
	let options: Partial<EmulatorOptions>;
	let stateFile: string | undefined;
	let webhook: Record<string, unknown> | undefined;
	try {
		const taken = takeStateFile(process.argv.slice(2));
		stateFile = taken.stateFile;
		const hooked = takeWebhook(taken.rest);
		webhook = hooked.webhook;
		options = parseArgs(hooked.rest);
	} catch (err) {
		process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
		process.exit(2);
	}
	const emulator = await startEmulator(options, { stateFile }).catch((err: Error) => {
		process.stderr.write(`Could not start the emulator: ${err.message}\n`);
		process.exit(1);
	});
	const c = emulator.credentials;
	const config = emulator.store.config;
	if (webhook) {
		try {
			emulator.store.webhooks.register(webhook);
		} catch (err) {
			process.stderr.write(`--webhook-url: ${(err as Error).message}\n`);
			process.exit(2);
		}
	}
	console.log(`X Customer Feedback API emulator listening on ${emulator.baseUrl}`);
	console.log(`  API:          ${emulator.baseUrl}/1.1/...`);
	console.log(`  OAuth:        ${emulator.baseUrl}/oauth/request_token, /oauth/authorize, /oauth/access_token`);
	console.log(`  Control API:  ${emulator.baseUrl}/_emulator/...`);
	console.log(
		`  Options:      seed=${emulator.store.startOptions.seed} minEventAgeMs=${config.minEventAgeMs} snapshotMode=${config.snapshotMode} ` +
			`eventLagMs=${config.eventLagMinMs}..${config.eventLagMaxMs} ` +
			`maxPageSize=${config.maxPageSize} emptyPageEvery=${config.emptyPageEvery} rateWindowMs=${config.rateWindowMs}`,
	);
	if (webhook) console.log(`  Webhook:      POST ${String(webhook.url)} for each new event${webhook.user ? ' (Basic auth)' : ''}`);
	if (stateFile) {
		console.log(
			emulator.restored
				? `  State:        ${stateFile} (restored: ${emulator.store.accounts.customers().length} customers, ${emulator.store.feedback.records.size} feedback requests, issued tokens)`
				: `  State:        ${stateFile} (new; kept across restarts)`,
		);
	}
	console.log('Business credentials (emulator-only fake values):');
	console.log(`  consumerKey:       ${c.consumerKey}`);
	console.log(`  consumerSecret:    ${c.consumerSecret}`);
	console.log(`  accessToken:       ${c.accessToken}`);
	console.log(`  accessTokenSecret: ${c.accessTokenSecret}`);
	console.log(`  userId:            ${c.userId} (@${c.screenName})`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the emulator.`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
