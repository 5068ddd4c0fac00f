import type { Page } from '@playwright/test'
import { z } from 'zod'
import { pollPage } from './browser'

// Scripts that run inside the measured pages, as strings for the reason given in page-probe.ts.
// Every time is the page's own performance.now(), so no clock is compared across processes.

/**
 * `window.__duetWorkers`: every worker the page starts, by the name the runners give theirs
 * ("Python runner", "JavaScript runner"), with when it was constructed and when the page received
 * its `ready` message: the moment the runner's status turns ready. The page's Worker constructor
 * is wrapped for this; the runners themselves are untouched.
 */
export const WORKER_PROBE_SCRIPT = `(() => {
  const workers = [];
  Object.defineProperty(window, '__duetWorkers', { value: workers });
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      const startedAt = performance.now();
      super(url, options);
      const entry = { name: (options && options.name) || '', startedAt, readyAt: null };
      workers.push(entry);
      this.addEventListener('message', (event) => {
        if (entry.readyAt === null && event.data && event.data.type === 'ready') entry.readyAt = performance.now();
      });
    }
  };
})();`

/**
 * `window.__duetConsole.arm(prefix, button, want)` watches one run console (the OutputConsole
 * with test ids `<prefix>-output`, `<prefix>-status`, `<prefix>-output-text`): it keeps the
 * browser's time stamp of the next trusted click on `button`, and the time of the first DOM change
 * after which the console shows what `want` asks for — a status, or a text in the output once a
 * new run has cleared the old one (the status turns "running" in the same render). A
 * MutationObserver on the console alone, so the rest of the page costs the probe nothing.
 */
export const CONSOLE_PROBE_SCRIPT = `(() => {
  let watch = null;
  let observer = null;
  addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
    if (watch && watch.clickAt === null && event.isTrusted && target && target.dataset.testid === watch.button) {
      watch.clickAt = event.timeStamp;
    }
  }, true);
  const check = (root) => {
    const at = performance.now();
    const status = root.querySelector('[data-testid="' + watch.prefix + '-status"]')?.dataset.status ?? null;
    const text = root.querySelector('[data-testid="' + watch.prefix + '-output-text"]')?.textContent ?? '';
    if (status === 'running') watch.sawRunning = true;
    const statusOk = watch.want.status === undefined || status === watch.want.status;
    const textOk = watch.want.text === undefined || (watch.sawRunning && text.includes(watch.want.text));
    if (watch.clickAt !== null && statusOk && textOk) {
      watch.shownAt = at;
      observer.disconnect();
    }
  };
  Object.defineProperty(window, '__duetConsole', {
    value: {
      arm(prefix, button, want) {
        observer?.disconnect();
        const root = document.querySelector('[data-testid="' + prefix + '-output"]');
        if (!root) throw new Error('no ' + prefix + '-output console on the page');
        watch = { prefix, button, want, clickAt: null, shownAt: null, sawRunning: false };
        observer = new MutationObserver(() => check(root));
        observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-status'] });
      },
      result() {
        return watch && watch.clickAt !== null && watch.shownAt !== null ? { clickAt: watch.clickAt, shownAt: watch.shownAt } : null;
      },
    },
  });
})();`

const WorkersSchema = z.array(z.object({ name: z.string(), startedAt: z.number(), readyAt: z.number().nullable() }))
export type StartedWorker = z.infer<typeof WorkersSchema>[number]

export const PYTHON_WORKER = 'Python runner'

/** The runner workers of `name` the page has started so far, oldest first. */
export async function startedWorkers(page: Page, name: string): Promise<StartedWorker[]> {
  const workers = WorkersSchema.parse(await page.evaluate('window.__duetWorkers'))
  return workers.filter((worker) => worker.name === name)
}

/** The newest worker of `name` once it is ready, and once the page has started at least `count` of them. */
export function readyWorker(
  page: Page,
  name: string,
  what: string,
  { timeoutMs = 30_000, count = 1 }: { timeoutMs?: number; count?: number } = {},
): Promise<StartedWorker> {
  const named = `window.__duetWorkers.filter((w) => w.name === ${JSON.stringify(name)})`
  return pollPage(
    page,
    `((workers) => (workers.length >= ${count} ? workers.at(-1) : null))(${named})`,
    WorkersSchema.element.refine((worker) => worker.readyAt !== null).nullable(),
    what,
    timeoutMs,
  )
}

export interface ConsoleWant {
  status?: string
  text?: string
}

const TimingSchema = z.object({ clickAt: z.number(), shownAt: z.number() }).nullable()
export type ClickTiming = NonNullable<z.infer<typeof TimingSchema>>

/**
 * Clicks `button` (a real click through Playwright) and returns the click's event time stamp and
 * the time the console `prefix` first showed `want`, as the page measured them.
 */
export async function clickUntil(page: Page, prefix: string, button: string, want: ConsoleWant): Promise<ClickTiming> {
  await page.evaluate(
    `window.__duetConsole.arm(${JSON.stringify(prefix)}, ${JSON.stringify(button)}, ${JSON.stringify(want)})`,
  )
  await page.getByTestId(button).click()
  return pollPage(page, 'window.__duetConsole.result()', TimingSchema, `${button}: ${JSON.stringify(want)}`)
}
