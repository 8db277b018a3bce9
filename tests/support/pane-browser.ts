/**
 * What the task pane's browser tests need: the add-in built into a
 * temporary folder (the production webpack config, as `npm run build` makes
 * it) with a browser bundle of the fake workbook beside it, a small static
 * HTTP server for that folder, Debian's Chromium through playwright-core
 * (never a downloaded browser), and the real office.js from the
 * @microsoft/office-js package in place of Microsoft's CDN, so the pane runs
 * with the library it ships with and the test stays offline.
 */
import { spawn } from "child_process";
import { promises as fs } from "fs";
import http from "http";
import type { AddressInfo } from "net";
import os from "os";
import path from "path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import webpack from "webpack";

const ROOT = path.resolve(__dirname, "../..");

export const CHROMIUM = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
};

/** Where taskpane.html loads office.js from, as Microsoft requires of a published add-in. */
export const OFFICE_JS_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
/** The npm package holds the files the CDN serves, in the same layout. */
const OFFICE_DIST = path.join(ROOT, "node_modules/@microsoft/office-js/dist");

/** Outside Office, office.js opens a hidden frame to its telemetry service, 3 s after it starts. */
export const TELEMETRY_FRAME_URL = "https://telemetryservice.firstpartyapps.oaspapps.com/telemetryservice/telemetryproxy.html";

function compile(configs: webpack.Configuration[]): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(configs, (error, stats) => {
      if (error) return reject(error);
      if (stats?.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    });
  });
}

/** Builds the add-in and the fake's page bundle (fake-excel-page.js) into a new temporary folder. */
export async function buildPane(): Promise<string> {
  const out = await fs.mkdtemp(path.join(os.tmpdir(), "attention-lab-pane-"));
  type MakeConfig = (env: object, options: { mode: string }) => Promise<webpack.Configuration>;
  const loaded = (await import(path.join(ROOT, "webpack.config.js"))) as { default: MakeConfig };
  const addin = await loaded.default({}, { mode: "production" });
  addin.context = ROOT;
  // A fresh folder; cleaning it would race the fake page bundle written beside the add-in.
  addin.output = { ...addin.output, path: out, clean: false };
  const fakePage: webpack.Configuration = {
    context: ROOT,
    mode: "development",
    devtool: false,
    entry: { "fake-excel-page": "./tests/support/fake-excel-page.ts" },
    output: { path: out, filename: "[name].js" },
    resolve: { extensions: [".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { transpileOnly: true, compilerOptions: { module: "esnext" } } },
        },
      ],
    },
  };
  await compile([addin, fakePage]);
  return out;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".map": "application/json",
  ".xml": "application/xml",
};

/**
 * Answers the page's requests to the CDN with the package's files, and the
 * telemetry frame with an empty page. office.js loads its other scripts with
 * crossorigin="anonymous", so they carry the CORS header the CDN sends. The
 * package's folders are in lower case while office.js may ask for mixed case
 * (AgaveErrorUX/), which the CDN serves alike.
 */
export async function serveOffice(page: Page): Promise<void> {
  await page.route(`${CDN}**`, async (route) => {
    const file = path.join(
      OFFICE_DIST,
      path.normalize(decodeURIComponent(new URL(route.request().url()).pathname.slice(new URL(CDN).pathname.length)).toLowerCase()),
    );
    const body = file.startsWith(OFFICE_DIST + path.sep) ? await fs.readFile(file).catch(() => undefined) : undefined;
    if (!body) return route.fulfill({ status: 404 });
    await route.fulfill({
      status: 200,
      headers: { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Access-Control-Allow-Origin": "*" },
      body,
    });
  });
  await page.route(TELEMETRY_FRAME_URL, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>telemetry proxy</title>" }),
  );
}

/** Serves `dir` on a free local port; `requests` lists every path asked for. */
export async function serve(dir: string): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    requests.push(pathname);
    const file = path.join(dir, path.normalize(pathname));
    if (!file.startsWith(dir + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file).then(
      (body) => res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launch(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * Debian's Chromium started here and attached with `connectOverCDP(…, { noDefaults: true })`, for a
 * test that hides a page. Playwright's own launch (and every context it creates) turns on
 * `Emulation.setFocusEmulationEnabled` for each page, and while a DevTools client emulates focus,
 * Chromium keeps the page visible whatever tab is in front; it also passes flags that switch off
 * background throttling. Neither happens here, so in the browser's default context a tab behind
 * another is hidden, and throttled, by Chromium's own policy, headless as headed.
 */
export async function launchWithoutFocusEmulation(): Promise<{ browser: Browser; context: BrowserContext; close(): Promise<void> }> {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), "attention-lab-chromium-"));
  const flags = [
    "--remote-debugging-port=0",
    `--user-data-dir=${profile}`,
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-component-update",
    "--disable-sync",
    "--password-store=basic",
    "--use-mock-keychain",
    "--mute-audio",
  ];
  const child = spawn(CHROMIUM.executablePath, [...CHROMIUM.args, ...flags, "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let log = "";
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not open its DevTools port in 30 s: ${log}`)), 30000);
    child.stderr.on("data", (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
      const m = /DevTools listening on (ws:\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with code ${code}: ${log}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  return {
    browser,
    context: browser.contexts()[0],
    close: async () => {
      await browser.close();
      child.kill();
      await exited;
      // Chromium's helper processes may still be writing into the profile as the main one exits.
      await fs.rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}

/** What a page did wrong, as it happened; a clean page leaves every list empty. */
export interface Seen {
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Dialogs (alert, confirm), which Office forbids. */
  dialogs: string[];
  /** Content-Security-Policy violations: the page's securitypolicyviolation events and the console's reports of them. */
  violations: string[];
  /** Requests that failed or were answered with an HTTP error. */
  failed: string[];
}

/**
 * Starts watching `page`; call before it navigates. The violation listener
 * is an init script, which runs ahead of the page's own scripts and is not
 * itself subject to the page's policy.
 */
export async function watch(page: Page): Promise<Seen> {
  const seen: Seen = { errors: [], dialogs: [], violations: [], failed: [] };
  await page.exposeFunction("__reportViolation", (v: string) => seen.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportViolation: (v: string) => void }).__reportViolation;
      void report(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) seen.violations.push(`console: ${m.text()}`);
    if (m.type() === "error") seen.errors.push(m.text());
  });
  page.on("pageerror", (e) => seen.errors.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("requestfailed", (r) => seen.failed.push(`${r.url()}: ${r.failure()?.errorText ?? "failed"}`));
  page.on("response", (r) => {
    if (r.status() >= 400) seen.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  return seen;
}

/** The built pane, served, with a browser: what a browser test sets up before its tests and closes after them. */
export interface PaneRig {
  server: Awaited<ReturnType<typeof serve>>;
  browser: Browser;
  /** The fake workbook's page bundle, to inject with addInitScript. */
  fakeBundle: string;
  /**
   * A new page (in a context of its own, closed with it) of `width` × `height` px showing the pane over the page's fake Excel,
   * watched, once its status line starts with `ready`; `init` runs before the page's own scripts.
   */
  open(width: number, height: number, options?: { init?: string; ready?: string }): Promise<{ page: Page; seen: Seen }>;
  close(): Promise<void>;
}

/** Picks `preset` in the pane's Build form and types each of `fields` (by element id, without the #) into it. */
export async function fillBuild(page: Page, preset: string, fields: Record<string, string>): Promise<void> {
  await page.selectOption("#preset", preset);
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
}

/** What a clean page reports: no console error, no dialog, no policy violation, no failed request. */
export const CLEAN: Seen = { errors: [], dialogs: [], violations: [], failed: [] };

/** The suite's rig, built before its tests and closed after them; use it inside tests. */
export function usePaneRig(): PaneRig {
  let rig: PaneRig | undefined;
  beforeAll(async () => {
    rig = await paneRig();
  }, 180000);
  afterAll(async () => {
    await rig?.close();
  });
  const ready = (): PaneRig => {
    if (!rig) throw new Error("the pane rig is built in beforeAll: use it inside a test");
    return rig;
  };
  return {
    get server() {
      return ready().server;
    },
    get browser() {
      return ready().browser;
    },
    get fakeBundle() {
      return ready().fakeBundle;
    },
    open: (...args) => ready().open(...args),
    close: () => ready().close(),
  };
}

export async function paneRig(): Promise<PaneRig> {
  const dir = await buildPane();
  const fakeBundle = await fs.readFile(path.join(dir, "fake-excel-page.js"), "utf8");
  const server = await serve(dir);
  const browser = await launch();
  return {
    server,
    browser,
    fakeBundle,
    open: async (width, height, { init, ready = "Ready." } = {}) => {
      const page = await browser.newPage({ viewport: { width, height } });
      const seen = await watch(page);
      await serveOffice(page);
      if (init) await page.addInitScript({ content: init });
      await page.addInitScript({ content: fakeBundle });
      await page.goto(`${server.url}taskpane.html`);
      await page.waitForFunction((s) => document.getElementById("status-text")?.textContent?.startsWith(s), ready, { timeout: 60000 });
      return { page, seen };
    },
    close: async () => {
      await browser.close();
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
