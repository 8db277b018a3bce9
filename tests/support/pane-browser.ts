/**
 * What the task pane's browser tests need: the add-in built into a
 * temporary folder (the production webpack config, as `npm run build` makes
 * it) with a browser bundle of the fake workbook beside it, a small static
 * HTTP server for that folder, and Debian's Chromium through playwright-core
 * (never a downloaded browser).
 */
import { promises as fs } from "fs";
import http from "http";
import type { AddressInfo } from "net";
import os from "os";
import path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import webpack from "webpack";

const ROOT = path.resolve(__dirname, "../..");

export const CHROMIUM = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
};

/** office.js comes from Microsoft's CDN; the tests answer that request with this instead of going online. */
export const OFFICE_JS = "https://appsforoffice.microsoft.com/**";

/**
 * In Excel, office.js defines CustomFunctions before functions.js (the ATTN.*
 * bundle, loaded by the same page) associates its functions. The in-Excel
 * tests give the page this stand-in; the outside-Office test gives it none,
 * which shows that functions.js loads cleanly in a plain browser.
 */
export const CUSTOM_FUNCTIONS_STUB = "window.CustomFunctions = { associate() {}, Error: class {}, ErrorCode: {} };";

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
    module: { rules: [{ test: /\.ts$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true, compilerOptions: { module: "esnext" } } } }] },
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

/** Console errors, uncaught exceptions and dialogs (alert, confirm) of a page, as they happen. */
export function watch(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on("console", (m) => {
    if (m.type() === "error") seen.errors.push(m.text());
  });
  page.on("pageerror", (e) => seen.errors.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  return seen;
}

/** The built pane, served, with a browser: what a browser test sets up before its tests and closes after them. */
export interface PaneRig {
  server: Awaited<ReturnType<typeof serve>>;
  browser: Browser;
  /** The fake workbook's page bundle, to inject with addInitScript. */
  fakeBundle: string;
  close(): Promise<void>;
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
    close: async () => {
      await browser.close();
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
