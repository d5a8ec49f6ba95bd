/**
 * Package version marker.
 * @public
 */
export const version = "0.0.0";
