import "server-only";

import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Why the embedded database must not open in `dataDir`, or null when it may.
 *
 * The standalone server (`node .next/standalone/server.js`) changes into its
 * own folder before Roster runs, so a relative ROSTER_DATA_DIR (the default
 * `.roster` included) lands inside the build folder, and the next `next build`
 * deletes it with the database in it. Any folder under one holding a
 * `BUILD_ID` is such a build folder.
 */
export function dataDirProblem(dataDir: string, cwd = process.cwd()): string | null {
  // turbopackIgnore: no file here belongs in the build's trace (without it the folder's sources did).
  const resolved = path.resolve(/* turbopackIgnore: true */ cwd, dataDir);
  for (let dir = path.dirname(resolved); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(/* turbopackIgnore: true */ dir, "BUILD_ID"))) {
      return (
        `ROSTER_DATA_DIR (${JSON.stringify(dataDir)}) puts the embedded database in ${resolved}, ` +
        `inside the build folder ${dir}, which the next build deletes. ` +
        `Set ROSTER_DATA_DIR to an absolute path outside it (the standalone server runs from its ` +
        `own folder, so a relative path is taken from there), or use DATABASE_URL.`
      );
    }
    if (path.dirname(dir) === dir) return null;
  }
}
