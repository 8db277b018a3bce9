/**
 * The fake itself behaves like Excel's JavaScript API where the adapter's
 * tests rely on it: queued commands, load-then-sync reads, JSON transport,
 * Excel's entry rules, failing syncs, payload and requirement-set limits.
 */
import { FakeExcel, FakeExcelError } from "./support/fake-excel";

test("values are readable only after load and sync; commands run only at sync", async () => {
  const fake = new FakeExcel();
  fake.addSheet("S");
  const context = fake.context();
  const r = context.workbook.worksheets.getItem("S").getRange("A1:B1");
  r.values = [[1, 2]];
  expect(fake.cell("S", "A1")).toBeUndefined();
  r.load("values");
  // Reading before the sync is the mistake this checks the fake refuses.
  // eslint-disable-next-line office-addins/call-sync-after-load, office-addins/call-sync-before-read
  expect(() => r.values).toThrow(/not available.*load.*context\.sync/);
  await context.sync();
  expect(r.values).toEqual([[1, 2]]);
  expect(fake.syncs).toBe(1);
});

test("entries travel as JSON and are entered as Excel enters them; null leaves a cell alone", async () => {
  const fake = new FakeExcel();
  fake.addSheet("S", { C1: "keep" });
  const context = fake.context();
  const ws = context.workbook.worksheets.getItem("S");
  ws.getRange("A1:D1").formulas = [["=SUM(B2:B3)", "12", NaN, null]];
  ws.getRange("A2:B2").values = [["TRUE", "a word"]];
  const text = ws.getRange("A3");
  text.numberFormat = [["@"]];
  text.values = [["12"]];
  await context.sync();
  expect(fake.cell("S", "A1")).toEqual({ formula: "SUM(B2:B3)" });
  expect(fake.cell("S", "B1")?.value).toBe(12);
  expect(fake.cell("S", "C1")?.value).toBe("keep");
  expect(fake.cell("S", "A2")?.value).toBe(true);
  expect(fake.cell("S", "B2")?.value).toBe("a word");
  expect(fake.cell("S", "A3")?.value).toBe("12");
});

test("a failing command fails its sync with Excel's code; the commands before it stay done", async () => {
  const fake = new FakeExcel();
  const context = fake.context();
  context.workbook.worksheets.add("New");
  context.workbook.names.getItem("Missing").getRange().load("values");
  context.workbook.worksheets.add("Later");
  const e = await context.sync().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(FakeExcelError);
  expect((e as FakeExcelError).code).toBe("ItemNotFound");
  expect(fake.sheets.map((s) => s.name)).toEqual(["New"]);
});

test("a request over the payload limit fails whole, and so does an API the host's requirement set lacks", async () => {
  const small = new FakeExcel({ payloadLimit: 1000 });
  small.addSheet("S");
  const context = small.context();
  context.workbook.worksheets.getItem("S").getRange("A1:A100").values = Array.from({ length: 100 }, (_, i) => [i * 1.2345]);
  await expect(context.sync()).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
  expect(small.cell("S", "A1")).toBeUndefined();

  const old = new FakeExcel({ apiVersion: 17 });
  old.addSheet("S");
  const context2 = old.context();
  context2.workbook.worksheets.getItem("S").notes.add("A1", "hi");
  await expect(context2.sync()).rejects.toMatchObject({ code: "ApiNotFound" });
  expect(old.requirements.isSetSupported("ExcelApi", "1.17")).toBe(true);
  expect(old.requirements.isSetSupported("ExcelApi", "1.18")).toBe(false);
});

test("getItemOrNullObject knows isNullObject after a sync; names follow their sheet and turn into #REF! with it", async () => {
  const fake = new FakeExcel();
  fake.addSheet("S");
  fake.addName("N", "S", "B2:C3");
  const context = fake.context();
  const missing = context.workbook.worksheets.getItemOrNullObject("Nope");
  const there = context.workbook.worksheets.getItemOrNullObject("S");
  // eslint-disable-next-line office-addins/call-sync-before-read
  expect(() => missing.isNullObject).toThrow();
  await context.sync();
  expect([missing.isNullObject, there.isNullObject]).toEqual([true, false]);
  expect(fake.nameRef("N")).toBe("S!$B$2:$C$3");
  fake.deleteSheet("S");
  expect(fake.nameRef("N")).toBe("#REF!");
});

test("event handlers register at the sync and hear Excel's calculations and the user's selections with the documented arguments", async () => {
  const fake = new FakeExcel();
  const a = fake.addSheet("A", { A1: "=1+1" });
  fake.addSheet("B");
  const heard: string[] = [];
  const context = fake.context();
  const all = context.workbook.worksheets.onCalculated.add(async (e) => void heard.push(`all ${JSON.stringify(e)}`));
  context.workbook.worksheets.getItem("B").onCalculated.add(async (e) => void heard.push(`B ${e.worksheetId}`));
  context.workbook.worksheets.onSelectionChanged.add(async (e) => void heard.push(`selected ${JSON.stringify(e)}`));
  // Not registered before the sync, as Excel registers a handler only when its add reaches the host.
  await fake.calculate("A", "A1", [[2]]);
  expect(heard).toEqual([]);
  await context.sync();
  await fake.calculate("A", "A1", [[2]]);
  expect(heard).toEqual([`all {"type":"WorksheetCalculated","worksheetId":"${a.id}","address":"A1"}`]);
  // A calculation keeps the formula and shows its result.
  expect(fake.cell("A", "A1")).toEqual({ formula: "1+1", value: 2 });
  heard.length = 0;
  await fake.calculate("B", "C2:D3", [
    [1, 2],
    [3, 4],
  ]);
  expect(heard).toEqual([expect.stringMatching(/^all .*"address":"C2:D3"/), `B ${fake.sheet("B")!.id}`]);
  heard.length = 0;
  await fake.userSelects("B", "$C$2:$D$3");
  expect(heard).toEqual([`selected {"type":"WorksheetSelectionChanged","worksheetId":"${fake.sheet("B")!.id}","address":"C2:D3"}`]);
  expect([fake.active?.name, fake.selection?.address]).toEqual(["B", "C2:D3"]);
  // Removed at the next sync; the sheet's id finds it as its name does.
  all.remove();
  const sheet = context.workbook.worksheets.getItem(String(a.id)).load("name");
  await context.sync();
  expect(sheet.name).toBe("A");
  heard.length = 0;
  await fake.calculate("A", "A1", [[2]]);
  expect(heard).toEqual([]);
});

test("before ExcelApi 1.11 a calculation's arguments have no address", async () => {
  const fake = new FakeExcel({ apiVersion: 10 });
  fake.addSheet("A");
  const heard: unknown[] = [];
  const context = fake.context();
  context.workbook.worksheets.onCalculated.add(async (e) => void heard.push(e));
  await context.sync();
  await fake.calculate("A", "A1", [[1]]);
  expect(heard).toEqual([{ type: "WorksheetCalculated", worksheetId: String(fake.sheet("A")!.id) }]);
});
