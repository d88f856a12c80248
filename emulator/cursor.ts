/**
 * Opaque events cursors. A cursor carries its from/to range and a position by (created_at,
 * sequence), never an index, so a listing stays stable while new events arrive. A short MAC makes
 * a tampered or invented cursor an error instead of a silent jump.
 */
import { createHmac } from 'node:crypto';

import type { LogPosition } from './eventLog';

export interface CursorState extends LogPosition {
	from: number;
	to: number;
	/** Sequence of an event to serve again at the start of the next page (duplicateEvent fault). */
	dup?: number;
	/**
	 * A page number that makes the cursor of an empty page fresh: X hands a new cursor with every
	 * page, empty ones included ("X moving on"), at the same position.
	 */
	page?: number;
}

const KEY = 'x-feedback-emulator-cursor-v1';

function mac(payload: string): string {
	return createHmac('sha256', KEY).update(payload).digest('base64url').slice(0, 12);
}

export function encodeCursor(c: CursorState): string {
	const payload = `1.${c.from}.${c.to}.${c.at}.${c.seq}.${c.dup ?? ''}${c.page !== undefined ? `.p${c.page}` : ''}`;
	return Buffer.from(`${payload}.${mac(payload)}`).toString('base64url');
}

export function decodeCursor(text: string): CursorState | undefined {
	if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
	const raw = Buffer.from(text, 'base64url').toString('utf8');
	const m = /^(1\.(\d+)\.(\d+)\.(\d+)\.(-?\d+)\.(\d*)(?:\.p(\d+))?)\.([A-Za-z0-9_-]+)$/.exec(raw);
	if (!m || mac(m[1]) !== m[8]) return undefined;
	const state: CursorState = { from: Number(m[2]), to: Number(m[3]), at: Number(m[4]), seq: Number(m[5]) };
	if (m[6] !== '') state.dup = Number(m[6]);
	if (m[7] !== undefined) state.page = Number(m[7]);
	return state;
}
