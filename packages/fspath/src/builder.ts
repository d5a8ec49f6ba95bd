// Right-to-left pathname building. Twin of gVisor's pkg/fspath/builder.go.

/**
 * Builds a pathname from its components in reverse order, leaf first.
 *
 * @remarks
 * A filesystem is a tree of named nodes, so printing a node's path means walking up from
 * the node to a root and prepending each name: {@link Builder.prependComponent} puts a
 * `/` between components (never before the first one prepended),
 * {@link Builder.prependString} adds raw text (such as the leading `/` of an absolute
 * path) and {@link Builder.appendString} adds a suffix such as `" (deleted)"`.
 *
 * gVisor grows a byte buffer leftwards. Here the prefix is a JavaScript string built by
 * concatenation: V8 represents `a + b` as a rope and flattens it once, when the result is
 * read, so each prepend is O(1) and the final string is copied once.
 *
 * @example
 * ```ts
 * import { Builder } from "@vfskit/fspath";
 *
 * const builder = new Builder();
 * builder.prependComponent("foo");
 * builder.prependComponent("bar");
 * builder.prependString("/");
 * builder.appendString(" (deleted)");
 * builder.toString(); // "/bar/foo (deleted)"
 * ```
 *
 * @public
 */
export class Builder {
  #prefix = "";
  #suffix = "";
  #needSeparator = false;

  /**
   * Empties the builder, so it can build another path.
   */
  reset(): void {
    this.#prefix = "";
    this.#suffix = "";
    this.#needSeparator = false;
  }

  /**
   * The length of the text accumulated so far, in UTF-16 code units (`toString().length`).
   *
   * @remarks
   * Linux's PATH_MAX counts UTF-8 bytes; convert before comparing with it.
   */
  get length(): number {
    return this.#prefix.length + this.#suffix.length;
  }

  /**
   * Prepends a path component, with a `/` between it and the component prepended before
   * it.
   *
   * @remarks
   * No separator is added before the first component prepended since construction or
   * {@link Builder.reset}. Text added with {@link Builder.prependString} does not change
   * that: the next component is still separated from the previous component.
   *
   * @param component - The component's name (it should not contain `/`).
   */
  prependComponent(component: string): void {
    this.#prefix = this.#needSeparator ? component + "/" + this.#prefix : component + this.#prefix;
    this.#needSeparator = true;
  }

  /**
   * Prepends text as is, with no separator.
   *
   * @param text - The text to put before everything accumulated so far.
   */
  prependString(text: string): void {
    this.#prefix = text + this.#prefix;
  }

  /**
   * Appends text as is at the end, after everything accumulated so far.
   *
   * @param text - The text to put at the end, such as `" (deleted)"`.
   */
  appendString(text: string): void {
    this.#suffix += text;
  }

  /**
   * Returns the accumulated pathname.
   *
   * @remarks
   * The builder is unchanged and can keep prepending and appending.
   *
   * @returns Everything prepended, then everything appended.
   */
  toString(): string {
    return this.#prefix + this.#suffix;
  }
}
