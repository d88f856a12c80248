/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
  },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/tools/skipReasons.js'],
  setupFiles: ['<rootDir>/test/tools/quietLogs.js', '<rootDir>/test/tools/fastReadBack.ts'],
};
