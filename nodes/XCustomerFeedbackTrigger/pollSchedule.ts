/**
 * The trigger's "Poll Times" as cron expressions for registerCron: the same choices and the same
 * meaning as n8n gives polling nodes, with a fixed second (and minute, for "every X hours") spread
 * per activation so that many workflows do not all call X on the same second.
 */
export interface PollTime {
	mode?: string;
	hour?: number;
	minute?: number;
	dayOfMonth?: number;
	weekday?: number | string;
	value?: number;
	unit?: string;
	cronExpression?: string;
}

export function pollCronExpressions(pollTimes: { item?: PollTime[] } | undefined, second: number, minute: number): string[] {
	const items = pollTimes?.item?.length ? pollTimes.item : [{ mode: 'everyMinute' }];
	const expressions = items.map((t) => cronOf(t, second, minute));
	return [...new Set(expressions)];
}

function cronOf(t: PollTime, second: number, minute: number): string {
	switch (t.mode) {
		case 'everyMinute':
			return `${second} * * * * *`;
		case 'everyHour':
			return `${second} ${t.minute ?? 0} * * * *`;
		case 'everyX':
			if (t.unit === 'hours') return `${second} ${minute} */${positive(t.value)} * * *`;
			return `${second} */${positive(t.value)} * * * *`;
		case 'everyDay':
			return `${second} ${t.minute ?? 0} ${t.hour ?? 0} * * *`;
		case 'everyWeek':
			return `${second} ${t.minute ?? 0} ${t.hour ?? 0} * * ${t.weekday ?? 1}`;
		case 'everyMonth':
			return `${second} ${t.minute ?? 0} ${t.hour ?? 0} ${t.dayOfMonth ?? 1} * *`;
		case 'custom':
			return String(t.cronExpression ?? '').trim();
		default:
			return `${second} * * * * *`;
	}
}

function positive(value: unknown): number {
	const n = Math.floor(Number(value));
	return Number.isFinite(n) && n >= 1 ? n : 1;
}
