/**
 * The services n8n's queue mode needs, started privately on loopback for test:queue: PostgreSQL
 * (initdb/pg_ctl as the postgres user; there is no systemd here) and Redis. Installs them from
 * Debian when missing. Everything started here is stopped by its own process id.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

import { log, run, sleep, startProcess, waitFor } from '../e2e/lib.mjs';

const PG_BIN = '/usr/lib/postgresql/15/bin';

function sh(command, args, opts = {}) {
	const r = spawnSync(command, args, { encoding: 'utf8', ...opts });
	if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
	return r.stdout;
}

const asPostgres = (command, args) => sh('runuser', ['-u', 'postgres', '--', command, ...args]);

export async function ensureServicesInstalled() {
	if (existsSync(path.join(PG_BIN, 'initdb')) && existsSync('/usr/bin/redis-server')) return 'already installed';
	log('installing postgresql and redis-server from Debian (apt-get)');
	await run('apt-get-update', 'apt-get', ['update'], { timeoutMs: 10 * 60_000 });
	await run('apt-get-install', 'apt-get', ['install', '-y', 'postgresql', 'redis-server'], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeoutMs: 15 * 60_000,
	});
	return 'installed with apt-get';
}

/** A fresh cluster in `dir`, listening on 127.0.0.1:`port` only, with a database `n8n`. */
export async function startPostgres(dir, port) {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	chmodSync(path.dirname(dir), 0o755);
	sh('chown', ['postgres:postgres', dir]);
	asPostgres(path.join(PG_BIN, 'initdb'), ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
	const logFile = path.join(dir, 'postgres.log');
	asPostgres(path.join(PG_BIN, 'pg_ctl'), [
		'-D',
		path.join(dir, 'data'),
		'-l',
		logFile,
		'-o',
		`-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir}`,
		'-w',
		'start',
	]);
	const pid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
	log(`started postgres (pid ${pid}) on 127.0.0.1:${port}`);
	await waitFor('postgres to accept connections', async () => {
		const r = spawnSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, 'pg_isready'), '-h', '127.0.0.1', '-p', String(port)]);
		return r.status === 0;
	});
	asPostgres(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE n8n']);
	return { pid, port, dir };
}

export function psql(pg, sql) {
	return asPostgres(path.join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', 'n8n', '-tAc', sql]);
}

/** Stops the postmaster this script started, by its pid; waits for it to go. */
export async function stopPostgres(pg) {
	if (!pg) return;
	try {
		process.kill(pg.pid, 'SIGINT'); // fast shutdown
	} catch {
		return;
	}
	for (let i = 0; i < 100; i++) {
		try {
			process.kill(pg.pid, 0);
		} catch {
			log(`stopped postgres (pid ${pg.pid})`);
			return;
		}
		await sleep(100);
	}
	process.kill(pg.pid, 'SIGKILL');
}

export async function startRedis(port, logFile) {
	const entry = startProcess('redis', '/usr/bin/redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { logFile });
	await waitFor('redis to answer PING', async () => spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.includes('PONG'));
	return entry;
}
