/**
 * The pane in Spanish, in headless Chromium over the fake Excel: Office's
 * display language "es-ES" puts every text of the page in the Spanish table's
 * words, Build and the tour speak Spanish, and the switch turns the pane to
 * English at once and keeps that choice when the pane opens again.
 */
import type { Page } from "playwright-core";
import { en } from "../src/i18n/en";
import { es } from "../src/i18n/es";
import { CLEAN, fillBuild, usePaneRig } from "./support/pane-browser";

const rig = usePaneRig();
const clean = CLEAN;

/** Every element that names a key of the table, with its text or aria-label. */
const keyed = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("[data-i18n], [data-i18n-aria-label]")].map((el) =>
      el.dataset.i18n ? [el.dataset.i18n, el.textContent] : [el.dataset.i18nAriaLabel, el.getAttribute("aria-label")],
    ),
  );

const status = (page: Page, start: string) =>
  page.waitForFunction((s) => document.getElementById("status-text")?.textContent?.startsWith(s), start, { timeout: 60000 });

test("Office in Spanish: the pane in Spanish, Build and the tour too; the switch turns it to English and remembers", async () => {
  const { page, seen } = await rig.open(360, 900, { ready: es.status.ready, init: 'window.__displayLanguage = "es-ES";' });

  expect(await page.evaluate(() => document.documentElement.lang)).toBe("es");
  expect(await page.locator("#language").inputValue()).toBe("es");
  const html = es.html as Record<string, string>;
  expect(await keyed(page)).toEqual((await keyed(page)).map(([k]) => [k, html[k!]]));
  expect(await page.locator("#build-button").textContent()).toBe("Construir");
  expect(await page.locator("#task option[value=translate]").textContent()).toBe(es.pane.tasks.translate);
  expect(await page.locator("#preset-hint").textContent()).toBe(es.presetDescription("encoder"));
  expect(await page.locator("#tour-text").textContent()).toBe(es.pane.tourNoModel);

  await page.click("#build-button");
  await status(page, "Construidas 7 hojas para la configuración encoder");
  expect(await page.locator("#model-summary").textContent()).toBe(es.pane.summary("encoder", 16, 2, 8, "1 capa de codificador"));
  await page.click("#tour-next");
  await page.waitForFunction(() => document.getElementById("tour-step-title")?.textContent === "Embedding");
  expect(await page.locator("#tour-text").textContent()).toMatch(/^Un transformer lee números, no palabras/);
  expect(await page.locator("#tour-position").textContent()).toBe("Paso 1 de 10");
  // The workbook the pane built is in Spanish too: the Guide's lines, in the fake's cells.
  const guide = await page.evaluate(() => {
    const fake = (window as unknown as { __fake: import("./support/fake-excel").FakeExcel }).__fake;
    return [...fake.sheet("Guide")!.cells.values()].map((c) => c.value);
  });
  expect(guide).toContain(es.sheet.guide.play);
  expect(guide).toContain(es.notes.guide[0]);

  await page.selectOption("#language", "en");
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
  expect(await page.locator("#build-button").textContent()).toBe("Build");
  expect(await page.locator("#tour-step-title").textContent()).toBe("Embedding");
  expect(await page.locator("#tour-text").textContent()).toMatch(/^A transformer reads numbers, not words/);
  expect(await page.locator("#tour-position").textContent()).toBe("Step 1 of 10");
  expect(await page.locator("#model-summary").textContent()).toMatch(/^Model in this workbook: encoder preset/);
  expect(await page.locator("#undo").textContent()).toBe(en.status.undoTraining);
  const englishHtml = en.html as Record<string, string>;
  expect(await keyed(page)).toEqual((await keyed(page)).map(([k]) => [k, englishHtml[k!]]));

  // Opened again (Office still in Spanish): the pane keeps the user's choice.
  await page.reload();
  await status(page, en.status.ready);
  expect(await page.locator("#language").inputValue()).toBe("en");
  expect(seen).toEqual(clean);
  await page.close();
}, 120000);

test("at 350 px, as in Excel's narrow pane, the language switch shows its chosen language whole, in each language", async () => {
  const { page, seen } = await rig.open(350, 700, { ready: en.status.ready });
  for (const lang of ["en", "es"]) {
    await page.selectOption("#language", lang);
    // The chosen option's text as the select's own font draws it, plus its padding and room for the arrow (16 px).
    const fit = await page.evaluate(() => {
      const select = document.getElementById("language") as HTMLSelectElement;
      const style = getComputedStyle(select);
      const ctx = document.createElement("canvas").getContext("2d")!;
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = ctx.measureText(select.options[select.selectedIndex].text).width;
      return { need: text + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 16, has: select.clientWidth };
    });
    expect(fit.has).toBeGreaterThanOrEqual(fit.need);
  }
  expect(seen).toEqual(clean);
  await page.close();
}, 120000);

test("at 350 px, every choice of the head view's block and head lists shows whole, in each language", async () => {
  const { page, seen } = await rig.open(350, 900, { ready: en.status.ready });
  // Two layers of an encoder–decoder: the longest block names (Dec2_Cross) and "All heads".
  await fillBuild(page, "encoder-decoder", { layers: "2", dModel: "8", heads: "2", dK: "4" });
  await page.click("#build-button");
  await status(page, "Built");
  for (const lang of ["en", "es"]) {
    await page.selectOption("#language", lang);
    // Each option's text as the select's own font draws it, plus the select's padding and room for its arrow (16 px).
    const misfits = await page.evaluate(() =>
      ["attn-block", "attn-head"].flatMap((id) => {
        const select = document.getElementById(id) as HTMLSelectElement;
        const style = getComputedStyle(select);
        const ctx = document.createElement("canvas").getContext("2d")!;
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) + 16;
        return [...select.options]
          .map((o) => ({ option: o.text, need: Math.ceil(ctx.measureText(o.text).width + pad), has: select.clientWidth }))
          .filter((m) => m.need > m.has);
      }),
    );
    expect({ lang, misfits }).toEqual({ lang, misfits: [] });
  }
  expect(seen).toEqual(clean);
  await page.close();
}, 120000);
