/** `npm run demo`: the emulator plus the example workflows, run through n8n's engine, offline. */
import { runDemo } from './demo';

runDemo().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error('The demo failed:', error);
		process.exit(1);
	},
);
