// Native ES modules throughout (package.json "type": "module"): Jest runs with
// --experimental-vm-modules and ts-jest emits ESM, so ESM-only packages (nanoid, PGlite)
// load exactly as they do in the app.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/unit/**/*.test.ts', '**/integration/**/*.test.ts', '**/e2e/**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 60000,
  // Each file closes the printing browser it may have started (test/support/after-each-file.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/after-each-file.ts'],
  // Two test files at a time on CI's two cores: much of the suite waits on Chromium, R, PostgreSQL and
  // child processes, so the second worker fills that time (Jest's default, cores − 1, would leave it idle).
  maxWorkers: 2,
  // A worker that has grown past this after a file (each embedded database is a WebAssembly heap of its own,
  // returned to the system late) is replaced before the next: one CI run saw a worker slow to a crawl late on.
  workerIdleMemoryLimit: '1536MB',
  // A worker ends once its event loop is empty, and tearing down a worker that ran a dozen embedded databases
  // takes time: 0.19 s after one small file, 0.27–0.34 s after three, 0.93–0.95 s at the end of the suite
  // (measured; no handle or timer was left open at any file's start, and every worker ended by itself).
  // Jest's default wait of 0.5 s then force-exits it and reports a leak there is not.
  workerGracefulExitTimeout: 3000,
  // What cannot depend on the database the suite runs on (benchmarks, the statement-log attack on a cluster of
  // its own, what LibreOffice and PSPP read of the published files) runs once, on the embedded run; the server run leaves it out.
  testPathIgnorePatterns: process.env.TEST_DATABASE_URL
    ? ['/node_modules/', '/test/integration/benchmarks\\.test\\.ts$', '/test/integration/statement-log\\.test\\.ts$', '/test/integration/office-readers\\.test\\.ts$']
    : ['/node_modules/'],
};
