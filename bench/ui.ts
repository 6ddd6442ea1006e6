/**
 * UI bench: `npm run bench -- ui [runs]` (default 5 runs per figure).
 *
 * In headless Chromium, with React 19 bundled into a bench page:
 *   - first render: from the event list's answer arriving to the first painted frame with rows,
 *     for 1,000 and 10,000 events through the real (virtual) timeline, and 10,000 with no
 *     deployment to fold under (every event a row);
 *   - scroll: frame times while scrolling the timeline holding 10,000 events (both shapes);
 *   - infinite loading, as the tab runs (issue 19): an API holding 10,000 events answers pages of 200
 *     with fold counts; first rows p95 over many runs, then frame times while scrolling from the top
 *     to the oldest event, the timeline asking for each older page as the end comes near.
 * The backend's part (bench/ui/listRouteTimes.ts): the list route's store work for that first page
 * of 200 with its fold counts, on PGlite with 10,000 events, beside the page query alone.
 * Baseline, measured in the same run: a plain non-virtual React list of 1,000 rows (first render
 * and scroll). Prints medians (and p95 where said) and the ratio to the baseline. Aims: first render
 * under 150 ms for 1,000; first rows under 150 ms p95 with 10,000 events paged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import webpack from 'webpack';
import { launchBrowser } from '../test/helpers/browser';
import { measureListRoute } from './ui/listRouteTimes';

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
  // p95 needs more than a handful of runs: at least 20, else four per run asked for.
  const pagedSamples = Math.max(20, runs * 4);
  // Before Chromium starts, so the two do not share the CPU.
  const listTimes = await measureListRoute(10_000, pagedSamples);
  const outDir = mkdtempSync(join(tmpdir(), 'cdevents-bench-ui-'));
  const browser = await launchBrowser();
  try {
    const script = readFileSync(await buildBenchPage(outDir), 'utf8');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: script });

    type Kind = 'timeline' | 'timeline-flat' | 'plain';
    /** Each run's time, after one warm-up run. */
    const firstRenderTimes = async (kind: Kind, count: number, samples: number) => {
      const times: number[] = [];
      for (let i = 0; i < samples + 1; i++) {
        const time = await page.evaluate(
          ([k, c]) =>
            (
              window as unknown as { cdeventsBench: { firstRender(k: string, c: number): Promise<number> } }
            ).cdeventsBench.firstRender(k, c),
          [kind, count] as const,
        );
        if (i > 0) times.push(time); // the first run warms up the JIT
      }
      return times;
    };
    const firstRender = async (kind: Kind, count: number) => median(await firstRenderTimes(kind, count, runs));
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

    /** First rows with 10,000 events loaded page by page: every run's time (after one warm-up). */
    const pagedFirstRender = async (count: number, samples: number) => {
      const times: number[] = [];
      for (let i = 0; i < samples + 1; i++) {
        const time = await page.evaluate(
          (c) =>
            (
              window as unknown as { cdeventsBench: { firstRenderPaged(c: number): Promise<number> } }
            ).cdeventsBench.firstRenderPaged(c),
          count,
        );
        if (i > 0) times.push(time);
      }
      return times;
    };
    const scrollToEnd = async (count: number) => {
      await pagedFirstRender(count, 0);
      const result = await page.evaluate(() =>
        (
          window as unknown as {
            cdeventsBench: { scrollToEnd(): Promise<{ frames: number[]; pages: number }> };
          }
        ).cdeventsBench.scrollToEnd(),
      );
      const { frames } = result;
      return {
        pages: result.pages,
        frames: frames.length,
        median: median(frames),
        p95: percentile(frames, 95),
        max: Math.max(...frames),
        over33: frames.filter((frame) => frame > 33.4).length,
      };
    };

    const baseline = await firstRender('plain', 1000);
    const baselineRuns = await firstRenderTimes('plain', 1000, pagedSamples);
    const timeline1k = await firstRender('timeline', 1000);
    const timeline10k = await firstRender('timeline', 10_000);
    const flat10k = await firstRender('timeline-flat', 10_000);
    const baselineScroll = await scroll('plain', 1000);
    const timelineScroll = await scroll('timeline', 10_000);
    const flatScroll = await scroll('timeline-flat', 10_000);
    const paged = await pagedFirstRender(10_000, pagedSamples);
    const pagedScroll = await scrollToEnd(10_000);
    const baselineP95 = percentile(baselineRuns, 95);
    const pagedP95 = percentile(paged, 95);

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
    console.log(
      `Infinite loading: 10,000 events served in pages of 200 with fold counts, ${pagedSamples} runs after one warm-up`,
    );
    console.log(
      `  baseline: plain list, 1,000 rows, first render   p95 ${ms(baselineP95)}, median ${ms(median(baselineRuns))}`,
    );
    console.log(
      `  timeline, 10,000 events paged, first rows        p95 ${ms(pagedP95)}, median ${ms(median(paged))}  (p95 ${(pagedP95 / baselineP95).toFixed(2)}× baseline; aim < 150 ms p95: ${pagedP95 < 150 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  scrolled top to oldest event, ${pagedScroll.pages} older pages loaded on the way, ${pagedScroll.frames} frames: median ${ms(pagedScroll.median)}, p95 ${ms(pagedScroll.p95)}, max ${ms(pagedScroll.max)}, ${pagedScroll.over33} frames over 33 ms  (p95 ${(pagedScroll.p95 / baselineScroll.p95).toFixed(2)}× baseline scroll)`,
    );
    console.log(`Backend, PGlite, 10,000 events of one app, first page of 200, ${pagedSamples} runs after one warm-up`);
    for (const times of listTimes) {
      console.log(
        `  ${times.shape}${times.analyzed ? ', after ANALYZE' : ''}: page + fold counts p95 ${ms(times.routeP95)}, median ${ms(times.routeMedian)}; baseline page alone p95 ${ms(times.baselineP95)}  (${(times.routeP95 / times.baselineP95).toFixed(2)}× baseline)`,
      );
    }
    // As the default store runs: PGlite with the statistics it keeps itself, just after the events arrived.
    const worstBackend = Math.max(...listTimes.filter((times) => !times.analyzed).map((times) => times.routeP95));
    console.log(
      `  first rows, backend p95 + tab p95: ${ms(worstBackend + pagedP95)}  (aim < 150 ms: ${worstBackend + pagedP95 < 150 ? 'met' : 'NOT met'}; a sum of p95s, so an upper bound)`,
    );
  } finally {
    await browser.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
