// User namespaces and ID maps. Expected errnos were checked on Linux 6.18 by writing
// /proc/[pid]/{uid_map,gid_map,setgroups} after unshare(CLONE_NEWUSER), as root and as
// uid 65534.
import { Capability, isSysError } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  CapabilitySet,
  Credentials,
  ID_MAP_MAX_ENTRIES,
  MAX_USER_NAMESPACE_LEVEL,
  NO_ID,
  UserNamespace,
  formatIDMap,
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
  const bob = Credentials.user({ uid: uid(1001), gid: gid(1001), ns: init });
  return { init, root, alice, bob };
}

/** unshare(CLONE_NEWUSER): the new namespace and the caller's credentials inside it. */
function unshare(creds: Credentials) {
  const ns = creds.userNamespace.newChild(creds);
  return { ns, inside: creds.forkIntoUserNamespace(ns) };
}

function dropCap(creds: Credentials, cap: number): Credentials {
  return creds.capset({
    effective: creds.effectiveCaps.without(cap),
    permitted: creds.permittedCaps,
    inheritable: creds.inheritableCaps,
  });
}

describe("root namespace", () => {
  test("has level 0, no parent, owner 0 and the identity map", () => {
    const { init } = setup();
    expect(init.parent).toBeUndefined();
    expect(init.level).toBe(0);
    expect(init.owner).toBe(0);
    expect(init.group).toBe(0);
    expect(init.uidMap()).toEqual([e(0, 0, 4294967295)]);
    expect(init.gidMap(init)).toEqual([e(0, 0, 4294967295)]);
    expect(formatIDMap(init.uidMap())).toBe("         0          0 4294967295\n");
    expect(init.setgroupsAllowed).toBe(true);
    expect(init.maySetgroups()).toBe(true);
  });

  test("maps every ID but NO_ID to itself", () => {
    const { init } = setup();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfffffffe }), (n) => {
        expect(init.mapToKUID(uid(n))).toBe(n);
        expect(init.mapFromKUID(kuid(n))).toBe(n);
        expect(init.mapToKGID(gid(n))).toBe(n);
        expect(init.mapFromKGID(kgid(n))).toBe(n);
      }),
    );
    expect(init.mapToKUID(uid(NO_ID))).toBe(NO_ID);
    expect(init.mapFromKGID(kgid(NO_ID))).toBe(NO_ID);
  });

  test("its maps cannot be written (EPERM)", () => {
    const { init, root } = setup();
    expectErrno(() => init.setUIDMap(root, [e(0, 0, 1)]), "EPERM");
    expectErrno(() => init.setGIDMap(root, [e(0, 0, 1)]), "EPERM");
  });

  test("inode numbers are unique, or injected", () => {
    const a = UserNamespace.root();
    const b = UserNamespace.root();
    expect(a.inode).not.toBe(b.inode);
    expect(UserNamespace.root({ inode: 4026531837 }).inode).toBe(4026531837);
    const creds = Credentials.root(a);
    expect(a.newChild(creds, { inode: 7 }).inode).toBe(7);
  });
});

describe("newChild", () => {
  test("records parent, level, owner and group; starts unmapped", () => {
    const { init, alice } = setup();
    const { ns, inside } = unshare(alice);
    expect(ns.parent).toBe(init);
    expect(ns.level).toBe(1);
    expect(ns.owner).toBe(1000);
    expect(ns.group).toBe(1000);
    expect(ns.uidMap()).toEqual([]);
    expect(ns.gidMap()).toEqual([]);
    expect(ns.mapToKUID(uid(0))).toBe(NO_ID);
    expect(ns.mapFromKUID(kuid(1000))).toBe(NO_ID);
    expect(ns.maySetgroups()).toBe(false);
    // Inside, the creator keeps its kernel IDs and gets every capability.
    expect(inside.effectiveKUID).toBe(1000);
    expect(inside.userNamespace).toBe(ns);
    expect(inside.effectiveCaps.equals(CapabilitySet.ALL)).toBe(true);
  });

  test("EPERM if the creator's euid has no mapping in its namespace", () => {
    const { alice } = setup();
    const { inside } = unshare(alice);
    const err = expectErrno(() => unshare(inside), "EPERM");
    expect(err.message).toContain("effective uid");
  });

  test("EPERM if the creator's egid has no mapping in its namespace", () => {
    const { alice } = setup();
    const { ns, inside } = unshare(alice);
    ns.setUIDMap(alice, [e(0, 1000, 1)]);
    const err = expectErrno(() => unshare(inside), "EPERM");
    expect(err.message).toContain("effective gid");
  });

  test("ENOSPC beyond level 33 (Linux 6.18: 33 nested unshares succeed, the 34th fails)", () => {
    const { alice } = setup();
    let creds = alice;
    for (let level = 1; level <= MAX_USER_NAMESPACE_LEVEL; level++) {
      const { ns, inside } = unshare(creds);
      expect(ns.level).toBe(level);
      // What the host test did at each level: deny setgroups, map own uid and gid.
      ns.setSetgroupsAllowed(inside, false);
      ns.setUIDMap(inside, [e(1000, 1000, 1)]);
      ns.setGIDMap(inside, [e(1000, 1000, 1)]);
      creds = inside;
    }
    expect(MAX_USER_NAMESPACE_LEVEL).toBe(33);
    expectErrno(() => unshare(creds), "ENOSPC");
  });

  test("inherits the setgroups state", () => {
    const { root } = setup();
    const { ns, inside } = unshare(root);
    ns.setSetgroupsAllowed(inside, false);
    ns.setUIDMap(root, [e(0, 0, 1)]);
    ns.setGIDMap(root, [e(0, 0, 1)]);
    const grandchild = ns.newChild(inside);
    expect(grandchild.setgroupsAllowed).toBe(false);
    expect(unshare(root).ns.setgroupsAllowed).toBe(true);
  });

  test("needs credentials of this namespace (a broken contract, not a SysError)", () => {
    const { init, alice } = setup();
    const { ns } = unshare(alice);
    let error: unknown;
    try {
      ns.newChild(alice);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(isSysError(error)).toBe(false);
    expect(init.level).toBe(0);
  });
});

describe("setUIDMap", () => {
  test("the owner maps its own euid from the parent (unprivileged)", () => {
    const { init, alice } = setup();
    const { ns } = unshare(alice);
    ns.setUIDMap(alice, [e(0, 1000, 1)]);
    expect(ns.mapToKUID(uid(0))).toBe(1000);
    expect(ns.mapFromKUID(kuid(1000))).toBe(0);
    expect(ns.mapToKUID(uid(1))).toBe(NO_ID);
    expect(ns.mapFromKUID(kuid(0))).toBe(NO_ID);
    expect(ns.uidMap()).toEqual([e(0, 1000, 1)]);
    expect(ns.uidMap(init)).toEqual([e(0, 1000, 1)]);
  });

  test("the owner inside the namespace may write the same single mapping", () => {
    const { alice } = setup();
    const { ns, inside } = unshare(alice);
    ns.setUIDMap(inside, [e(0, 1000, 1)]);
    expect(ns.mapToKUID(uid(0))).toBe(1000);
  });

  test("with CAP_SETUID in the parent any mapped ranges are allowed", () => {
    const { root } = setup();
    const { ns } = unshare(root);
    ns.setUIDMap(root, [e(0, 100000, 65536), e(65536, 0, 1)]);
    expect(ns.mapToKUID(uid(0))).toBe(100000);
    expect(ns.mapToKUID(uid(65535))).toBe(165535);
    expect(ns.mapToKUID(uid(65536))).toBe(0);
    expect(ns.mapToKUID(uid(65537))).toBe(NO_ID);
    expect(ns.mapFromKUID(kuid(100500))).toBe(500);
  });

  test("EPERM if the writer is neither in the namespace nor in its parent", () => {
    const { root } = setup();
    const a = unshare(root);
    const b = unshare(root);
    expectErrno(() => a.ns.setUIDMap(b.inside, [e(0, 0, 1)]), "EPERM");
    // A writer two levels up is not the parent either.
    a.ns.setUIDMap(root, [e(0, 0, 1)]);
    a.ns.setGIDMap(root, [e(0, 0, 1)]);
    const grandchild = unshare(a.inside);
    expectErrno(() => grandchild.ns.setUIDMap(root, [e(0, 0, 1)]), "EPERM");
  });

  test("EPERM if the map was already written; the first write stays", () => {
    const { root } = setup();
    const { ns } = unshare(root);
    ns.setUIDMap(root, [e(0, 0, 1)]);
    const err = expectErrno(() => ns.setUIDMap(root, [e(1, 1, 1)]), "EPERM");
    expect(err.message).toContain("already been written");
    expect(ns.uidMap()).toEqual([e(0, 0, 1)]);
  });

  test("EPERM without CAP_SYS_ADMIN in the namespace (Linux; gVisor checks CAP_SETUID)", () => {
    const { alice, bob } = setup();
    const { ns, inside } = unshare(alice);
    // Another user of the parent has no capabilities in alice's namespace.
    expectErrno(() => ns.setUIDMap(bob, [e(0, 1001, 1)]), "EPERM");
    // Linux 6.18: after dropping CAP_SYS_ADMIN the write fails...
    const noAdmin = dropCap(inside, Capability.CAP_SYS_ADMIN);
    const err = expectErrno(() => ns.setUIDMap(noAdmin, [e(0, 1000, 1)]), "EPERM");
    expect(err.message).toContain("CAP_SYS_ADMIN");
    // ...while dropping CAP_SETUID does not matter.
    const noSetuid = dropCap(inside, Capability.CAP_SETUID);
    ns.setUIDMap(noSetuid, [e(0, 1000, 1)]);
    expect(ns.mapToKUID(uid(0))).toBe(1000);
  });

  test.each([
    ["a non-integer field", [e(0.5, 0, 1)]],
    ["a negative field", [e(0, -1, 1)]],
    ["a field above 2^32-1", [e(0, 0, 2 ** 32)]],
    ["first ID 4294967295", [e(4294967295, 0, 1)]],
    ["parent ID 4294967295", [e(0, 4294967295, 1)]],
    ["length 0", [e(0, 0, 0)]],
    ["a range past 4294967294", [e(4294967290, 0, 6)]],
    ["a parent range past 4294967294", [e(0, 4294967290, 6)]],
    ["overlapping ranges in the namespace", [e(0, 0, 10), e(5, 100, 1)]],
    ["overlapping ranges in the parent", [e(0, 0, 10), e(20, 5, 1)]],
  ])("EINVAL for %s", (_what, entries) => {
    const { root } = setup();
    const { ns } = unshare(root);
    expectErrno(() => ns.setUIDMap(root, entries), "EINVAL");
    expect(ns.uidMap()).toEqual([]);
  });

  test("a range may end at 4294967294", () => {
    const { root } = setup();
    const { ns } = unshare(root);
    ns.setUIDMap(root, [e(4294967290, 0, 5)]);
    expect(ns.mapToKUID(uid(4294967294))).toBe(4);
    expect(ns.mapToKUID(uid(NO_ID))).toBe(NO_ID);
  });

  test(`EINVAL above ${ID_MAP_MAX_ENTRIES} entries (Linux ≥ 4.15; 340 succeed)`, () => {
    const { root } = setup();
    const lines = (n: number) => Array.from({ length: n }, (_, i) => e(i * 2, i * 2, 1));
    const a = unshare(root);
    expectErrno(() => a.ns.setUIDMap(root, lines(ID_MAP_MAX_ENTRIES + 1)), "EINVAL");
    const b = unshare(root);
    b.ns.setUIDMap(root, lines(ID_MAP_MAX_ENTRIES));
    expect(b.ns.uidMap()).toHaveLength(340);
    expect(b.ns.mapToKUID(uid(678))).toBe(678);
    expect(b.ns.mapToKUID(uid(677))).toBe(NO_ID);
  });

  test("EINVAL if empty", () => {
    const { root } = setup();
    const { ns } = unshare(root);
    expectErrno(() => ns.setUIDMap(root, []), "EINVAL");
  });

  test("malformed entries are reported before missing permission (EINVAL, not EPERM)", () => {
    const { alice } = setup();
    const { ns } = unshare(alice);
    expectErrno(() => ns.setUIDMap(alice, [e(0, 1000, 1), e(0, 1000, 1)]), "EINVAL");
  });

  test("unprivileged: EPERM unless a single length-1 entry maps the writer's own euid", () => {
    const { alice } = setup();
    const { ns } = unshare(alice);
    expectErrno(() => ns.setUIDMap(alice, [e(0, 1000, 2)]), "EPERM");
    expectErrno(() => ns.setUIDMap(alice, [e(0, 1001, 1)]), "EPERM");
    expectErrno(() => ns.setUIDMap(alice, [e(0, 1000, 1), e(1, 1001, 1)]), "EPERM");
    // None of those failures left anything behind.
    ns.setUIDMap(alice, [e(5, 1000, 1)]);
    expect(ns.mapToKUID(uid(5))).toBe(1000);
  });

  test("unprivileged: EPERM if the writer is not the namespace's owner", () => {
    const { root, alice } = setup();
    const { ns } = unshare(root);
    // Alice holds every capability inside (as after setns), but not CAP_SETUID in the
    // parent, and she is not the owner.
    const aliceInside = alice.forkIntoUserNamespace(ns);
    expectErrno(() => ns.setUIDMap(aliceInside, [e(0, 1000, 1)]), "EPERM");
  });

  test("mapping parent uid 0 from inside needs a creator that had CAP_SETFCAP", () => {
    const { root } = setup();
    const withSetfcap = unshare(root);
    withSetfcap.ns.setUIDMap(withSetfcap.inside, [e(0, 0, 1)]);
    expect(withSetfcap.ns.mapToKUID(uid(0))).toBe(0);

    // Linux 6.18: drop CAP_SETFCAP, unshare, write "0 0 1" or "5 0 1" → EPERM.
    const { ns, inside } = unshare(dropCap(root, Capability.CAP_SETFCAP));
    expectErrno(() => ns.setUIDMap(inside, [e(0, 0, 1)]), "EPERM");
    expectErrno(() => ns.setUIDMap(inside, [e(5, 0, 1)]), "EPERM");
    // gid maps have no such rule.
    ns.setSetgroupsAllowed(inside, false);
    ns.setGIDMap(inside, [e(0, 0, 1)]);
    expect(ns.mapToKGID(gid(0))).toBe(0);
  });

  test("mapping parent uid 0 from the parent needs CAP_SETFCAP there", () => {
    const { root } = setup();
    const noSetfcap = dropCap(root, Capability.CAP_SETFCAP);
    const a = unshare(root);
    expectErrno(() => a.ns.setUIDMap(noSetfcap, [e(0, 0, 1)]), "EPERM");
    const b = unshare(root);
    b.ns.setUIDMap(noSetfcap, [e(1, 1, 1)]);
    const c = unshare(root);
    c.ns.setGIDMap(noSetfcap, [e(0, 0, 1)]);
    expect(c.ns.mapToKGID(gid(0))).toBe(0);
  });

  test("EPERM if a parent range is not mapped in the parent", () => {
    const { alice } = setup();
    const child = unshare(alice);
    child.ns.setUIDMap(alice, [e(0, 1000, 1)]);
    child.ns.setSetgroupsAllowed(alice, false);
    child.ns.setGIDMap(alice, [e(0, 1000, 1)]);
    const grandchild = unshare(child.inside);
    expectErrno(() => grandchild.ns.setUIDMap(child.inside, [e(0, 0, 2)]), "EPERM");
    grandchild.ns.setUIDMap(child.inside, [e(7, 0, 1)]);
    expect(grandchild.ns.mapToKUID(uid(7))).toBe(1000);
    expect(grandchild.ns.mapFromKUID(kuid(1000))).toBe(7);
  });

  test("EPERM if a parent range spans two parent extents (Linux; gVisor allows it)", () => {
    const { root } = setup();
    const child = unshare(root);
    child.ns.setUIDMap(root, [e(0, 0, 10), e(10, 10, 10)]);
    child.ns.setGIDMap(root, [e(0, 0, 1)]);
    const grandchild = unshare(child.inside);
    expectErrno(() => grandchild.ns.setUIDMap(child.inside, [e(0, 5, 10)]), "EPERM");
    grandchild.ns.setUIDMap(child.inside, [e(0, 5, 5)]);
    expect(grandchild.ns.mapToKUID(uid(4))).toBe(9);
  });

  test("nested maps compose, and /proc shows the parent column from the reader's view", () => {
    const { init, root } = setup();
    const child = unshare(root);
    child.ns.setUIDMap(root, [e(0, 100000, 1000)]);
    child.ns.setGIDMap(root, [e(0, 100000, 1000)]);
    // Kernel uid 0 has no mapping in the child: become the child's root (kuid 100000) first.
    const childRoot = child.inside.setresgid(gid(0), gid(0), gid(0)).setresuid(uid(0), uid(0), uid(0));
    expect(childRoot.effectiveKUID).toBe(100000);
    const grandchild = unshare(childRoot);
    expect(grandchild.ns.owner).toBe(100000);
    grandchild.ns.setUIDMap(childRoot, [e(0, 10, 5)]);
    expect(grandchild.ns.mapToKUID(uid(2))).toBe(100012);
    expect(grandchild.ns.mapFromKUID(kuid(100014))).toBe(4);
    expect(grandchild.ns.mapFromKUID(kuid(100015))).toBe(NO_ID);
    expect(grandchild.ns.mapFromKUID(kuid(100009))).toBe(NO_ID);
    // Read from the parent, or from inside: parent IDs. Read from init: kernel IDs.
    expect(grandchild.ns.uidMap()).toEqual([e(0, 10, 5)]);
    expect(grandchild.ns.uidMap(grandchild.ns)).toEqual([e(0, 10, 5)]);
    expect(grandchild.ns.uidMap(init)).toEqual([e(0, 100010, 5)]);
    // A reader that cannot see those kernel IDs gets 4294967295.
    const sibling = unshare(root);
    expect(grandchild.ns.uidMap(sibling.ns)).toEqual([e(0, 4294967295, 5)]);
    expect(formatIDMap(grandchild.ns.uidMap(init))).toBe("         0     100010          5\n");
  });

  test("property: mapped IDs round-trip, unmapped ones give NO_ID (any number of extents)", () => {
    const extentArb = fc.record({
      gap: fc.integer({ min: 0, max: 1000 }),
      parentGap: fc.integer({ min: 0, max: 1000 }),
      length: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(extentArb, { minLength: 1, maxLength: 40 }), fc.boolean(), (specs, reverse) => {
        // Build non-overlapping ranges on both sides; parent side optionally in reverse.
        const entries: IDMapEntry[] = [];
        let first = 0;
        let parentFirst = 0;
        for (const s of specs) {
          first += s.gap;
          parentFirst += s.parentGap;
          entries.push(e(first, parentFirst, s.length));
          first += s.length;
          parentFirst += s.length;
        }
        if (reverse) {
          // Lay the parent ranges out back to front, so the two sides sort differently.
          let p = 0;
          for (let i = entries.length - 1; i >= 0; i--) {
            const cur = entries[i] as IDMapEntry;
            entries[i] = e(cur.firstID, p, cur.length);
            p += cur.length + 1;
          }
          parentFirst = p;
        }
        const { root } = setup();
        const { ns } = unshare(root);
        ns.setUIDMap(root, entries);
        const model = (id: number): number => {
          for (const x of entries) if (id >= x.firstID && id < x.firstID + x.length) return x.firstParentID + id - x.firstID;
          return NO_ID;
        };
        const inverse = (k: number): number => {
          for (const x of entries) {
            if (k >= x.firstParentID && k < x.firstParentID + x.length) return x.firstID + k - x.firstParentID;
          }
          return NO_ID;
        };
        // Plain comparisons (one expect per mismatch kind): tens of thousands of IDs per run.
        for (let id = 0; id <= first + 5; id++) {
          const k = ns.mapToKUID(uid(id));
          if (k !== model(id)) expect({ id, k }).toEqual({ id, k: model(id) });
          if (k !== NO_ID && ns.mapFromKUID(k) !== id) expect({ k, back: ns.mapFromKUID(k) }).toEqual({ k, back: id });
        }
        for (let k = 0; k <= parentFirst + entries.length + 5; k++) {
          const back = ns.mapFromKUID(kuid(k));
          if (back !== inverse(k)) expect({ k, back }).toEqual({ k, back: inverse(k) });
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("setGIDMap", () => {
  test("unprivileged: EPERM until setgroups is denied (Linux 6.18)", () => {
    const { alice } = setup();
    const { ns, inside } = unshare(alice);
    const err = expectErrno(() => ns.setGIDMap(inside, [e(0, 1000, 1)]), "EPERM");
    expect(err.message).toContain("setgroups");
    ns.setSetgroupsAllowed(inside, false);
    ns.setGIDMap(inside, [e(0, 1000, 1)]);
    expect(ns.mapToKGID(gid(0))).toBe(1000);
    expect(ns.maySetgroups()).toBe(false);
  });

  test("unprivileged: the owner's euid decides ownership, the egid is what gets mapped", () => {
    const { alice } = setup();
    const { ns } = unshare(alice);
    ns.setSetgroupsAllowed(alice, false);
    expectErrno(() => ns.setGIDMap(alice, [e(0, 1001, 1)]), "EPERM");
    expectErrno(() => ns.setGIDMap(alice, [e(0, 1000, 2)]), "EPERM");
    ns.setGIDMap(alice, [e(0, 1000, 1)]);
  });

  test("with CAP_SETGID in the parent no deny is needed", () => {
    const { root } = setup();
    const { ns } = unshare(root);
    ns.setGIDMap(root, [e(0, 0, 65536)]);
    expect(ns.mapFromKGID(kgid(65535))).toBe(65535);
    expect(ns.maySetgroups()).toBe(true);
  });

  test("the same EPERM and EINVAL rules as uid maps", () => {
    const { root, bob } = setup();
    const { ns, inside } = unshare(root);
    expectErrno(() => ns.setGIDMap(bob, [e(0, 1001, 1)]), "EPERM");
    expectErrno(() => ns.setGIDMap(dropCap(inside, Capability.CAP_SYS_ADMIN), [e(0, 0, 1)]), "EPERM");
    expectErrno(() => ns.setGIDMap(root, []), "EINVAL");
    expectErrno(() => ns.setGIDMap(root, [e(0, 0, 10), e(9, 20, 1)]), "EINVAL");
    expectErrno(() => ns.setGIDMap(root, [e(0, 4294967290, 6)]), "EINVAL");
    ns.setGIDMap(root, [e(0, 0, 1)]);
    expectErrno(() => ns.setGIDMap(root, [e(1, 1, 1)]), "EPERM");
    expect(ns.gidMap()).toEqual([e(0, 0, 1)]);
  });
});

describe("setSetgroupsAllowed", () => {
  test("EACCES without CAP_SYS_ADMIN in the namespace (Linux refuses the open)", () => {
    const { init, alice } = setup();
    expectErrno(() => init.setSetgroupsAllowed(alice, true), "EACCES");
    const { ns, inside } = unshare(alice);
    expectErrno(() => ns.setSetgroupsAllowed(dropCap(inside, Capability.CAP_SYS_ADMIN), false), "EACCES");
  });

  test("deny is permanent: allow after deny is EPERM, deny again is fine", () => {
    const { alice } = setup();
    const { ns, inside } = unshare(alice);
    ns.setSetgroupsAllowed(inside, true);
    ns.setSetgroupsAllowed(inside, false);
    expect(ns.setgroupsAllowed).toBe(false);
    ns.setSetgroupsAllowed(inside, false);
    expectErrno(() => ns.setSetgroupsAllowed(inside, true), "EPERM");
  });

  test("deny after the gid map was written is EPERM (always so in a root namespace)", () => {
    const { init, root } = setup();
    init.setSetgroupsAllowed(root, true);
    expectErrno(() => init.setSetgroupsAllowed(root, false), "EPERM");
    const { ns } = unshare(root);
    ns.setGIDMap(root, [e(0, 0, 1)]);
    expectErrno(() => ns.setSetgroupsAllowed(root, false), "EPERM");
    expect(ns.setgroupsAllowed).toBe(true);
  });
});
