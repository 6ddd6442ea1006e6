/**
 * The first step of `npm test`: makes sure what the suite needs is there before
 * anything slow runs, and says in one line per problem what is missing.
 *   - test data: found by the resolver, or fetched into the cache (and then
 *     checked file by file against test-data.sha256);
 *   - PostgreSQL, NATS with JetStream, Chromium: each answers, or one line says
 *     how to start it or where to point the suite.
 */
import { fetchTestData, findChecksumProblems } from './data/fetchTestData';
import { describeMissingTestData, findTestData, TestDataError, type TestDataLocation } from './data/resolveTestData';
import { checkChromium, checkNats, checkPostgres } from './helpers/testServices';

async function locateTestData(): Promise<TestDataLocation> {
  const found = findTestData();
  if (found) return found;
  // Progress is shown only once the fetch worked: offline, the user sees the one line that says what to do.
  const progress: string[] = [];
  try {
    await fetchTestData({ log: (line) => progress.push(line) });
    console.log(`npm test: no test data was found, so it was fetched:\n  ${progress.join('\n  ')}`);
  } catch (error) {
    throw new TestDataError(describeMissingTestData(process.env, (error as Error).message));
  }
  const fetched = findTestData();
  if (!fetched) throw new TestDataError(describeMissingTestData(process.env, 'the cache is still incomplete'));
  return fetched;
}

async function main(): Promise<number> {
  const problems: string[] = [];
  try {
    const data = await locateTestData();
    const mismatches = findChecksumProblems(data.root);
    if (mismatches.length > 0) {
      problems.push(
        `test data in ${data.root} (${data.origin}) is not the pinned data: ${mismatches[0]}` +
          `${mismatches.length > 1 ? ` (and ${mismatches.length - 1} more)` : ''}; refresh it or unset the variable that points there`,
      );
    }
  } catch (error) {
    if (!(error instanceof TestDataError)) throw error;
    problems.push(error.message);
  }
  const services = await Promise.all([checkPostgres(), checkNats(), checkChromium()]);
  problems.push(...services.filter((line): line is string => line !== undefined));
  for (const line of problems) console.error(`npm test: ${line}`);
  return problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm test: preflight failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
