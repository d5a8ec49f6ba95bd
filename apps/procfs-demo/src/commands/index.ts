// The command table.
import type { CommandSpec } from "../shell/command.js";
import { listingCommands } from "./ls.js";
import { modifyCommands } from "./modify.js";
import { mountCommands } from "./mounts.js";
import { procpsCommands } from "./procps.js";
import { sessionCommands } from "./session.js";
import { textCommands } from "./text.js";

/** Every command of the shell, by name. */
export function allCommands(): Map<string, CommandSpec> {
  return new Map(
    Object.entries({
      ...listingCommands,
      ...textCommands,
      ...modifyCommands,
      ...mountCommands,
      ...procpsCommands,
      ...sessionCommands,
    }),
  );
}
