/** A strict RFC 4180 reader for the tests, written apart from toCsv so a round trip proves something. */
export function parseCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let i = 0;
	let quoted = false;
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i += 2;
			} else if (c === '"') {
				quoted = false;
				i++;
				if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
			} else {
				field += c;
				i++;
			}
		} else if (c === '"') {
			if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
			quoted = true;
			i++;
		} else if (c === ',') {
			record.push(field);
			field = '';
			i++;
		} else if (c === '\r' && text[i + 1] === '\n') {
			record.push(field);
			records.push(record);
			record = [];
			field = '';
			i += 2;
		} else if (c === '\r' || c === '\n') {
			throw new Error(`bare line break outside quotes at ${i}`);
		} else {
			field += c;
			i++;
		}
	}
	if (quoted) throw new Error('unterminated quoted field');
	if (field !== '' || record.length > 0) throw new Error('the last record lacks its CRLF');
	return records;
}
