/**
 * The kernel selection of src/model in headless Chromium, bundled by webpack
 * as the add-in is (the module's bytes inline, nothing fetched), on a page and
 * in a Web Worker, under the task pane's own Content-Security-Policy with and
 * without 'wasm-unsafe-eval' in script-src. Chromium refuses to compile
 * WebAssembly under a script-src without 'wasm-unsafe-eval' (or
 * 'unsafe-eval'); the model must then fall back to JavaScript, not fail.
 */
import { promises as fs } from "fs";
import os from "os";
import path from "path";
import type { Browser } from "playwright-core";
import webpack from "webpack";
import { launch, serve, watch } from "./support/pane-browser";

const ROOT = path.resolve(__dirname, "..");

/** The pane's policy, read from taskpane.html (without the dev server's template addition). */
async function paneCsp(): Promise<string> {
  const html = await fs.readFile(path.join(ROOT, "src/taskpane/taskpane.html"), "utf8");
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*?)(<%=[^"]*%>)?"/.exec(html)?.[1];
  if (!csp) throw new Error("taskpane.html should declare a Content-Security-Policy");
  return csp;
}

function bundle(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    webpack(
      {
        context: ROOT,
        mode: "production",
        devtool: false,
        entry: { "kernel-page": "./tests/support/kernel-page.ts" },
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
      },
      (error, stats) => (error ? reject(error) : stats?.hasErrors() ? reject(new Error(stats.toString("errors-only"))) : resolve()),
    );
  });
}

let dir: string;
let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "attention-lab-kernel-"));
  await bundle(dir);
  const page = (policy: string) =>
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="${policy}"><script src="kernel-page.js"></script>`;
  const without = (await paneCsp()).replace(" 'wasm-unsafe-eval'", "");
  await fs.writeFile(path.join(dir, "without-wasm.html"), page(without));
  await fs.writeFile(path.join(dir, "with-wasm.html"), page(without.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")));
  await fs.writeFile(path.join(dir, "favicon.ico"), ""); // Chromium asks for it; a 404 would count as an error.
  server = await serve(dir);
  browser = await launch();
}, 180000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function reports(file: string): Promise<{ page: unknown; worker: unknown; violations: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const { violations, errors } = await watch(page);
  await page.goto(server.url + file);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { kernelReport: unknown; workerReport: Promise<unknown> };
    return { page: w.kernelReport, worker: await w.workerReport };
  });
  await page.close();
  return { ...result, violations, errors };
}

test("with 'wasm-unsafe-eval' in script-src, the page and its worker multiply in WebAssembly, to the JavaScript kernel's bits", async () => {
  const seen = await reports("with-wasm.html");
  expect(seen.page).toEqual({ kernel: "wasm", sameBits: true });
  expect(seen.worker).toEqual({ kernel: "wasm", sameBits: true });
  expect(seen.violations).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test("without 'wasm-unsafe-eval', Chromium refuses to compile WebAssembly on the page, and the model falls back to JavaScript", async () => {
  const seen = await reports("without-wasm.html");
  expect(seen.page).toEqual({ kernel: "js", sameBits: true });
  expect(seen.violations).toEqual([expect.stringMatching(/^script-src blocked wasm-eval at /)]);
  expect(seen.errors).toEqual([]);
  // The worker's script comes with no policy of its own, so the page's does not bind it.
  expect(seen.worker).toEqual({ kernel: "wasm", sameBits: true });
});
