// Task pane entry point. In Excel it wires the view to a controller over the
// workbook; anywhere else (a browser, or office.js failed to load) it says
// how to open the pane from Excel and leaves every workbook action off.
import { browserEngine } from "../train/browser-engine";
import { Controller } from "./controller";
import { provideModel } from "../functions/model-source";
import { t } from "../i18n";
import { AttentionPanel } from "./attention-panel";
import { ExplainPanel } from "./explain-panel";
import { ExplainView } from "./explain-view";
import { HeadView } from "./head-view";
import { ExcelHost } from "./host";
import { languageSwitch, startLanguage } from "./language";
import { LossCurve } from "./loss-curve";
import { View } from "./view";

// Before Office answers, the pane speaks the browser's language (or the one chosen before);
// Office's display language wins once it is known.
startLanguage(typeof navigator === "undefined" ? undefined : navigator.language);
const view = new View(document);
const lossCurve = new LossCurve(document);
const headView = new HeadView(document);
const explainView = new ExplainView(document);
let controller: Controller | undefined;
let panel: AttentionPanel | undefined;
let explain: ExplainPanel | undefined;

/** Every part of the pane says everything again, in the language now in use. */
function relanguage(): void {
  view.relanguage();
  controller?.relanguage();
  lossCurve.relanguage();
  if (panel) headView.relanguage(panel.state);
  explainView.relanguage();
  explain?.relanguage();
}
languageSwitch(document, relanguage);

function outside(reason: string): void {
  controller = new Controller();
  view.attach(controller);
  controller.outside(reason);
}

if (typeof Office === "undefined") {
  outside(t().status.noOfficeJs);
} else {
  Office.onReady().then(
    (info) => {
      startLanguage(Office.context?.displayLanguage);
      relanguage();
      // Compared as text: Office.HostType.Excel is "Excel".
      if (String(info.host) === "Excel") {
        const host = new ExcelHost();
        // ATTN.GENERATE computes from the workbook's own model, read through the same names and settings as the pane.
        provideModel(() => host.readModel());
        const c: Controller = new Controller(host, {
          engine: browserEngine({ onFallback: (warning) => c.warn(warning) }),
        });
        controller = c;
        view.attach(c);
        panel = new AttentionPanel(host);
        headView.attach(panel);
        const p = panel;
        const x = new ExplainPanel(host);
        explain = x;
        explainView.attach(x, (index) => void c.tourGo(index));
        c.subscribe((s) => {
          lossCurve.render(s);
          p.follow(s.model?.config, s.busy === "build");
          x.follow(s.model, s.layout);
        });
        void panel.start();
        void x.start();
        void c.start();
      } else {
        outside(info.host ? t().status.otherHost(String(info.host)) : t().status.browser);
      }
    },
    (e: unknown) => outside(t().status.officeFailed(e instanceof Error ? e.message : String(e))),
  );
}
