import { launch } from "../tests/support/pane-browser";
(async () => {
  const b = await launch();
  const p = await b.newPage({ viewport: { width: 900, height: 500 } });
  await p.goto(`file://${process.argv[2]}#page=1&toolbar=0&navpanes=0&zoom=300`);
  await p.waitForTimeout(3000);
  await p.screenshot({ path: process.argv[3] });
  await b.close();
})();
