/**
 * The warnings of a build say what happened: on an Excel below ExcelApi
 * 1.18 the explanations become comments, and the pane says so only if the
 * comments were made. A host that turns the comments down too (NotImplemented)
 * gets the one warning that names them as missing, not also one that says
 * they were added as comments.
 */
import { applyPlan } from "../src/excel/apply";
import { WARNINGS } from "../src/excel/write";
import { build } from "./support/builds";
import { FakeExcel } from "./support/fake-excel";

const { plan } = build("encoder", 11);

test("comments that were made: the pane says the explanations are comments", async () => {
  const fake = new FakeExcel({ apiVersion: 10 });
  const report = await applyPlan(fake.context(), plan, { requirements: fake.requirements });
  expect(fake.comments.length).toBeGreaterThan(0);
  expect(report.warnings).toEqual([WARNINGS.notesAsComments]);
});

test("comments the host turns down: one warning, that the explanations could not be added", async () => {
  const fake = new FakeExcel({ apiVersion: 10 });
  fake.failCommand("CommentCollection.add", "NotImplemented");
  const report = await applyPlan(fake.context(), plan, { requirements: fake.requirements });
  expect(fake.comments).toHaveLength(0);
  expect(report.warnings).toEqual([
    expect.stringMatching(
      /^The explanations of the blocks \(notes or comments on their titles\) could not be added, or not all of them \(Excel said NotImplemented: /,
    ),
  ]);
});
