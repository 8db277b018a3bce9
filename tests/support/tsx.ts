/**
 * The node flags that run one of our TypeScript entry points in a child
 * process, as `npm run` does: tsx's loader. It is named by its file URL, not
 * as the bare "tsx", because node resolves an --import specifier from the
 * child's working folder, and some tests run the CLI in a temporary one.
 */
import { pathToFileURL } from "url";

export const TSX = ["--import", pathToFileURL(require.resolve("tsx")).href];
