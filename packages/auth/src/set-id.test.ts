// The set*id, setgroups and capset rules. Sequences marked "host" were run on Linux 6.18
// (python ctypes calls as root and as uid 65534, reading /proc/self/status) and are
// encoded here with the results the host gave.
import { Capability } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CapabilitySet, Credentials, NO_ID, UserNamespace, gid, kgid, kuid, uid, type IDMapEntry } from "./index.js";
import { expectErrno } from "./testing-fixtures/errno.js";

const e = (firstID: number, firstParentID: number, length: number): IDMapEntry => ({ firstID, firstParentID, length });
const U = (n: number) => uid(n);
const G = (n: number) => gid(n);

function uids(c: Credentials): number[] {
  return [c.realKUID, c.effectiveKUID, c.savedKUID, c.fsKUID];
}
function gids(c: Credentials): number[] {
  return [c.realKGID, c.effectiveKGID, c.savedKGID, c.fsKGID];
}

function root(): Credentials {
  return Credentials.root(UserNamespace.root());
}

/** Credentials with r/e/s uids 1/2/3 and no capabilities (host: root called setresuid(1,2,3)). */
function unprivileged123(): Credentials {
  return root().setresgid(G(10), G(20), G(30)).setresuid(U(1), U(2), U(3));
}

/** A child namespace mapping 0..999 to kernel 100000..; root's credentials inside it. */
function child() {
  const c = root();
  const ns = c.userNamespace.newChild(c);
  ns.setUIDMap(c, [e(0, 100000, 1000)]);
  ns.setGIDMap(c, [e(0, 100000, 1000)]);
  const inside = c.forkIntoUserNamespace(ns);
  return { ns, inside, nsRoot: inside.setresgid(G(0), G(0), G(0)).setresuid(U(0), U(0), U(0)) };
}

describe("setresuid", () => {
  test("host: root setresuid(-1,1000,-1) clears effective caps, keeps permitted; back to 0 restores", () => {
    const c = root().setresuid(-1, U(1000), -1);
    expect(uids(c)).toEqual([0, 1000, 0, 1000]);
    expect(c.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(c.effectiveCaps.isEmpty).toBe(true);
    const back = c.setresuid(-1, U(0), -1);
    expect(uids(back)).toEqual([0, 0, 0, 0]);
    expect(back.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("host: root setresuid(1000,1000,1000) clears permitted and effective", () => {
    const c = root().setresuid(U(1000), U(1000), U(1000));
    expect(uids(c)).toEqual([1000, 1000, 1000, 1000]);
    expect(c.permittedCaps.isEmpty).toBe(true);
    expect(c.effectiveCaps.isEmpty).toBe(true);
    expect(c.boundingCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("host: with keepCaps permitted survives, effective does not; regaining uid 0 is EPERM", () => {
    const c = root().with({ keepCaps: true }).setresuid(U(1000), U(1000), U(1000));
    expect(c.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(c.effectiveCaps.isEmpty).toBe(true);
    expectErrno(() => c.setresuid(-1, U(0), -1), "EPERM");
  });

  test("ambient capabilities are cleared when every uid leaves 0, keepCaps or not", () => {
    const start = root().with({ keepCaps: true, inheritableCaps: CapabilitySet.of(1), ambientCaps: CapabilitySet.of(1) });
    expect(start.setresuid(U(5), U(5), U(5)).ambientCaps.isEmpty).toBe(true);
    expect(start.setresuid(-1, U(5), -1).ambientCaps.equals(CapabilitySet.of(1))).toBe(true);
  });

  test("keeping one uid at 0 keeps the permitted set", () => {
    const c = root().setresuid(U(1000), U(1000), U(0));
    expect(c.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(c.effectiveCaps.isEmpty).toBe(true);
    expect(c.setresuid(-1, U(0), -1).effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("host: unprivileged may permute the current real/effective/saved uids", () => {
    const c = unprivileged123();
    expect(uids(c)).toEqual([1, 2, 3, 2]);
    expect(c.permittedCaps.isEmpty).toBe(true);
    const p = c.setresuid(U(3), U(1), U(2));
    expect(uids(p)).toEqual([3, 1, 2, 1]);
  });

  test("host: unprivileged EPERM for a uid that is none of real/effective/saved", () => {
    const c = unprivileged123();
    const err = expectErrno(() => c.setresuid(U(4), -1, -1), "EPERM");
    expect(err.syscall).toBe("setresuid");
    expectErrno(() => c.setresuid(-1, -1, U(0)), "EPERM");
  });

  test("EINVAL for an unmapped uid, before any permission check", () => {
    const { inside } = child();
    const err = expectErrno(() => inside.setresuid(U(1000), -1, -1), "EINVAL");
    expect(err.message).toContain("ruid 1000 has no mapping");
    expectErrno(() => unprivileged123().with({ userNamespace: inside.userNamespace }).setresuid(-1, -1, U(5000)), "EINVAL");
  });

  test("-1 and NO_ID both leave a uid unchanged; an all-unchanged call returns the same object", () => {
    const c = unprivileged123();
    expect(c.setresuid(-1, -1, -1)).toBe(c);
    expect(c.setresuid(U(NO_ID), U(-1), -1)).toBe(c);
    expect(c.setresuid(U(1), U(2), U(3))).toBe(c);
  });

  test("not a no-op when the fs uid differs from the effective uid: it is reset", () => {
    const c = root().setfsuid(U(1000));
    expect(c.fsKUID).toBe(1000);
    const reset = c.setresuid(-1, U(0), -1);
    expect(reset).not.toBe(c);
    expect(reset.fsKUID).toBe(0);
  });

  test("capability effects follow uid 0 of the namespace, not kernel uid 0", () => {
    const { inside, nsRoot } = child();
    // Entering the child's root from kuid 0 (not root there) sets effective = permitted.
    expect(inside.effectiveKUID).toBe(0);
    expect(uids(nsRoot)).toEqual([100000, 100000, 100000, 100000]);
    expect(nsRoot.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
    const dropped = nsRoot.setresuid(U(1), U(1), U(1));
    expect(dropped.effectiveKUID).toBe(100001);
    expect(dropped.permittedCaps.isEmpty).toBe(true);
    expect(dropped.effectiveCaps.isEmpty).toBe(true);
  });

  test("property: without CAP_SETUID the result is always a permutation of the old uids", () => {
    const arb = fc.constantFrom<number>(-1, 1, 2, 3, 4);
    fc.assert(
      fc.property(arb, arb, arb, (r, eu, s) => {
        const c = unprivileged123();
        const before = new Set([1, 2, 3]);
        const args = [r, eu, s];
        const allowed = args.every((x) => x === -1 || before.has(x));
        try {
          const n = c.setresuid(r === -1 ? -1 : U(r), eu === -1 ? -1 : U(eu), s === -1 ? -1 : U(s));
          expect(allowed).toBe(true);
          expect(n.realKUID).toBe(r === -1 ? 1 : r);
          expect(n.effectiveKUID).toBe(eu === -1 ? 2 : eu);
          expect(n.savedKUID).toBe(s === -1 ? 3 : s);
          expect(n.fsKUID).toBe(n.effectiveKUID);
        } catch {
          expect(allowed).toBe(false);
        }
      }),
    );
  });
});

describe("setresgid", () => {
  test("root may set any gids; the fs gid follows the effective gid; capabilities stay", () => {
    const c = root().setresgid(G(10), G(20), G(30));
    expect(gids(c)).toEqual([10, 20, 30, 20]);
    expect(c.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("host: unprivileged EPERM for a gid that is none of real/effective/saved", () => {
    const c = unprivileged123();
    const err = expectErrno(() => c.setresgid(-1, G(5), -1), "EPERM");
    expect(err.syscall).toBe("setresgid");
    expect(gids(c.setresgid(G(30), G(10), G(20)))).toEqual([30, 10, 20, 10]);
    expect(c.setresgid(-1, -1, -1)).toBe(c);
  });

  test("EINVAL for an unmapped gid", () => {
    const { inside } = child();
    expectErrno(() => inside.setresgid(-1, G(1000), -1), "EINVAL");
  });
});

describe("setuid", () => {
  test("host: root setuid(1000) sets all four uids and loses every capability", () => {
    const c = root().setuid(U(1000));
    expect(uids(c)).toEqual([1000, 1000, 1000, 1000]);
    expect(c.permittedCaps.isEmpty).toBe(true);
    expect(c.effectiveCaps.isEmpty).toBe(true);
  });

  test("host: unprivileged may set the effective uid to the saved uid", () => {
    expect(uids(unprivileged123().setuid(U(3)))).toEqual([1, 3, 3, 3]);
    expect(uids(unprivileged123().setuid(U(1)))).toEqual([1, 1, 3, 1]);
  });

  test("host: unprivileged EPERM for the current effective uid alone", () => {
    const err = expectErrno(() => unprivileged123().setuid(U(2)), "EPERM");
    expect(err.syscall).toBe("setuid");
    expectErrno(() => unprivileged123().setuid(U(0)), "EPERM");
  });

  test("EINVAL for -1 and unmapped uids", () => {
    expectErrno(() => root().setuid(U(-1)), "EINVAL");
    expectErrno(() => child().inside.setuid(U(1000)), "EINVAL");
  });

  test("root with uid 0 saved keeps its permitted set when only the effective uid moves", () => {
    const c = root().setresuid(-1, U(1000), -1);
    expect(c.hasCapability(Capability.CAP_SETUID)).toBe(false);
    const back = c.setuid(U(0));
    expect(uids(back)).toEqual([0, 0, 0, 0]);
    expect(back.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
  });
});

describe("setgid", () => {
  test("with CAP_SETGID sets all four gids", () => {
    expect(gids(root().setgid(G(7)))).toEqual([7, 7, 7, 7]);
  });

  test("host: unprivileged may switch the effective gid to the real or saved gid", () => {
    expect(gids(unprivileged123().setgid(G(30)))).toEqual([10, 30, 30, 30]);
    expect(gids(unprivileged123().setgid(G(10)))).toEqual([10, 10, 30, 10]);
  });

  test("unprivileged EPERM otherwise (the effective gid alone is not enough)", () => {
    expectErrno(() => unprivileged123().setgid(G(20)), "EPERM");
    expectErrno(() => unprivileged123().setgid(G(0)), "EPERM");
  });

  test("EINVAL for unmapped gids", () => {
    expectErrno(() => root().setgid(G(-1)), "EINVAL");
  });
});

describe("setreuid", () => {
  test("host: unprivileged ruid may be the old effective uid, and saved follows", () => {
    expect(uids(unprivileged123().setreuid(U(2), -1))).toEqual([2, 2, 2, 2]);
  });

  test("host: unprivileged ruid = old saved uid is EPERM", () => {
    const err = expectErrno(() => unprivileged123().setreuid(U(3), -1), "EPERM");
    expect(err.syscall).toBe("setreuid");
  });

  test("unprivileged euid may be any of real/effective/saved", () => {
    // euid = old real: saved unchanged.
    expect(uids(unprivileged123().setreuid(-1, U(1)))).toEqual([1, 1, 3, 1]);
    // euid != old real: saved = new euid.
    expect(uids(unprivileged123().setreuid(-1, U(3)))).toEqual([1, 3, 3, 3]);
    expectErrno(() => unprivileged123().setreuid(-1, U(4)), "EPERM");
  });

  test("swapping real and effective (the classic setreuid(euid, ruid))", () => {
    expect(uids(unprivileged123().setreuid(U(2), U(1)))).toEqual([2, 1, 1, 1]);
  });

  test("capability effects as for setresuid", () => {
    const c = root().setreuid(U(1000), U(1000));
    expect(uids(c)).toEqual([1000, 1000, 1000, 1000]);
    expect(c.permittedCaps.isEmpty).toBe(true);
    const keep = root().setreuid(-1, U(1000));
    expect(uids(keep)).toEqual([0, 1000, 1000, 1000]);
    expect(keep.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(keep.effectiveCaps.isEmpty).toBe(true);
  });

  test("EINVAL for unmapped uids", () => {
    expectErrno(() => child().inside.setreuid(-1, U(5000)), "EINVAL");
  });
});

describe("setregid", () => {
  test("unprivileged rules mirror setreuid", () => {
    expect(gids(unprivileged123().setregid(G(20), -1))).toEqual([20, 20, 20, 20]);
    expectErrno(() => unprivileged123().setregid(G(30), -1), "EPERM");
    expect(gids(unprivileged123().setregid(-1, G(10)))).toEqual([10, 10, 30, 10]);
    expect(gids(unprivileged123().setregid(-1, G(30)))).toEqual([10, 30, 30, 30]);
    expectErrno(() => unprivileged123().setregid(-1, G(40)), "EPERM");
    expectErrno(() => child().inside.setregid(G(5000), -1), "EINVAL");
  });

  test("with CAP_SETGID anything mapped", () => {
    expect(gids(root().setregid(G(1), G(2)))).toEqual([1, 2, 2, 2]);
  });
});

describe("setfsuid / setfsgid", () => {
  test("host: root setfsuid(1000) drops the filesystem capabilities; setfsuid(0) restores them", () => {
    // The host's root lacked CAP_SYS_RESOURCE: CapPrm = CapEff = 000001fffeffffff.
    const hostCaps = CapabilitySet.fromBigInt(0x1fffeffffffn);
    const start = root().with({ effectiveCaps: hostCaps, permittedCaps: hostCaps });
    const c = start.setfsuid(U(1000));
    expect(uids(c)).toEqual([0, 0, 0, 1000]);
    expect(c.effectiveCaps.toString()).toBe("000001fef6fffde0");
    expect(c.permittedCaps.equals(hostCaps)).toBe(true);
    const back = c.setfsuid(U(0));
    expect(back.fsKUID).toBe(0);
    expect(back.effectiveCaps.toString()).toBe("000001fffeffffff");
    // Only permitted capabilities come back.
    const partial = root().with({ permittedCaps: CapabilitySet.of(Capability.CAP_CHOWN) }).setfsuid(U(5)).setfsuid(U(0));
    expect(partial.effectiveCaps.has(Capability.CAP_CHOWN)).toBe(true);
    expect(partial.effectiveCaps.has(Capability.CAP_FOWNER)).toBe(false);
    expect(partial.effectiveCaps.has(Capability.CAP_KILL)).toBe(true);
  });

  test("unprivileged may use its real/effective/saved uid; anything else silently does nothing", () => {
    const c = unprivileged123();
    expect(c.setfsuid(U(3)).fsKUID).toBe(3);
    expect(c.setfsuid(U(4))).toBe(c);
    expect(c.setfsuid(U(2))).toBe(c);
    expect(child().inside.setfsuid(U(5000)).fsKUID).toBe(0);
  });

  test("setfsgid follows the same rules without capability effects", () => {
    const c = unprivileged123();
    expect(c.setfsgid(G(30)).fsKGID).toBe(30);
    expect(c.setfsgid(G(40))).toBe(c);
    const r = root().setfsgid(G(40));
    expect(gids(r)).toEqual([0, 0, 0, 40]);
    expect(r.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
  });
});

describe("setgroups", () => {
  test("host: the list is kept sorted, duplicates included", () => {
    const c = root().setgroups([G(5), G(3), G(1), G(3)]);
    expect(c.extraKGIDs).toEqual([1, 3, 3, 5]);
    expect(c.inGroup(kgid(3))).toBe(true);
    expect(c.setgroups([]).extraKGIDs).toEqual([]);
  });

  test("host: 65536 groups are fine, 65537 is EINVAL", () => {
    const many = Array.from({ length: 65536 }, () => G(0));
    expect(root().setgroups(many).extraKGIDs).toHaveLength(65536);
    expectErrno(() => root().setgroups([...many, G(0)]), "EINVAL");
  });

  test("host: EPERM without CAP_SETGID, checked before the length", () => {
    const c = unprivileged123();
    const err = expectErrno(() => c.setgroups([]), "EPERM");
    expect(err.syscall).toBe("setgroups");
    expectErrno(() => c.setgroups(Array.from({ length: 65537 }, () => G(0))), "EPERM");
  });

  test("EPERM in a namespace whose gid map is unwritten or where setgroups is denied", () => {
    const r = root();
    const ns = r.userNamespace.newChild(r);
    const inside = r.forkIntoUserNamespace(ns);
    expectErrno(() => inside.setgroups([]), "EPERM");
    ns.setSetgroupsAllowed(inside, false);
    ns.setUIDMap(r, [e(0, 0, 1)]);
    ns.setGIDMap(r, [e(0, 0, 1)]);
    expect(inside.hasCapability(Capability.CAP_SETGID)).toBe(true);
    const err = expectErrno(() => inside.setgroups([]), "EPERM");
    expect(err.message).toContain("denied");
  });

  test("groups are translated; EINVAL for unmapped ones", () => {
    const { nsRoot } = child();
    const c = nsRoot.setgroups([G(0), G(999)]);
    expect(c.extraKGIDs).toEqual([100000, 100999]);
    expectErrno(() => nsRoot.setgroups([G(1000)]), "EINVAL");
  });
});

describe("capset", () => {
  const CHOWN = CapabilitySet.of(Capability.CAP_CHOWN);
  const KILL = CapabilitySet.of(Capability.CAP_KILL);

  test("dropping capabilities is always allowed", () => {
    const c = root().capset({ effective: CHOWN, permitted: CHOWN.union(KILL), inheritable: KILL });
    expect(c.effectiveCaps.equals(CHOWN)).toBe(true);
    expect(c.permittedCaps.equals(CHOWN.union(KILL))).toBe(true);
    expect(c.inheritableCaps.equals(KILL)).toBe(true);
  });

  test("EPERM if the permitted set grows", () => {
    const c = root().capset({ effective: CHOWN, permitted: CHOWN, inheritable: CapabilitySet.EMPTY });
    const err = expectErrno(() => c.capset({ effective: CHOWN, permitted: CHOWN.union(KILL), inheritable: CapabilitySet.EMPTY }), "EPERM");
    expect(err.syscall).toBe("capset");
  });

  test("EPERM if the effective set is not within the new permitted set", () => {
    expectErrno(() => root().capset({ effective: KILL, permitted: CHOWN, inheritable: CapabilitySet.EMPTY }), "EPERM");
  });

  test("EPERM without CAP_SETPCAP if inheritable gains a capability that is not permitted", () => {
    const c = root().capset({ effective: CHOWN, permitted: CHOWN, inheritable: CapabilitySet.EMPTY });
    expectErrno(() => c.capset({ effective: CHOWN, permitted: CHOWN, inheritable: KILL }), "EPERM");
    expect(c.capset({ effective: CHOWN, permitted: CHOWN, inheritable: CHOWN }).inheritableCaps.equals(CHOWN)).toBe(true);
  });

  test("EPERM if inheritable gains a capability outside the bounding set, even with CAP_SETPCAP", () => {
    const c = root().with({ boundingCaps: CHOWN });
    expectErrno(
      () => c.capset({ effective: c.effectiveCaps, permitted: c.permittedCaps, inheritable: KILL }),
      "EPERM",
    );
    expect(c.capset({ effective: c.effectiveCaps, permitted: c.permittedCaps, inheritable: CHOWN }).inheritableCaps.equals(CHOWN)).toBe(true);
  });

  test("ambient keeps only capabilities that stay permitted and inheritable", () => {
    const both = CHOWN.union(KILL);
    const c = root().with({ inheritableCaps: both, ambientCaps: both });
    const n = c.capset({ effective: CHOWN, permitted: both, inheritable: CHOWN });
    expect(n.ambientCaps.equals(CHOWN)).toBe(true);
  });

  test("unchanged kernel IDs after capset", () => {
    const c = root().capset({ effective: CapabilitySet.EMPTY, permitted: CapabilitySet.EMPTY, inheritable: CapabilitySet.EMPTY });
    expect(uids(c)).toEqual([0, 0, 0, 0]);
    expect(c.effectiveKUID).toBe(kuid(0));
  });
});
