/** The Guide sheet: the model in one line, the sheets in the order the numbers flow, and how to play with it. */
import type { BuildContext } from "../context";
import { SHEET_KINDS } from "../kinds";
import type { SheetLayout } from "../layout";
import { NOTES } from "../notes";
import { t } from "../../i18n";
import { PRESET_NAMES, type PresetName } from "../../model/presets";

const isPreset = (name: string): name is PresetName => (PRESET_NAMES as readonly string[]).includes(name);

export function writeGuide(ctx: BuildContext, guide: SheetLayout): void {
  const { c, input } = ctx;
  const T = t();
  guide.paragraph(
    T.sheet.guide.heading(input.preset, isPreset(input.preset) ? T.presetDescription(input.preset) : input.description),
    "subheading",
  );
  guide.paragraph(
    T.sheet.guide.model({
      stacks: T.stacks(c),
      summary: SHEET_KINDS[c.kind].summary,
      dModel: c.dModel,
      heads: c.heads,
      dK: c.dK,
      dFF: c.dFF,
      positions: T.sheet.guide.positions(c.sourceLen, c.targetLen),
      softmax: c.normalization === "softmax",
      scaled: c.scaled,
    }),
  );
  guide.skip(1);
  guide.paragraph(T.sheet.guide.sheets, "subheading");
  for (const s of ctx.sheets) {
    if (s === guide) continue;
    guide.paragraph(`${s.sheet.name}: ${s.sheet.purpose}`);
  }
  guide.skip(1);
  guide.paragraph(T.sheet.guide.play, "subheading");
  for (const line of SHEET_KINDS[c.kind].generation ? NOTES.guideGenerate : NOTES.guide) guide.paragraph(line);
}
