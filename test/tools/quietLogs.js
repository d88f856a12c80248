// n8n's logger writes every error a test provokes on purpose to the console (about 150 blocks in a
// run). Tests that read log lines spy on the Logger; the console stays for what goes wrong.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
