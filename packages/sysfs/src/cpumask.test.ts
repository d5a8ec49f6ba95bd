import { describe, expect, it } from "vitest";
import { formatCPUList, formatCPUMask, fullCPUMask, oneCPUMask } from "./cpumask.js";

describe("CPU lists (online, possible, present, *_list)", () => {
  it.each([
    [[0], "0"],
    [[0, 1, 2, 3], "0-3"],
    [[0, 1], "0-1"], // what a 2-CPU Linux host prints
    [[5, 0, 2, 1, 8, 7], "0-2,5,7-8"],
    [[3, 3, 4], "3-4"],
    [[], ""],
  ])("%j → %s", (cpus, text) => {
    expect(formatCPUList(cpus)).toBe(text);
  });
});

describe("CPU masks (Linux's %*pb, gVisor's sys_test.go cases)", () => {
  it("full masks", () => {
    expect(fullCPUMask(1)).toBe("1");
    expect(fullCPUMask(2)).toBe("3"); // a 2-CPU Linux host: package_cpus = 3
    expect(fullCPUMask(4)).toBe("f");
    expect(fullCPUMask(32)).toBe("ffffffff");
    expect(fullCPUMask(33)).toBe("1,ffffffff");
    expect(fullCPUMask(37)).toBe("1f,ffffffff");
    expect(fullCPUMask(64)).toBe("ffffffff,ffffffff");
    expect(fullCPUMask(65)).toBe("1,ffffffff,ffffffff");
  });

  it("one-CPU masks keep the leading word zero-padded to its nibble width", () => {
    expect(oneCPUMask(0, 1)).toBe("1");
    expect(oneCPUMask(0, 2)).toBe("1"); // a 2-CPU Linux host: core_cpus of cpu0 = 1
    expect(oneCPUMask(1, 2)).toBe("2");
    expect(oneCPUMask(3, 4)).toBe("8");
    expect(oneCPUMask(0, 33)).toBe("0,00000001");
    expect(oneCPUMask(32, 33)).toBe("1,00000000");
    expect(oneCPUMask(0, 37)).toBe("00,00000001");
    expect(oneCPUMask(36, 37)).toBe("10,00000000");
    expect(oneCPUMask(31, 37)).toBe("00,80000000");
    expect(oneCPUMask(5, 8)).toBe("20");
    expect(oneCPUMask(0, 9)).toBe("001");
    expect(oneCPUMask(40, 64)).toBe("00000100,00000000");
  });

  it("arbitrary sets", () => {
    expect(formatCPUMask([0, 1, 32], 37)).toBe("01,00000003");
    expect(formatCPUMask([], 4)).toBe("0");
  });

  it("refuses CPUs outside the mask and bad widths", () => {
    expect(() => oneCPUMask(4, 4)).toThrow(/outside/);
    expect(() => formatCPUMask([-1], 4)).toThrow(/outside/);
    expect(() => fullCPUMask(0)).toThrow(/bad CPU count/);
    expect(() => fullCPUMask(1.5)).toThrow(/bad CPU count/);
  });
});
