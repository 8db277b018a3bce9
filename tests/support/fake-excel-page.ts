/**
 * Browser entry for the task pane tests: the real pane code on a FakeExcel,
 * with the real office.js loaded as in Excel. The fake stays reachable as
 * `window.__fake` for the test's checks.
 *
 * The test adds this bundle as an init script, so it runs before the page's
 * scripts; it installs the fake only once office.js has run (the load event
 * of its script element, which fires before the pane's deferred bundles
 * start). Installed earlier, the fake's Office would be extended, and its
 * onReady overwritten, by office.js, which keeps whatever `Office` it finds.
 * Outside Office, office.js defines no Excel, leaves Office.context without
 * requirement sets and resolves onReady with host null; in Excel its host
 * script fills in all three. So the fake puts in Excel.run and the
 * requirement sets, and wraps onReady: the pane still waits for the real
 * library to finish starting, then hears what Excel on the web says.
 */
import { FakeExcel } from "./fake-excel";

const OFFICE_JS = /^https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js$/;

interface OfficeNamespace {
  onReady(callback?: (info: { host: string; platform: string }) => void): Promise<{ host: string; platform: string }>;
  context: object;
}

function install(fake: FakeExcel): void {
  const page = window as unknown as { Office: OfficeNamespace; Excel: unknown; __fake: FakeExcel };
  const { Excel, Office } = fake.globals();
  const office = page.Office;
  const realOnReady = office.onReady.bind(office);
  office.onReady = async (callback) => {
    await realOnReady();
    Object.assign(office.context, { requirements: Office.context.requirements });
    // Office.context.displayLanguage: the language of Office's own UI, as an RFC 1766 tag ("es-ES"), when the test sets one.
    const lang = (window as unknown as { __displayLanguage?: string }).__displayLanguage;
    if (lang !== undefined) Object.defineProperty(office.context, "displayLanguage", { value: lang, configurable: true });
    const info = await Office.onReady();
    callback?.(info);
    return info;
  };
  page.Excel = Excel;
  page.__fake = fake;
}

// Office's own frames (its telemetry proxy) get init scripts too; the fake belongs to the pane only.
if (window === window.top) {
  document.addEventListener(
    "load",
    (event) => {
      if (event.target instanceof HTMLScriptElement && OFFICE_JS.test(event.target.src)) install(new FakeExcel());
    },
    true,
  );
}
