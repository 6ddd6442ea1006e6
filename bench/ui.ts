/**
 * UI bench: `npm run bench -- ui [runs]` (default 5 runs per figure).
 *
 * In headless Chromium, with React 19 bundled into a bench page:
 *   - first render: from the event list's answer arriving to the first painted frame with rows,
 *     for 1,000 and 10,000 events through the real (virtual) timeline, and 10,000 with no
 *     deployment to fold under (every event a row);
 *   - scroll: frame times while scrolling the timeline holding 10,000 events (both shapes).
 * Baseline, measured in the same run: a plain non-virtual React list of 1,000 rows (first render
 * and scroll). Prints medians and the ratio to the baseline. Aim: first render under 150 ms for 1,000.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import webpack from 'webpack';
import { launchBrowser } from '../test/helpers/browser';

const repoRoot = resolve(__dirname, '..');

function buildBenchPage(outDir: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const base = require('../webpack.config.js') as webpack.Configuration;
  const config: webpack.Configuration = {
    ...base,
    mode: 'production',
    entry: join(repoRoot, 'bench/ui/benchPage.tsx'),
    output: { path: outDir, filename: 'bench.js', iife: true },
    // The bench page brings its own React 19 instead of the host's globals.
    externals: {},
    infrastructureLogging: { level: 'error' },
  };
  return new Promise((resolvePromise, reject) => {
    webpack(config, (error, stats) => {
      if (error || !stats || stats.hasErrors()) {
        reject(error ?? new Error(stats?.toString({ all: false, errors: true }) ?? 'webpack failed'));
        return;
      }
      resolvePromise(join(outDir, 'bench.js'));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function run(args: string[]): Promise<void> {
  const runs = Math.max(1, Number(args[0] ?? 5) || 5);
  const outDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-ui-'));
  const browser = await launchBrowser();
  try {
    const script = readFileSync(await buildBenchPage(outDir), 'utf8');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: script });

    type Kind = 'timeline' | 'timeline-flat' | 'plain';
    const firstRender = async (kind: Kind, count: number) => {
      const times: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        const time = await page.evaluate(
          ([k, c]) =>
            (
              window as unknown as { cdeventsBench: { firstRender(k: string, c: number): Promise<number> } }
            ).cdeventsBench.firstRender(k, c),
          [kind, count] as const,
        );
        if (i > 0) times.push(time); // the first run warms up the JIT
      }
      return median(times);
    };
    const scroll = async (kind: Kind, count: number) => {
      await firstRender(kind, count);
      const selector = kind === 'plain' ? '.bench-plain' : '.cdevents-timeline';
      const frames = await page.evaluate(
        (s) =>
          (
            window as unknown as { cdeventsBench: { scrollFrames(s: string): Promise<number[]> } }
          ).cdeventsBench.scrollFrames(s),
        selector,
      );
      return { median: median(frames), p95: percentile(frames, 95), max: Math.max(...frames) };
    };

    const baseline = await firstRender('plain', 1000);
    const timeline1k = await firstRender('timeline', 1000);
    const timeline10k = await firstRender('timeline', 10_000);
    const flat10k = await firstRender('timeline-flat', 10_000);
    const baselineScroll = await scroll('plain', 1000);
    const timelineScroll = await scroll('timeline', 10_000);
    const flatScroll = await scroll('timeline-flat', 10_000);

    console.log(`UI bench, headless Chromium, React 19, median of ${runs} runs after one warm-up`);
    console.log(`  baseline: plain list, 1,000 rows, first render   ${ms(baseline)}`);
    console.log(
      `  timeline, 1,000 events, first render               ${ms(timeline1k)}  (${(timeline1k / baseline).toFixed(2)}× baseline; aim < 150 ms: ${timeline1k < 150 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  timeline, 10,000 events, first render              ${ms(timeline10k)}  (${(timeline10k / baseline).toFixed(2)}× baseline)`,
    );
    console.log(
      `  timeline, 10,000 events, none folded, first render ${ms(flat10k)}  (${(flat10k / baseline).toFixed(2)}× baseline)`,
    );
    console.log(
      `  baseline scroll frames (plain, 1,000 rows)         median ${ms(baselineScroll.median)}, p95 ${ms(baselineScroll.p95)}, max ${ms(baselineScroll.max)}`,
    );
    console.log(
      `  timeline scroll frames (10,000 events)             median ${ms(timelineScroll.median)}, p95 ${ms(timelineScroll.p95)}, max ${ms(timelineScroll.max)}  (p95 ${(timelineScroll.p95 / baselineScroll.p95).toFixed(2)}× baseline)`,
    );
    console.log(
      `  timeline scroll frames (10,000, none folded)       median ${ms(flatScroll.median)}, p95 ${ms(flatScroll.p95)}, max ${ms(flatScroll.max)}  (p95 ${(flatScroll.p95 / baselineScroll.p95).toFixed(2)}× baseline)`,
    );
  } finally {
    await browser.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
