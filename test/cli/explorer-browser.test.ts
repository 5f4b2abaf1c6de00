/**
 * The explorer's page in headless Chromium: Debian's `chromium` (/usr/bin/chromium, or CHROMIUM_PATH)
 * driven by playwright-core (a devDependency; PLAYWRIGHT_CORE may name another copy of its module).
 * Where either is missing the suite is skipped, saying which.
 *
 * The page is served by the real server (cli/explorer/server.ts) on a free port, on two real
 * counterexamples: examples/request-ack without deduplication, refuted here by the checker, and
 * majority's noRegression trace from test/fixtures (which test/checker/traces.test.ts replays).
 *
 * ALICE_EXPLORER_SCREENSHOT=docs/charts/explorer.png npx vitest run test/cli/explorer-browser.test.ts
 * also writes the screenshot of docs/checker.md (the majority trace at its violation).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, fromItf } from '../../checker/index.js';
import { serveExplorer, type RunningExplorer } from '../../cli/explorer/server.js';
import { ExplorerSession } from '../../cli/explorer/session.js';
import { modelProtocol } from '../../cli/protocols.js';
import { requestAck } from '../../examples/request-ack/model.js';

/** The little of playwright-core's API this test uses (the package's own types are not a dependency of tsc). */
interface Page {
  goto(url: string): Promise<unknown>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  click(selector: string): Promise<void>;
  textContent(selector: string): Promise<string | null>;
  getAttribute(selector: string, name: string): Promise<string | null>;
  $$eval<R>(selector: string, fn: (elements: { classList: { contains(name: string): boolean } }[]) => R): Promise<R>;
  keyboard: { press(key: string): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  on(event: 'pageerror', listener: (e: Error) => void): void;
}
interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MODULE = process.env.PLAYWRIGHT_CORE ?? 'playwright-core';

async function loadPlaywright(): Promise<Playwright | string> {
  if (!existsSync(CHROMIUM)) return `no browser at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  try {
    return (await import(/* @vite-ignore */ MODULE)) as Playwright;
  } catch (e) {
    return `cannot import ${MODULE} (npm install --save-dev playwright-core, or set PLAYWRIGHT_CORE): ${(e as Error).message.split('\n')[0]}`;
  }
}

const playwright = await loadPlaywright();
const skipped = typeof playwright === 'string' ? playwright : null;
if (skipped) console.warn(`explorer browser test skipped: ${skipped}`);

describe.skipIf(skipped !== null)(`the explorer page in headless Chromium${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const servers: RunningExplorer[] = [];

  beforeAll(async () => {
    browser = await (playwright as Playwright).chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
  });

  async function open(session: ExplorerSession): Promise<void> {
    const running = await serveExplorer(session, 0);
    servers.push(running);
    await page.goto(running.url);
    await page.waitForSelector('body[data-state="0"]');
  }
  const at = (id: number | string) => page.waitForSelector(`body[data-state="${id}"]`);

  describe('request-ack without deduplication', () => {
    const protocol = requestAck(false);
    const trace = check(protocol).verdicts.find((v) => v.property === 'appliedOnce')!.trace!;
    const last = trace.steps.length - 1;

    beforeAll(() => open(new ExplorerSession(protocol, trace)));

    it('shows the failed property and its violation from the start', async () => {
      expect(await page.textContent('#property-banner')).toContain(`appliedOnce (always) violated: ${trace.violation.detail}`);
      expect(await page.textContent('tr[data-property="appliedOnce"]')).toContain('holds');
    });

    it("shows each node's state: the client's retry timer armed, the server's count at 0", async () => {
      expect(await page.textContent('.node[data-node="n1"] .timers')).toContain('retry');
      expect(await page.textContent('.node[data-node="n2"] pre.state')).toMatch(/"applied": 0/);
    });

    it('steps forward to the violation, where the property reads VIOLATED and the server applied twice', async () => {
      for (let i = 1; i <= last; i++) {
        await page.click('#next');
        await at(i);
      }
      expect(await page.textContent('tr[data-property="appliedOnce"]')).toContain('VIOLATED');
      expect(await page.textContent('.node[data-node="n2"] pre.state')).toMatch(/"applied": 2/);
      expect(await page.textContent('#where')).toContain(`step ${last} of the trace`);
    });

    it('steps back with the arrow key, and the property holds again at the start', async () => {
      for (let i = last - 1; i >= 0; i--) {
        await page.keyboard.press('ArrowLeft');
        await at(i);
      }
      expect(await page.textContent('tr[data-property="appliedOnce"]')).toContain('holds');
    });

    it('picks a successor off the trace: the path branches there, and back and forward return to it', async () => {
      const id = await page.getAttribute('#successors button:not(.on-trace)', 'data-id');
      expect(Number(id)).toBeGreaterThan(last);
      await page.click(`#successors button[data-id="${id}"]`);
      await at(id!);
      expect(await page.textContent('#where')).toContain('off the trace, 1 transitions from the start');
      expect(await page.$$eval('#path li', (lis) => lis.map((li) => li.classList.contains('off-trace')))).toEqual([false, true]);
      await page.click('#prev');
      await at(0);
      await page.click('#next');
      await at(id!);
    });

    it('ran without a script error', () => {
      expect(errors).toEqual([]);
    });
  });

  describe("majority's noRegression counterexample", () => {
    const trace = fromItf(readFileSync(new URL('../fixtures/traces/majority-noRegression.json', import.meta.url), 'utf8'));
    const last = trace.steps.length - 1;

    beforeAll(() => open(new ExplorerSession(modelProtocol('majority'), trace)));

    it("ends where n1's View holds n2's older record and noRegression is VIOLATED", async () => {
      await page.keyboard.press('End');
      await at(last);
      expect(await page.textContent('tr[data-property="noRegression"]')).toContain('VIOLATED');
      expect(await page.textContent('.node[data-node="n1"] table.view')).toMatch(/n2alivev010\.0\.0\.2:8080/);
      const shot = process.env.ALICE_EXPLORER_SCREENSHOT;
      if (shot) await page.screenshot({ path: shot, fullPage: true });
    });

    it('ran without a script error', () => {
      expect(errors).toEqual([]);
    });
  });
});
