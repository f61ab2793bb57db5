import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');

/**
 * Builds the admin console (admin/) into a directory of its own, as `npm run build` does into
 * dist/admin, so a test serves the console of the sources it runs with. Answers the directory and
 * how to remove it.
 */
export async function buildAdminConsole(): Promise<{ directory: string; remove(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'tenantry-admin-'));
  const viteCli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  // Vite refuses a second build of the project while one runs; suites on parallel Jest workers each build into a
  // directory of their own, so they have nothing to guard against each other.
  const args = [
    viteCli,
    'build',
    '--config',
    join(ROOT, 'admin', 'vite.config.mts'),
    '--outDir',
    directory,
    '--emptyOutDir',
    '--bypass-lock',
  ];
  const output: Buffer[] = [];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`vite build failed (${code}):\n${Buffer.concat(output).toString()}`);
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** Debian's chromium (installed by .ci/run), headless, with a fresh profile and nothing reaching out to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** axe-core's WCAG 2 A/AA checks of the page as it is now: the serious and critical violations, by rule and target. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} (${violation.help})`));
}

/** Whether the page fits the viewport's width (no sideways scrolling of the whole page). */
export function fitsWidth(page: Page): Promise<boolean> {
  // The function runs in the page; the server's tsconfig has no DOM types, so it is given as text.
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

/**
 * Collects what the page's content security policy refused, with the directive and what tried
 * (element, file and line), as the browser reports it to the page.
 */
export async function watchPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportPolicyViolation', (violation: string) => violations.push(violation));
  await page.addInitScript(`
    document.addEventListener('securitypolicyviolation', (event) => {
      const element = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 120) : String(event.target);
      window.reportPolicyViolation(event.violatedDirective + ' refused ' + (event.blockedURI || 'inline') + ' at ' +
        event.sourceFile + ':' + event.lineNumber + ' (' + event.sample + ') on ' + element);
    });
  `);
  return violations;
}

/** UPDATE_SCREENSHOTS=1 rewrites the console's screenshots in docs/screenshots/ (shown in the README); other runs only look at the pages. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;
export const DESKTOP = { width: 1280, height: 800 };
export const TABLET = { width: 768, height: 1024 };

/** Checks the page at both widths: no serious accessibility violation, no sideways scrolling; saves screenshots when asked. */
export async function checkConsolePage(page: Page, name: string): Promise<void> {
  for (const [width, viewport] of [
    ['desktop', DESKTOP],
    ['tablet', TABLET],
  ] as const) {
    await page.setViewportSize(viewport);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}
