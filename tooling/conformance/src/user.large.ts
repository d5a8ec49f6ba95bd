// The large run as the unprivileged user (see large-run.ts).
import { largeRun } from "./large-run.js";
import { UNPRIVILEGED_USER } from "./tree.js";

largeRun(UNPRIVILEGED_USER);
