// The large run as root (see large-run.ts).
import { largeRun } from "./large-run.js";
import { ROOT_USER } from "./tree.js";

largeRun(ROOT_USER);
