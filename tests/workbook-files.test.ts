/**
 * The file `npm run workbook --out` writes: a symbolic link is followed and
 * stays a link, a read-only file is refused (by its mode bits: these tests
 * may run as root, who can write any file), a replaced file keeps its mode,
 * the destination is checked before training, every message names the
 * user's file and never the temporary one, and a long but valid name works.
 *
 * "A folder no one may create files in" is /sys: sysfs refuses new files to
 * root too, on every Linux machine and CI runner.
 */
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { openDestination } from "../src/cli/destination";
import { TSX } from "./support/tsx";

const ROOT = path.resolve(__dirname, "..");
const BYTES = Buffer.from("PK new workbook");

function cli(args: string[]) {
  return spawnSync(process.execPath, [...TSX, path.join(ROOT, "src/cli/workbook.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: ROOT },
    encoding: "utf8",
    timeout: 280_000,
  });
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attention-lab-files-"));
});
afterEach(() => {
  for (const f of fs.readdirSync(dir)) if (!fs.lstatSync(path.join(dir, f)).isSymbolicLink()) fs.chmodSync(path.join(dir, f), 0o600);
  fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));

async function written(file: string): Promise<void> {
  const d = await openDestination(file);
  if ("error" in d) throw new Error(d.error);
  await d.write(BYTES);
}

test("a symbolic link is followed: its target gets the workbook, the link stays a link", async () => {
  const target = path.join(dir, "real.xlsx");
  const link = path.join(dir, "link.xlsx");
  fs.writeFileSync(target, "old");
  fs.symlinkSync("real.xlsx", link);
  const d = await openDestination(link);
  expect(d).toMatchObject({ file: link, target, replaces: true });
  await written(link);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.readlinkSync(link)).toBe("real.xlsx");
  expect(fs.readFileSync(target)).toEqual(BYTES);
  expect(leftovers()).toEqual([]);
});

test("a link to a file that does not exist yet creates its target", async () => {
  const link = path.join(dir, "link.xlsx");
  fs.symlinkSync(path.join(dir, "later.xlsx"), link);
  await written(link);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(path.join(dir, "later.xlsx"))).toEqual(BYTES);
});

test("a loop of links is refused with a message", async () => {
  fs.symlinkSync("b.xlsx", path.join(dir, "a.xlsx"));
  fs.symlinkSync("a.xlsx", path.join(dir, "b.xlsx"));
  expect(await openDestination(path.join(dir, "a.xlsx"))).toEqual({
    error: `--out: ${path.join(dir, "a.xlsx")} is a loop of symbolic links`,
  });
});

test.each([0o444, 0o400, 0o555].map((m) => [m.toString(8), m]))(
  "a read-only file (mode %s) is refused and left as it was, even for root",
  async (_, mode) => {
    const file = path.join(dir, "locked.xlsx");
    fs.writeFileSync(file, "mine");
    fs.chmodSync(file, mode);
    expect(await openDestination(file)).toEqual({
      error: `--out: ${file} is read-only (mode ${mode.toString(8)}); make it writable (chmod u+w) or choose another --out`,
    });
    expect(fs.readFileSync(file, "utf8")).toBe("mine");
    expect(modeOf(file)).toBe(mode);
  },
);

test("through a link, a read-only target is refused too", async () => {
  const target = path.join(dir, "locked.xlsx");
  fs.writeFileSync(target, "mine");
  fs.chmodSync(target, 0o444);
  fs.symlinkSync(target, path.join(dir, "link.xlsx"));
  expect(await openDestination(path.join(dir, "link.xlsx"))).toHaveProperty("error", expect.stringContaining(`${target} is read-only`));
});

test.each([0o600, 0o640, 0o664, 0o700].map((m) => [m.toString(8), m]))("a replaced file keeps its mode %s", async (_, mode) => {
  const file = path.join(dir, "kept.xlsx");
  fs.writeFileSync(file, "old");
  fs.chmodSync(file, mode);
  await written(file);
  expect(fs.readFileSync(file)).toEqual(BYTES);
  expect(modeOf(file)).toBe(mode);
});

test("a name of 255 bytes, the most the file system takes, is written", async () => {
  const file = path.join(dir, `${"w".repeat(250)}.xlsx`);
  await written(file);
  expect(fs.readFileSync(file)).toEqual(BYTES);
  expect(leftovers()).toEqual([]);
});

test("a folder that refuses new files is found before writing, and the message names the user's file", async () => {
  const r = await openDestination("/sys/model.xlsx");
  expect(r).toHaveProperty(
    "error",
    expect.stringMatching(
      /^--out: cannot write \/sys\/model\.xlsx: the folder \/sys does not let you create files \((EACCES|EPERM|EROFS)\)$/,
    ),
  );
});

test("a write that fails after the checks names the user's file, not the temporary one, and leaves nothing behind", async () => {
  const sub = path.join(dir, "gone");
  fs.mkdirSync(sub);
  const file = path.join(sub, "x.xlsx");
  const d = await openDestination(file);
  if ("error" in d) throw new Error(d.error);
  fs.rmSync(sub, { recursive: true });
  const e = await d.write(BYTES).then(
    () => undefined,
    (x: Error) => x,
  );
  expect(e?.message).toMatch(new RegExp(`^could not write ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `));
  expect(e?.message).not.toMatch(/\.tmp/);
});

describe("npm run workbook (the real CLI)", () => {
  test("an unwritable destination exits with 2 before training, naming the user's file", () => {
    const r = cli(["--preset", "encoder", "--train-steps", "300", "--out", "/sys/model.xlsx"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: --out: cannot write /sys/model.xlsx");
    expect(r.stderr).not.toMatch(/\.tmp/);
    expect(r.stdout).not.toMatch(/training/);
  });

  test("a read-only --out exits with 2 before training and is left as it was", () => {
    const file = path.join(dir, "locked.xlsx");
    fs.writeFileSync(file, "mine");
    fs.chmodSync(file, 0o444);
    const r = cli(["--preset", "encoder", "--train-steps", "300", "--out", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: --out: ${file} is read-only`);
    expect(r.stdout).not.toMatch(/training/);
    expect(fs.readFileSync(file, "utf8")).toBe("mine");
  });

  test("a long name and a link: the workbook is written through the link, the mode kept", () => {
    const target = path.join(dir, `${"t".repeat(250)}.xlsx`);
    fs.writeFileSync(target, "old");
    fs.chmodSync(target, 0o600);
    const link = path.join(dir, `${"l".repeat(250)}.xlsx`);
    fs.symlinkSync(target, link);
    const r = cli(["--preset", "seed", "--train-steps", "1", "--out", link]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`replaced ${target} (through the link ${link})`);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target).subarray(0, 2).toString()).toBe("PK");
    expect(modeOf(target)).toBe(0o600);
    expect(leftovers()).toEqual([]);
  });
});
