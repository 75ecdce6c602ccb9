import type { ConsoleMessage, Page } from '@playwright/test';

/**
 * Collects what the page logs as an error (a CSP violation, a React warning, an uncaught
 * exception) while the test runs. `stop` ends the collection and then takes the page off
 * the app (about:blank) — awaited, so nothing of the app is still polling when the fixture
 * closes its server — and returns what was collected before.
 */
export function watchPageErrors(page: Page, ignore: RegExp | null = null): { stop(): Promise<string[]> } {
  const errors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error' && !(ignore && ignore.test(message.text()))) errors.push(message.text());
  };
  const onPageError = (error: Error) => errors.push(error.message);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  return {
    async stop() {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      if (!page.isClosed()) await page.goto('about:blank');
      return errors;
    },
  };
}
