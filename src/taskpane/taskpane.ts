// Task pane entry point. For now it only says whether it runs inside Excel;
// the real pane (build, train) comes later.

const OUTSIDE_EXCEL_HELP =
  "This page is the Attention Lab task pane and works inside Excel. " +
  "Build the add-in, sideload manifest.xml into Excel (desktop or on the web; the README explains how), " +
  "then select Home > Open Attention Lab.";

function show(status: string, tone: "ok" | "info", help?: string): void {
  const statusElement = document.getElementById("status");
  const helpElement = document.getElementById("help");
  if (statusElement) {
    statusElement.textContent = status;
    statusElement.dataset.tone = tone;
  }
  if (helpElement) {
    helpElement.textContent = help ?? "";
    helpElement.hidden = help === undefined;
  }
}

if (typeof Office === "undefined") {
  show("Office is not available: office.js did not load.", "info", OUTSIDE_EXCEL_HELP);
} else {
  Office.onReady((info) => {
    if (info.host === Office.HostType.Excel) {
      show("Ready in Excel", "ok");
    } else {
      show("Not running in Excel.", "info", OUTSIDE_EXCEL_HELP);
    }
  });
}
