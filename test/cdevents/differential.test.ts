/**
 * Differential test: our validator (our definitions, run by Ajv) against the spec's own JSON
 * schemas (run by Ajv 2020 + ajv-formats in this test only). Every conformance file and at
 * least 1,000 seeded mutations of them get the same verdict from both, except the listed spec
 * bugs, where ours is deliberately right and the released schema is not.
 */
import { SPEC_BUGS, validateEvent } from '../../src/cdevents';
import { type Mutation, createRandom, listMutations, sampleByKind } from './mutations';
import { isValidBySpec, listConformanceFiles, oracleSchemaId, oracleValidator } from './specOracle';

interface Case {
  name: string;
  specVersion: string;
  schemaId: string;
  event: unknown;
  mutation?: Mutation;
}

const files = listConformanceFiles();
const baseCases: Case[] = files.map((file) => ({
  name: file.name,
  specVersion: file.specVersion,
  schemaId: oracleSchemaId(file.specVersion, file.event) as string,
  event: file.event,
}));

const random = createRandom(20260501);
const allMutations = baseCases.flatMap((base) =>
  listMutations(base.event, oracleValidator(base.schemaId).schema as Record<string, unknown>, base.specVersion).map(
    (mutation) => ({ ...base, name: `${base.name}: ${mutation.description}`, event: mutation.event, mutation }),
  ),
);
const sampledMutations = sampleByKind(
  allMutations.map((mutationCase) => mutationCase.mutation),
  250,
  random,
);
const sampled = new Set(sampledMutations);
const mutationCases: Case[] = allMutations.filter((mutationCase) => sampled.has(mutationCase.mutation));

/** The listed reason when a disagreement is a known spec bug, else undefined. */
function knownReason(testCase: Case, oursValid: boolean, specValid: boolean): string | undefined {
  const bug = SPEC_BUGS.find(
    (candidate) =>
      candidate.specVersion === testCase.specVersion &&
      testCase.schemaId.endsWith(`/schema/${candidate.type.replace('.', '-')}-event`),
  );
  return bug && oursValid && !specValid ? `spec ${bug.specVersion} ${bug.type}: ${bug.bug}` : undefined;
}

function compare(cases: Case[]) {
  const unexplained: string[] = [];
  const known = new Map<string, number>();
  let agreed = 0;
  for (const testCase of cases) {
    const verdict = validateEvent(testCase.event);
    const oursValid = verdict.status === 'valid';
    const specValid = isValidBySpec(testCase.schemaId, testCase.event);
    if (oursValid === specValid) {
      agreed++;
      continue;
    }
    const reason = knownReason(testCase, oursValid, specValid);
    if (reason) known.set(reason, (known.get(reason) ?? 0) + 1);
    else unexplained.push(`${testCase.name}: ours ${verdict.status}, spec ${specValid ? 'valid' : 'invalid'}`);
  }
  return { agreed, total: cases.length, known, unexplained };
}

function report(title: string, result: ReturnType<typeof compare>): void {
  const lines = [`${title} agreement: ${result.agreed}/${result.total}`];
  for (const [reason, count] of result.known) lines.push(`  known disagreement ×${count}: ${reason}`);
  for (const line of result.unexplained) lines.push(`  UNEXPLAINED: ${line}`);
  console.log(lines.join('\n'));
}

describe('our validator against the spec schemas', () => {
  it('gives every conformance file the spec schemas verdict, apart from the listed spec bugs', () => {
    const result = compare(baseCases);
    report('conformance files', result);
    expect(result.unexplained).toEqual([]);
    // 0.5.0's three broken schemas reject their own conformance files; ours accepts them.
    expect([...result.known.values()].reduce((sum, count) => sum + count, 0)).toBe(3);
  });

  it('draws at least 1,000 seeded mutations, of every kind', () => {
    const kinds = new Map<string, number>();
    for (const mutation of sampledMutations) kinds.set(mutation.kind, (kinds.get(mutation.kind) ?? 0) + 1);
    console.log(
      `mutations drawn: ${sampledMutations.length} of ${allMutations.length} possible; ${[...kinds].map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    );
    expect(sampledMutations.length).toBeGreaterThanOrEqual(1000);
    expect([...kinds.keys()].sort()).toEqual([
      'bad date-time',
      'bad uri',
      'bad uri-reference',
      'extra property',
      'optional field removed',
      'required field removed',
      'wrong enum value',
      'wrong type',
    ]);
  });

  it('gives every mutation the spec schemas verdict, apart from the listed spec bugs', () => {
    const result = compare(mutationCases);
    report('mutations', result);
    expect(result.unexplained).toEqual([]);
  });

  it('names the mutated place in its problems whenever both reject a mutation', () => {
    const unnamed: string[] = [];
    for (const testCase of mutationCases) {
      const verdict = validateEvent(testCase.event);
      if (verdict.status === 'valid' || isValidBySpec(testCase.schemaId, testCase.event)) continue;
      const pointer = (testCase.mutation as Mutation).pointer;
      const related = verdict.problems.some(
        (problem) =>
          problem.pointer === pointer ||
          pointer.startsWith(`${problem.pointer}/`) ||
          problem.pointer.startsWith(`${pointer}/`),
      );
      if (!related) unnamed.push(`${testCase.name}: ${JSON.stringify(verdict.problems)}`);
    }
    expect(unnamed).toEqual([]);
  });
});
