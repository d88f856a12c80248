/** A compact text table for the demo's narrative: fixed columns, long cells cut with an ellipsis. */
export interface Column<T> {
	title: string;
	value: (row: T) => unknown;
	/** Widest the column gets; longer cells are cut. */
	max?: number;
	align?: 'left' | 'right';
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value).replace(/\s+/g, ' '));

function cut(s: string, max: number): string {
	const chars = [...s];
	return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

const width = (s: string) => [...s].length;

function pad(s: string, w: number, align: 'left' | 'right'): string {
	const fill = ' '.repeat(Math.max(0, w - width(s)));
	return align === 'right' ? fill + s : s + fill;
}

/** The table's lines, a header and a rule first; `indent` goes before each line. */
export function table<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, indent = '  '): string[] {
	const cells = rows.map((row) => columns.map((c) => cut(text(c.value(row)), c.max ?? 40)));
	const widths = columns.map((c, i) => Math.max(width(c.title), ...cells.map((r) => width(r[i]))));
	const line = (values: string[]) =>
		indent + values.map((v, i) => pad(v, widths[i], columns[i].align ?? 'left')).join('  ').trimEnd();
	return [line(columns.map((c) => c.title)), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
}
