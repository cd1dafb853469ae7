// RUSTPLUS_EGRESS_ADDRESSES names local addresses to bind Rust+ sockets to. One the machine does not have would
// only fail later, socket by socket (EADDRNOTAVAIL on every connect, each server retrying forever): checked at
// start instead, by listening on each for a moment, so the operator gets one line naming the variable.
import { createServer } from "node:net";
import { EnvironmentError } from "../environment-errors.ts";
import type { EgressAddress } from "./types.ts";

/**
 * Resolves when every bind address (null: the default route, not checked) is an address of this machine;
 * rejects with an EnvironmentError naming RUSTPLUS_EGRESS_ADDRESSES and the first address that is not.
 * Any other listen error (none expected on port 0) is rethrown as it is.
 */
export async function checkEgressAddresses(addresses: readonly EgressAddress[]): Promise<void> {
  for (const { bind } of addresses) {
    if (bind === null) continue;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, bind, () => server.close(() => resolve()));
    }).catch((error: unknown) => {
      if ((error as { code?: unknown }).code !== "EADDRNOTAVAIL") throw error;
      throw new EnvironmentError(
        "RUSTPLUS_EGRESS_ADDRESSES",
        `${bind} is not an address of this machine, so no socket can leave from it; list this machine's own addresses (behind NAT: "local=public")`,
      );
    });
  }
}
