/**
 * Benchmarks: `npm run bench -- <name> [args]`, e.g. `npm run bench -- ingest`.
 * Each bench is bench/<name>.ts exporting `run(args)`; add one line below.
 * Benches load lazily, so one bench's dependencies (a browser) never slow another.
 * Every bench prints its figures beside a baseline measured in the same run, and the ratio.
 */
type Bench = { run(args: string[]): Promise<void> };

const benches: Record<string, () => Promise<Bench>> = {
  ingest: () => import('./ingest.js'),
  chain: () => import('./chain.js'),
  ui: () => import('./ui.js'),
  export: () => import('./export.js'),
  scale: () => import('./scale.js'),
  partitionDrop: () => import('./partitionDrop.js'),
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const load = name === undefined ? undefined : benches[name];
  if (!load) {
    console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [args]`);
    process.exit(2);
  }
  await (await load()).run(args);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
