/**
 * The HTTP dispatcher the Fleet client sends through: an undici `Dispatcher` (`Agent`,
 * `ProxyAgent`, `MockAgent`, …). It is declared structurally here so that the published type
 * declarations need no undici installed (the package bundles undici and has no dependencies);
 * any undici 7 dispatcher fits, and
 * the code hands it to undici's `request()` as undici's own type.
 *
 * @module
 */
/** An undici 7 `Dispatcher` (`Agent`, `ProxyAgent`, `MockAgent`, …). */
export interface Dispatcher {
  dispatch(options: object, handler: object): boolean;
}
