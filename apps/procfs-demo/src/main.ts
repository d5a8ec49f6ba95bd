#!/usr/bin/env node
// The vfskit example app. Until the kernel, procfs and the shell exist (planned), it runs a
// tour of Linux path semantics on the vfskit VFS and prints each result.
import { runTour } from "./tour.js";

console.log("vfskit demo — Linux filesystem semantics in JavaScript\n");
const steps = runTour((line) => console.log(line));
console.log(`\n${steps} steps. Planned: boot a kernel with tmpfs, /proc and /sys, and explore them from a shell.`);
