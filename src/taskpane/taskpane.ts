// Task pane entry point. In Excel it wires the view to a controller over the
// workbook; anywhere else (a browser, or office.js failed to load) it says
// how to open the pane from Excel and leaves every workbook action off.
import { browserEngine } from "../train/browser-engine";
import { Controller } from "./controller";
import { provideModel } from "../functions/model-source";
import { AttentionPanel } from "./attention-panel";
import { ExplainPanel } from "./explain-panel";
import { ExplainView } from "./explain-view";
import { HeadView } from "./head-view";
import { ExcelHost } from "./host";
import { LossCurve } from "./loss-curve";
import { View } from "./view";

const view = new View(document);
const lossCurve = new LossCurve(document);
const headView = new HeadView(document);
const explainView = new ExplainView(document);

function outside(reason: string): void {
  const controller = new Controller();
  view.attach(controller);
  controller.outside(reason);
}

if (typeof Office === "undefined") {
  outside("office.js did not load, so this page cannot reach a workbook.");
} else {
  Office.onReady().then(
    (info) => {
      // Compared as text: Office.HostType.Excel is "Excel".
      if (String(info.host) === "Excel") {
        const host = new ExcelHost();
        // ATTN.GENERATE computes from the workbook's own model, read through the same names and settings as the pane.
        provideModel(() => host.readModel());
        const controller: Controller = new Controller(host, {
          engine: browserEngine({ onFallback: (warning) => controller.warn(warning) }),
        });
        view.attach(controller);
        const panel = new AttentionPanel(host);
        headView.attach(panel);
        const explain = new ExplainPanel(host);
        explainView.attach(explain, (index) => void controller.tourGo(index));
        controller.subscribe((s) => {
          lossCurve.render(s);
          panel.follow(s.model?.config, s.busy === "build");
          explain.follow(s.model, s.layout);
        });
        void panel.start();
        void explain.start();
        void controller.start();
      } else {
        outside(info.host ? `it is running in ${String(info.host)}, not Excel.` : "it is open in a browser, not in Excel.");
      }
    },
    (e: unknown) => outside(`Office did not start (${e instanceof Error ? e.message : String(e)}).`),
  );
}
