// Test-only credentials (excluded from the build), built with @vfskit/auth: root,
// ordinary users, users with a few capabilities, and root of a child user namespace in
// which only some IDs are mapped.
import { CapabilitySet, Credentials, UserNamespace, gid, kgid as toKGID, kuid as toKUID, uid, type KGID, type KUID } from "@vfskit/auth";
import { createContext, type Context } from "../context.js";

/** What a test credential looks like. */
export interface TestCredentialsSpec {
  readonly uid: number;
  readonly gid: number;
  readonly groups?: readonly number[];
  /** Effective (and permitted) capabilities, replacing the defaults (all for uid 0, none otherwise). */
  readonly caps?: readonly number[];
  /**
   * Make the caller root of a child user namespace in which only these kernel IDs are
   * mapped (identity); `uid`/`gid` must be 0 and `caps` is ignored (root of the child
   * holds every capability there, none in the parent).
   */
  readonly childNamespace?: { readonly uids: readonly number[]; readonly gids: readonly number[] };
}

/** The root user namespace every test credential lives in (or below). */
export const testRootNamespace = UserNamespace.root();

const globalRoot = Credentials.root(testRootNamespace);

function identityMap(ids: readonly number[]): { firstID: number; firstParentID: number; length: number }[] {
  return ids.map((id) => ({ firstID: id, firstParentID: id, length: 1 }));
}

/** Credentials for a test. */
export function testCredentials(spec: TestCredentialsSpec): Credentials {
  if (spec.childNamespace !== undefined) {
    const child = testRootNamespace.newChild(globalRoot);
    child.setUIDMap(globalRoot, identityMap(spec.childNamespace.uids));
    child.setGIDMap(globalRoot, identityMap(spec.childNamespace.gids));
    return globalRoot.forkIntoUserNamespace(child);
  }
  const creds = Credentials.user({
    uid: uid(spec.uid),
    gid: gid(spec.gid),
    groups: (spec.groups ?? []).map((g) => gid(g)),
    ns: testRootNamespace,
  });
  if (spec.caps === undefined) return creds;
  const caps = CapabilitySet.of(...spec.caps);
  return creds.with({ effectiveCaps: caps, permittedCaps: caps });
}

/** Root: uid 0, gid 0, every capability in the root user namespace. */
export function rootCredentials(): Credentials {
  return globalRoot;
}

/** A context running with `creds` (root by default). */
export function testContext(creds: Credentials = rootCredentials()): Context {
  return createContext(creds);
}

/** A number as a KUID. */
export function kuid(id: number): KUID {
  return toKUID(id);
}

/** A number as a KGID. */
export function kgid(id: number): KGID {
  return toKGID(id);
}
