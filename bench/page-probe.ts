import type { Page } from '@playwright/test'
import { z } from 'zod'

// Scripts that run inside the measured pages. They are strings rather than functions: the bench
// runs under tsx, whose transform adds helpers to functions that would not exist in the page.

/**
 * `window.__duetBench`: the browser's own time stamp of every trusted key press, the text of
 * the watched document after each change (`record`), and this page's clock offset. Times are
 * wall-clock milliseconds (`performance.timeOrigin + …`), so two pages can be compared.
 */
export const PROBE_SCRIPT = `(() => {
  if (window.__duetBench) return;
  const bench = { keys: [], changes: [] };
  Object.defineProperty(window, '__duetBench', { value: bench });
  addEventListener('keydown', (event) => {
    if (event.isTrusted) bench.keys.push({ key: event.key, at: performance.timeOrigin + event.timeStamp });
  }, true);
  // Typed text only grows, so each answer lies at or after the previous one: a lookup reads only
  // the changes since then, and the page does the same small work per key however long the run.
  let searchFrom = 0;
  let waiter = null;
  const firstHolding = (expected) => {
    for (let i = searchFrom; i < bench.changes.length; i++) {
      if (bench.changes[i].text.includes(expected)) {
        searchFrom = i;
        return bench.changes[i].at;
      }
    }
    searchFrom = bench.changes.length;
    return null;
  };
  bench.record = (text) => {
    bench.changes.push({ at: performance.timeOrigin + performance.now(), text });
    if (waiter && text.includes(waiter.expected)) waiter.resolve(firstHolding(waiter.expected));
  };
  bench.arrival = (expected) => firstHolding(expected);
  // Resolves when the watched document first holds \`expected\` (null after \`timeoutMs\`), so the
  // page is not polled while the key travels.
  bench.waitArrival = (expected, timeoutMs) => {
    const at = firstHolding(expected);
    if (at !== null) return Promise.resolve(at);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { waiter = null; resolve(null); }, timeoutMs);
      waiter = { expected, resolve: (value) => { clearTimeout(timer); waiter = null; resolve(value); } };
    });
  };
  // High-resolution wall clock minus the system clock, read just as Date.now() ticks: the
  // median over 21 ticks, so each page's own time-origin error can be taken out.
  bench.clockOffset = () => {
    const offsets = [];
    for (let i = 0; i < 21; i++) {
      const start = Date.now();
      let high = 0;
      let wall = start;
      while (wall === start) {
        high = performance.timeOrigin + performance.now();
        wall = Date.now();
      }
      offsets.push(high - wall);
    }
    return offsets.sort((a, b) => a - b)[10];
  };
})();`

/**
 * Monaco publishes its API as `window.monaco` when `MonacoEnvironment.globalAPI` is set as it
 * loads; the app's own environment (its worker factory) is kept when the app assigns it. Every
 * model change is then recorded: the moment the interviewer's model holds the edit.
 */
export const MONACO_HOOK_SCRIPT = `(() => {
  let environment = { globalAPI: true };
  Object.defineProperty(window, 'MonacoEnvironment', {
    configurable: true,
    get: () => environment,
    set: (value) => { environment = { ...value, globalAPI: true }; },
  });
  let api;
  Object.defineProperty(window, 'monaco', {
    configurable: true,
    get: () => api,
    set: (value) => {
      api = value;
      value.editor.onDidCreateModel((model) =>
        model.onDidChangeContent(() => window.__duetBench.record(model.getValue())),
      );
    },
  });
})();`

const KeysSchema = z.array(z.object({ key: z.string(), at: z.number() }))

export async function pressedKeys(page: Page): Promise<z.infer<typeof KeysSchema>> {
  return KeysSchema.parse(await page.evaluate('window.__duetBench.keys'))
}

/** When the watched document first held `expected`, in the page's wall-clock ms. */
export function arrivalExpression(expected: string): string {
  return `window.__duetBench.arrival(${JSON.stringify(expected)})`
}

/** When the watched document first holds `expected`, waited for in the page; null after `timeoutMs`. */
export async function waitForArrival(page: Page, expected: string, timeoutMs: number): Promise<number | null> {
  const at: unknown = await page.evaluate(`window.__duetBench.waitArrival(${JSON.stringify(expected)}, ${timeoutMs})`)
  return z.number().nullable().parse(at)
}

export async function clockOffset(page: Page): Promise<number> {
  return z.number().parse(await page.evaluate('window.__duetBench.clockOffset()'))
}
