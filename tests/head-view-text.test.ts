/**
 * The head view's words for a weight ("cat → eats 0.62"), which the list of
 * the largest weights and the screen reader's description read. A word that
 * appears twice in the sentence ("the cat saw the dog") must say which of
 * its positions it is, or two different lines read the same.
 */
import type { AttentionRead } from "../src/excel/attention-read";
import { describeWeight } from "../src/taskpane/head-view";
import { withLanguage } from "../src/i18n";

const tokens = ["the", "cat", "saw", "the", "dog"];
const read = {
  target: { block: "Enc_H1_Attn" },
  queries: tokens,
  keys: tokens,
  keyVisible: tokens.map(() => true),
  weights: [],
  ranges: [],
} as unknown as AttentionRead;

describe("a weight in words", () => {
  test("a word that appears once is named by itself", () => {
    expect(describeWeight(read, { head: 1, query: 1, key: 4, weight: 0.618 }, false)).toBe("cat → dog 0.62");
  });

  test("a repeated word carries its position (1-based, as the token buttons count)", () => {
    expect(describeWeight(read, { head: 1, query: 0, key: 3, weight: 0.5 }, false)).toBe("the (1) → the (4) 0.50");
    expect(describeWeight(read, { head: 1, query: 3, key: 1, weight: 0.25 }, false)).toBe("the (4) → cat 0.25");
  });

  test("the same in Spanish, with the head when all heads are shown", () => {
    expect(withLanguage("es", () => describeWeight(read, { head: 2, query: 3, key: 0, weight: 0.125 }, true))).toBe(
      "the (4) → the (1) 0.13 (cabeza 2)",
    );
  });
});
