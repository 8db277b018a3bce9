/**
 * The file `npm run workbook --out` names, checked before any training and
 * written whole or not at all: the bytes go to a short temporary name in the
 * target's folder, then one rename puts them in place.
 *
 * A symbolic link is followed, so the link stays and its target gets the
 * workbook. A replaced file keeps its mode. A read-only file is refused by
 * its mode bits (root may write any file, and would silently replace it).
 * Messages name the user's file, never the temporary one, and the temporary
 * name is short, so any name the file system takes works.
 */
import { cliT } from "../i18n/cli";
import { randomBytes } from "crypto";
import { constants, promises as fs, type Stats } from "fs";
import path from "path";
import { messageOf } from "../i18n";

export interface Destination {
  /** The file as the user named it (resolved to an absolute path). */
  file: string;
  /** The file written: `file`, or the end of its chain of symbolic links. */
  target: string;
  replaces: boolean;
  /** Writes `bytes` to `target` whole, keeping the mode of the file it replaces. */
  write(bytes: Uint8Array): Promise<void>;
}

/** Links followed before giving up, as the kernel's own limit for a path (MAXSYMLINKS). */
const MAX_LINKS = 40;
const WRITE_BITS = 0o222;

/** Where `file` leads and whether it can be written there; nothing is left behind. */
export async function openDestination(file: string): Promise<Destination | { error: string }> {
  const target = await followLinks(file);
  if (target === undefined) return { error: cliT().linkLoop(file) };
  const dir = path.dirname(target);
  const dirStat = await fs.stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) return { error: cliT().noFolder(dir) };
  const old = await fs.stat(target).catch(() => undefined);
  if (old?.isDirectory()) return { error: cliT().isFolder(target) };
  if (old && !old.isFile()) return { error: cliT().notFile(target) };
  if (old && (old.mode & WRITE_BITS) === 0) {
    return { error: cliT().readOnly(target, (old.mode & 0o777).toString(8)) };
  }
  if (
    old &&
    !(await fs.access(target, constants.W_OK).then(
      () => true,
      () => false,
    ))
  ) {
    return { error: cliT().notYours(target, (old.mode & 0o777).toString(8)) };
  }
  try {
    const probe = await createTemp(dir, old);
    await probe.handle.close();
    await fs.rm(probe.temp, { force: true });
  } catch (e) {
    return { error: cliT().cannotCreate(file, dir, (e as NodeJS.ErrnoException).code ?? String(e)) };
  }
  return { file, target, replaces: !!old, write: (bytes) => writeWhole(file, target, bytes) };
}

/** The end of `file`'s chain of links (which need not exist yet); undefined for a loop. */
async function followLinks(file: string): Promise<string | undefined> {
  let p = file;
  for (let i = 0; i <= MAX_LINKS; i++) {
    const st = await fs.lstat(p).catch(() => undefined);
    if (!st?.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), await fs.readlink(p));
  }
  return undefined;
}

/**
 * A new file beside the target, readable by its owner only until it gets
 * its final mode: the replaced file's, or the usual one for a new file
 * (0o666 less the umask, which open applies).
 */
async function createTemp(dir: string, old: Stats | undefined): Promise<{ temp: string; handle: fs.FileHandle }> {
  const temp = path.join(dir, `.al-${randomBytes(4).toString("hex")}.tmp`);
  return { temp, handle: await fs.open(temp, "wx", old ? 0o600 : 0o666) };
}

async function writeWhole(file: string, target: string, bytes: Uint8Array): Promise<void> {
  let temp: string | undefined;
  try {
    const old = await fs.stat(target).catch(() => undefined);
    const created = await createTemp(path.dirname(target), old);
    temp = created.temp;
    try {
      await created.handle.writeFile(bytes);
      if (old) await created.handle.chmod(old.mode & 0o7777);
    } finally {
      await created.handle.close();
    }
    await fs.rename(temp, target);
  } catch (e) {
    if (temp) await fs.rm(temp, { force: true });
    throw new Error(cliT().couldNotWrite(file, codeOf(e)));
  }
}

/** An error as its code and the words for it, without the paths node puts in its message. */
function codeOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = cliT().errno;
  if (code === undefined) return messageOf(e);
  return words[code] ? `${words[code]} (${code})` : code;
}
