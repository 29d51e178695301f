// Writes jest's totals to test/artifacts/results.json so that CI can print "N passed, N failed".
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '..', 'artifacts');
    mkdirSync(dir, { recursive: true });
    const failedSuites = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    writeFileSync(
      join(dir, 'results.json'),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        skipped: results.numPendingTests + results.numTodoTests,
        failedSuites,
        success: results.success,
      }),
    );
  }
}

module.exports = SummaryReporter;
