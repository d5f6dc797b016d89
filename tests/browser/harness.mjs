// What every browser scenario shares: Debian's headless Chromium driven by
// playwright-core (never a downloaded browser), one browser context per visitor with
// its page errors, unexpected console errors and 5xx answers collected, step helpers
// that fail with a message, and the runner that names the failing step, saves a
// screenshot of every open page on failure and exits 0, 1 (a step failed) or 2 (the
// overall timeout).
//
// A scenario script calls `setup(...)` once, defines its steps as named async
// functions, and ends with `run(steps)`.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Never let playwright fetch a browser of its own: Debian's Chromium is used.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const { chromium } = await import('playwright-core');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Pages of other contexts count as hidden: keep their timers and frames running.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];
/** Any single wait (an element, a URL, a condition). */
export const STEP_TIMEOUT_MS = 10_000;
/** Console errors every scenario expects: the browser logging a 401/403/404 load. */
const EXPECTED_ALWAYS = [/Failed to load resource: the server responded with a status of (401|403|404)\b/];

/** Page errors and unexpected console errors, per visitor; any one fails the run. */
export const problems = [];
/** Every open page, by visitor name, for failure screenshots. */
export const pages = new Map();

let settings = null;
let browser;
/** The step running now, named in every failure. */
let currentStep = 'start';

class StepFailure extends Error {}

/**
 * Reads the command line (`<baseUrl> <artifactsDir> [<scenario json>]`) and the
 * scenario's settings; exits 64 with `usage` when the base URL (or `required` scenario
 * keys) are missing. Returns `{ BASE, ARTIFACTS, SCENARIO }`.
 */
export function setup({ usage, artifacts, overallTimeoutMs, viewport = { width: 1280, height: 900 }, expectedErrors = [], required = [] }) {
  const BASE = (process.argv[2] ?? '').replace(/\/+$/, '');
  const ARTIFACTS = process.argv[3] ?? artifacts;
  const SCENARIO = JSON.parse(process.argv[4] ?? '{}');
  if (!/^https?:\/\//.test(BASE) || required.some((key) => !SCENARIO[key])) {
    console.error(`usage: ${usage}`);
    process.exit(64);
  }
  settings = { BASE, ARTIFACTS, overallTimeoutMs, viewport, expected: [...EXPECTED_ALWAYS, ...expectedErrors] };
  return { BASE, ARTIFACTS, SCENARIO };
}

/** Fails the current step with `message`. */
export function fail(message) {
  throw new StepFailure(message);
}

/** Fails the current step unless `condition` holds. */
export function check(condition, message) {
  if (!condition) fail(message);
}

/** Polls `probe` until it returns a truthy value (returned), or fails with `message`. */
export async function until(message, probe, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
      fail(`${message}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A `[data-testid=...]` locator, optionally narrowed by more attribute selectors. */
export function byTestId(scope, testid, extra = '') {
  return scope.locator(`[data-testid="${testid}"]${extra}`);
}

/** Waits for `locator` to be visible, failing with `what` if it never is. */
export async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  } catch {
    fail(`${what} never became visible`);
  }
  return locator.first();
}

/** Checks that nothing matches `locator` (call after the page has visibly loaded). */
export async function absent(locator, what) {
  const count = await locator.count();
  check(count === 0, `${what} should not be there, found ${count}`);
}

/** Waits until nothing matches `locator` (something on its way out). */
export async function gone(locator, what, timeoutMs = STEP_TIMEOUT_MS) {
  await until(`${what} should go away`, async () => (await locator.count()) === 0, timeoutMs);
}

/** Waits until the page's path (the query aside) is `expected`. */
export async function atPath(page, expected, what) {
  await until(`${what}: expected to be at ${expected}, still at ${page.url()}`, () => {
    return new URL(page.url()).pathname === expected;
  });
}

/** Waits until `locator`'s attribute `name` equals `value`. */
export async function attributeIs(locator, name, value, what) {
  await until(`${what}: expected ${name}="${value}"`, async () => {
    return (await locator.first().getAttribute(name, { timeout: 1000 })) === value;
  });
}

/** Saves a screenshot of `page` as `<artifacts>/<file>`. */
export async function screenshot(page, file) {
  await page.screenshot({ path: join(settings.ARTIFACTS, file), fullPage: true });
}

/**
 * Every console error `page` logs from now on, unfiltered: for pages that must log
 * none at all (the expected 401/403/404 loads the other checks accept included).
 */
export function allConsoleErrors(page) {
  const seen = [];
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(message.text());
  });
  return seen;
}

/** axe-core's browser bundle, read once from node_modules. */
let axeSource = null;

/**
 * Runs the axe-core accessibility audit (the npm package, in the page) over the whole
 * page, or over `include` (a CSS selector) only, and fails naming every violation
 * (rule, impact, the first elements and why). Prints `AXE <what>: 0 violations, <n>
 * rules passed`. Evaluated through the DevTools protocol, so the app's CSP stays on.
 */
export async function audit(page, what, { include = null } = {}) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(async (scope) => {
    const context = scope ? { include: [scope] } : document;
    const r = await window.axe.run(context, { resultTypes: ['violations'] });
    return {
      passed: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').split('\n').slice(1, 3).join(' ').trim()}`),
        count: v.nodes.length,
      })),
    };
  }, include);
  if (result.violations.length) {
    const lines = result.violations.map(
      (v) => `${v.id} (${v.impact}, ${v.count} element(s)): ${v.help}\n      ${v.nodes.join('\n      ')}`,
    );
    const message = `axe found ${result.violations.length} violation(s) on ${what}:\n    ${lines.join('\n    ')}`;
    // AXE_CONTINUE=1 lists every page's violations in one run instead of stopping.
    if (process.env.AXE_CONTINUE) {
      console.log(`AXE ${message}`);
      return;
    }
    fail(message);
  }
  console.log(`AXE ${what}: 0 violations, ${result.passed} rules passed`);
}

/**
 * A new browser context (its own cookies: a separate visitor) with one page, watched;
 * signed in with the session `token` when one is given; `viewport` and `isMobile`
 * (touch, a phone's meta viewport) override the scenario's screen, `locale` the
 * browser's language (English by default).
 */
export async function visitor(name, token, { viewport = settings.viewport, isMobile = false, locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile, locale });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  if (token) {
    await context.addCookies([{ name: 'parcours_session', value: token, url: settings.BASE }]);
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !settings.expected.some((re) => re.test(text))) {
      problems.push(`[${name}] console error: ${text} (${message.location().url})`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 500) {
      problems.push(`[${name}] HTTP ${response.status()} from ${response.url()}`);
    }
  });
  pages.set(name, page);
  return page;
}

/** A visitor signed in with `token` whose confirmation dialogs are accepted. */
export async function signedIn(name, token, screen = {}) {
  const page = await visitor(name, token, screen);
  page.on('dialog', (dialog) => dialog.accept());
  return page;
}

/** Screenshots every open page as `failure-<visitor>.png`. */
async function failureScreenshots() {
  for (const [name, page] of pages) {
    try {
      await page.screenshot({ path: join(settings.ARTIFACTS, `failure-${name}.png`), fullPage: true, timeout: 3000 });
    } catch {
      // The page may be gone; the message says what failed.
    }
  }
}

/** True once the run is ending: a step failing while the timeout closes the browser says nothing more. */
let finishing = false;

/** Prints `message`, screenshots the pages on failure, closes the browser and exits. */
async function finish(code, message) {
  if (finishing) return;
  finishing = true;
  if (message) console.error(message);
  if (code !== 0) await failureScreenshots();
  await browser?.close().catch(() => {});
  process.exit(code);
}

/**
 * Runs `steps` (named async functions) in order in a fresh browser; after the last,
 * calls `onSuccess` (to print figures) and exits 0.
 */
export function run(steps, { onSuccess } = {}) {
  const main = async () => {
    mkdirSync(settings.ARTIFACTS, { recursive: true });
    const started = Date.now();
    const timer = setTimeout(() => {
      finish(2, `FAILED: timed out after ${settings.overallTimeoutMs / 1000} s in step "${currentStep}"`);
    }, settings.overallTimeoutMs);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: STEP_TIMEOUT_MS });
    for (const step of steps) {
      currentStep = step.name;
      const t0 = Date.now();
      try {
        await step();
      } catch (error) {
        const why = error instanceof StepFailure ? error.message : error.stack ?? String(error);
        const extra = problems.length ? `\nalso seen:\n  ${problems.join('\n  ')}` : '';
        clearTimeout(timer);
        return finish(1, `FAILED at step "${currentStep}": ${why}${extra}`);
      }
      if (problems.length) {
        clearTimeout(timer);
        return finish(1, `FAILED at step "${currentStep}": errors in the browser:\n  ${problems.join('\n  ')}`);
      }
      console.log(`ok  ${step.name} (${Date.now() - t0} ms)`);
    }
    clearTimeout(timer);
    onSuccess?.();
    console.log(`all ${steps.length} steps passed in ${Date.now() - started} ms; screenshots in ${settings.ARTIFACTS}`);
    return finish(0);
  };
  main().catch((error) => finish(1, `FAILED at step "${currentStep}": ${error.stack ?? error}`));
}
