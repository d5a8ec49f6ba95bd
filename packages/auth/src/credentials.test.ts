import { CAP_LAST_CAP, Capability } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  CapabilitySet,
  Credentials,
  NO_ID,
  UserNamespace,
  gid,
  kgid,
  kuid,
  uid,
  type IDMapEntry,
} from "./index.js";
import { expectErrno } from "./testing-fixtures/errno.js";

const e = (firstID: number, firstParentID: number, length: number): IDMapEntry => ({ firstID, firstParentID, length });

function setup() {
  const init = UserNamespace.root();
  const root = Credentials.root(init);
  const alice = Credentials.user({ uid: uid(1000), gid: gid(1000), ns: init });
  return { init, root, alice };
}

/** alice's namespace with her uid and gid mapped to 0 inside, and her credentials inside. */
function aliceNamespace() {
  const s = setup();
  const ns = s.init.newChild(s.alice);
  ns.setUIDMap(s.alice, [e(0, 1000, 1)]);
  ns.setSetgroupsAllowed(s.alice, false);
  ns.setGIDMap(s.alice, [e(0, 1000, 1)]);
  return { ...s, ns, inside: s.alice.forkIntoUserNamespace(ns) };
}

describe("constructors", () => {
  test("root: uid/gid 0, every capability permitted, effective and bounding", () => {
    const { init, root } = setup();
    for (const id of [root.realKUID, root.effectiveKUID, root.savedKUID, root.fsKUID]) expect(id).toBe(0);
    for (const id of [root.realKGID, root.effectiveKGID, root.savedKGID, root.fsKGID]) expect(id).toBe(0);
    expect(root.extraKGIDs).toEqual([]);
    expect(root.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(root.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(root.boundingCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(root.inheritableCaps.isEmpty).toBe(true);
    expect(root.ambientCaps.isEmpty).toBe(true);
    expect(root.keepCaps).toBe(false);
    expect(root.userNamespace).toBe(init);
  });

  test("root without a namespace gets a fresh root namespace", () => {
    const a = Credentials.root();
    const b = Credentials.root();
    expect(a.userNamespace.parent).toBeUndefined();
    expect(a.userNamespace).not.toBe(b.userNamespace);
  });

  test("root of a child namespace is that namespace's uid 0", () => {
    const { init, root } = setup();
    const ns = init.newChild(root);
    expectErrno(() => Credentials.root(ns), "EINVAL");
    ns.setUIDMap(root, [e(0, 100000, 10)]);
    ns.setGIDMap(root, [e(0, 200000, 10)]);
    const nsRoot = Credentials.root(ns);
    expect(nsRoot.effectiveKUID).toBe(100000);
    expect(nsRoot.effectiveKGID).toBe(200000);
    expect(nsRoot.hasCapability(Capability.CAP_SYS_ADMIN)).toBe(true);
    expect(nsRoot.hasCapabilityIn(Capability.CAP_SYS_ADMIN, init)).toBe(false);
  });

  test("user: given IDs, sorted groups, no capabilities, full bounding set", () => {
    const { init } = setup();
    const c = Credentials.user({ uid: uid(1000), gid: gid(100), groups: [gid(27), gid(4), gid(27)], ns: init });
    expect([c.realKUID, c.effectiveKUID, c.savedKUID, c.fsKUID]).toEqual([1000, 1000, 1000, 1000]);
    expect([c.realKGID, c.effectiveKGID, c.savedKGID, c.fsKGID]).toEqual([100, 100, 100, 100]);
    expect(c.extraKGIDs).toEqual([4, 27, 27]);
    expect(c.permittedCaps.isEmpty).toBe(true);
    expect(c.effectiveCaps.isEmpty).toBe(true);
    expect(c.boundingCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("user with uid 0 gets every capability", () => {
    const c = Credentials.user({ uid: uid(0), gid: gid(5) });
    expect(c.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(c.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("user: EINVAL for IDs unmapped in the namespace", () => {
    const { ns } = aliceNamespace();
    expectErrno(() => Credentials.user({ uid: uid(1), gid: gid(0), ns }), "EINVAL");
    expectErrno(() => Credentials.user({ uid: uid(0), gid: gid(1), ns }), "EINVAL");
    const err = expectErrno(() => Credentials.user({ uid: uid(0), gid: gid(0), groups: [gid(0), gid(9)], ns }), "EINVAL");
    expect(err.message).toContain("gid 9");
    expect(Credentials.user({ uid: uid(0), gid: gid(0), ns }).effectiveKUID).toBe(1000);
  });

  test("anonymous: nobody, no capabilities anywhere, a namespace of its own", () => {
    const a = Credentials.anonymous();
    expect(a.effectiveKUID).toBe(65534);
    expect(a.realKGID).toBe(65534);
    expect(a.boundingCaps.isEmpty).toBe(true);
    expect(a.userNamespace.parent).toBeUndefined();
    expect(a.userNamespace).not.toBe(Credentials.anonymous().userNamespace);
    for (let cap = 0; cap <= CAP_LAST_CAP; cap++) {
      expect(a.hasCapability(cap)).toBe(false);
      expect(a.hasRootCapability(cap)).toBe(false);
    }
  });
});

describe("immutability", () => {
  test("credentials and their group lists are frozen", () => {
    const { alice } = setup();
    const c = alice.with({ extraKGIDs: [kgid(5)] });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.extraKGIDs)).toBe(true);
    expect(() => {
      (c as unknown as { effectiveKUID: number }).effectiveKUID = 0;
    }).toThrow(TypeError);
  });

  test("changes return new objects and leave the old ones alone", () => {
    const { root } = setup();
    const user = root.setresuid(uid(1000), uid(1000), uid(1000));
    expect(user).not.toBe(root);
    expect(root.effectiveKUID).toBe(0);
    expect(root.hasCapability(Capability.CAP_CHOWN)).toBe(true);
    expect(user.effectiveKUID).toBe(1000);
  });

  test("fork copies every field into a distinct object", () => {
    const { alice } = setup();
    const c = alice.with({ keepCaps: true, extraKGIDs: [kgid(3)] });
    const f = c.fork();
    expect(f).not.toBe(c);
    expect(f).toEqual(c);
  });

  test("with replaces fields unchecked, sorts groups, and refuses NO_ID", () => {
    const { alice } = setup();
    const c = alice.with({ effectiveKUID: kuid(0), extraKGIDs: [kgid(9), kgid(2)] });
    expect(c.effectiveKUID).toBe(0);
    expect(c.realKUID).toBe(1000);
    expect(c.extraKGIDs).toEqual([2, 9]);
    expect(() => alice.with({ savedKUID: kuid(NO_ID) })).toThrow(Error);
  });
});

describe("forkIntoUserNamespace", () => {
  test("keeps the IDs, fills permitted/effective/bounding, clears the rest", () => {
    const { init, alice } = setup();
    const before = alice.with({
      keepCaps: true,
      inheritableCaps: CapabilitySet.of(1),
      ambientCaps: CapabilitySet.of(1),
      boundingCaps: CapabilitySet.of(1),
    });
    const ns = init.newChild(before);
    const inside = before.forkIntoUserNamespace(ns);
    expect(inside.userNamespace).toBe(ns);
    expect(inside.effectiveKUID).toBe(1000);
    expect(inside.permittedCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(inside.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(inside.boundingCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(inside.inheritableCaps.isEmpty).toBe(true);
    expect(inside.ambientCaps.isEmpty).toBe(true);
    expect(inside.keepCaps).toBe(false);
  });
});

describe("inGroup", () => {
  test("true for the fs gid and supplementary groups, false otherwise", () => {
    const c = Credentials.user({ uid: uid(1000), gid: gid(100), groups: [gid(4), gid(27)] });
    expect(c.inGroup(kgid(100))).toBe(true);
    expect(c.inGroup(kgid(4))).toBe(true);
    expect(c.inGroup(kgid(27))).toBe(true);
    expect(c.inGroup(kgid(5))).toBe(false);
    expect(c.inGroup(kgid(0))).toBe(false);
  });

  test("follows the fs gid, not the effective gid (Linux in_group_p)", () => {
    const root = Credentials.root();
    const c = root.setfsgid(gid(50));
    expect(c.effectiveKGID).toBe(0);
    expect(c.inGroup(kgid(50))).toBe(true);
    expect(c.inGroup(kgid(0))).toBe(false);
  });

  test("property: agrees with a linear search", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 100 }),
        fc.integer({ min: 0, max: 200 }),
        (groups, probe) => {
          const c = Credentials.root().with({ fsKGID: kgid(1000), extraKGIDs: groups.map((g) => kgid(g)) });
          expect(c.inGroup(kgid(probe))).toBe(groups.includes(probe));
        },
      ),
    );
  });
});

describe("capabilities", () => {
  test("hasCapability tests the effective set in the own namespace", () => {
    const { root, alice } = setup();
    expect(root.hasCapability(Capability.CAP_CHOWN)).toBe(true);
    expect(alice.hasCapability(Capability.CAP_CHOWN)).toBe(false);
    const noChown = root.with({ effectiveCaps: CapabilitySet.ALL.without(Capability.CAP_CHOWN) });
    expect(noChown.hasCapability(Capability.CAP_CHOWN)).toBe(false);
    expect(noChown.hasCapability(Capability.CAP_FOWNER)).toBe(true);
    expect(root.hasCapability(41)).toBe(false);
  });

  test("hasCapabilityIn: the owner in the parent holds every capability in the child", () => {
    const { init, alice } = setup();
    const ns = init.newChild(alice);
    expect(alice.effectiveCaps.isEmpty).toBe(true);
    expect(alice.hasCapabilityIn(Capability.CAP_SYS_ADMIN, ns)).toBe(true);
    expect(alice.hasCapabilityIn(Capability.CAP_SYS_ADMIN, init)).toBe(false);
    const bob = Credentials.user({ uid: uid(1001), gid: gid(1001), ns: init });
    expect(bob.hasCapabilityIn(Capability.CAP_SYS_ADMIN, ns)).toBe(false);
  });

  test("hasCapabilityIn: a capability in a namespace holds in all its descendants", () => {
    const { init, root, ns, inside } = aliceNamespace();
    expect(inside.hasCapabilityIn(Capability.CAP_SETUID, ns)).toBe(true);
    const grandchild = ns.newChild(inside);
    grandchild.setUIDMap(inside, [e(0, 0, 1)]);
    grandchild.setGIDMap(inside, [e(0, 0, 1)]);
    const deeper = grandchild.newChild(inside.forkIntoUserNamespace(grandchild));
    expect(deeper.level).toBe(3);
    expect(inside.hasCapabilityIn(Capability.CAP_SETUID, deeper)).toBe(true);
    expect(root.hasCapabilityIn(Capability.CAP_SETUID, deeper)).toBe(true);
    // Without the capability in its own namespace, and not an owner, it holds nothing.
    const other = inside.with({ effectiveKUID: kuid(5), effectiveCaps: CapabilitySet.EMPTY });
    expect(other.hasCapabilityIn(Capability.CAP_SETUID, deeper)).toBe(false);
    // With the same euid it owns the grandchild, so it holds everything below.
    const owner = inside.with({ effectiveCaps: CapabilitySet.EMPTY });
    expect(owner.hasCapabilityIn(Capability.CAP_SETUID, deeper)).toBe(true);
    expect(owner.hasCapabilityIn(Capability.CAP_SETUID, ns)).toBe(false);
    // Root of one tree holds nothing in another tree.
    const elsewhere = setup();
    expect(elsewhere.root.hasCapabilityIn(Capability.CAP_SETUID, ns)).toBe(false);
    expect(elsewhere.root.hasCapabilityIn(Capability.CAP_SETUID, init)).toBe(false);
    expect(root.hasCapabilityIn(Capability.CAP_SETUID, init)).toBe(true);
  });

  test("hasCapabilityIn: nothing in an ancestor namespace", () => {
    const { init, inside } = aliceNamespace();
    expect(inside.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
    expect(inside.hasCapabilityIn(Capability.CAP_CHOWN, init)).toBe(false);
  });

  test("hasCapabilityIn: the owner rule needs the effective uid, not another uid", () => {
    const { init, alice } = setup();
    const ns = init.newChild(alice);
    const swapped = alice.with({ effectiveKUID: kuid(1001) });
    expect(swapped.hasCapabilityIn(Capability.CAP_CHOWN, ns)).toBe(false);
  });

  test("hasRootCapability is the capability in the root of the tree", () => {
    const { root, inside } = aliceNamespace();
    expect(root.hasRootCapability(Capability.CAP_SYS_ADMIN)).toBe(true);
    expect(inside.hasCapability(Capability.CAP_SYS_ADMIN)).toBe(true);
    expect(inside.hasRootCapability(Capability.CAP_SYS_ADMIN)).toBe(false);
  });

  test("hasCapabilityOnFile needs the file's owner and group mapped in the own namespace", () => {
    const { root, inside } = aliceNamespace();
    expect(inside.hasCapabilityOnFile(Capability.CAP_DAC_OVERRIDE, kuid(1000), kgid(1000))).toBe(true);
    expect(inside.hasCapabilityOnFile(Capability.CAP_DAC_OVERRIDE, kuid(0), kgid(1000))).toBe(false);
    expect(inside.hasCapabilityOnFile(Capability.CAP_DAC_OVERRIDE, kuid(1000), kgid(0))).toBe(false);
    expect(root.hasCapabilityOnFile(Capability.CAP_DAC_OVERRIDE, kuid(1000), kgid(0))).toBe(true);
    const noDac = root.with({ effectiveCaps: CapabilitySet.EMPTY });
    expect(noDac.hasCapabilityOnFile(Capability.CAP_DAC_OVERRIDE, kuid(0), kgid(0))).toBe(false);
  });
});

describe("useUID / useGID", () => {
  test("EINVAL for IDs without a mapping", () => {
    const { inside } = aliceNamespace();
    expectErrno(() => inside.useUID(uid(1)), "EINVAL");
    expectErrno(() => inside.useGID(gid(1)), "EINVAL");
    expectErrno(() => inside.useUID(uid(NO_ID)), "EINVAL");
  });

  test("with CAP_SETUID / CAP_SETGID any mapped ID", () => {
    const { root } = setup();
    expect(root.useUID(uid(4242))).toBe(4242);
    expect(root.useGID(gid(4242))).toBe(4242);
    const { inside } = aliceNamespace();
    expect(inside.useUID(uid(0))).toBe(1000);
  });

  test("without them only the real, effective or saved ID, else EPERM", () => {
    const { root } = setup();
    const c = root
      .setresgid(gid(10), gid(20), gid(30))
      .setresuid(uid(1), uid(2), uid(3));
    expect(c.hasCapability(Capability.CAP_SETUID)).toBe(false);
    for (const n of [1, 2, 3]) expect(c.useUID(uid(n))).toBe(n);
    for (const n of [10, 20, 30]) expect(c.useGID(gid(n))).toBe(n);
    expectErrno(() => c.useUID(uid(4)), "EPERM");
    expectErrno(() => c.useGID(gid(40)), "EPERM");
    // The fs uid does not count.
    const fs = root.with({ fsKUID: kuid(7), effectiveCaps: CapabilitySet.EMPTY });
    expectErrno(() => fs.useUID(uid(7)), "EPERM");
  });
});
