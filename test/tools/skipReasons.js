// A jest reporter: after the run, each skipped test with its full name, which says why it was
// skipped (a missing browser, an n8n install the test needs), so a skip is never silent.
class SkipReasons {
	onRunComplete(_contexts, results) {
		const skipped = results.testResults.flatMap((file) =>
			file.testResults.filter((t) => t.status === 'pending' || t.status === 'skipped').map((t) => t.fullName),
		);
		if (skipped.length === 0) return;
		const byReason = new Map();
		for (const name of skipped) {
			const reason = /\((skipped: [^)]*)\)/.exec(name)?.[1] ?? `skipped without a stated reason: ${name}`;
			byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
		}
		for (const [reason, count] of byReason) console.log(`${count} test(s) ${reason}`);
	}
}
module.exports = SkipReasons;
