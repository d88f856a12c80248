// n8n's logger writes every error a test provokes on purpose to the console (about 150 blocks in a
// run). It writes to a file instead, at its usual level, so tests that capture n8n's own log lines
// (test/faults/secrets.test.ts) still see every one; the console stays for what goes wrong.
const os = require('node:os');
const path = require('node:path');

process.env.N8N_LOG_OUTPUT = process.env.N8N_LOG_OUTPUT ?? 'file';
process.env.N8N_LOG_FILE_LOCATION = process.env.N8N_LOG_FILE_LOCATION ?? path.join(os.tmpdir(), 'x-feedback-jest-n8n.log');
