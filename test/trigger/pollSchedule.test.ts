/** "Poll Times" to registerCron expressions, with n8n's meaning for each mode. */
import { pollCronExpressions } from '../../nodes/XCustomerFeedbackTrigger/pollSchedule';

test.each([
	[{ item: [{ mode: 'everyMinute' }] }, ['7 * * * * *']],
	[{ item: [{ mode: 'everyHour', minute: 15 }] }, ['7 15 * * * *']],
	[{ item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] }, ['7 */5 * * * *']],
	[{ item: [{ mode: 'everyX', value: 2, unit: 'hours' }] }, ['7 33 */2 * * *']],
	[{ item: [{ mode: 'everyDay', hour: 9, minute: 30 }] }, ['7 30 9 * * *']],
	[{ item: [{ mode: 'everyWeek', hour: 9, minute: 0, weekday: 1 }] }, ['7 0 9 * * 1']],
	[{ item: [{ mode: 'everyMonth', hour: 6, minute: 0, dayOfMonth: 1 }] }, ['7 0 6 1 * *']],
	[{ item: [{ mode: 'custom', cronExpression: ' */5 * * * * * ' }] }, ['*/5 * * * * *']],
	[{ item: [{ mode: 'everyMinute' }, { mode: 'everyMinute' }] }, ['7 * * * * *']],
	[{}, ['7 * * * * *']],
	[undefined, ['7 * * * * *']],
])('%j', (pollTimes, expected) => {
	expect(pollCronExpressions(pollTimes, 7, 33)).toEqual(expected);
});
