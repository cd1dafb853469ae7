// What a Rust+ request can fail with, as real Error objects (rustplus.js rejects with plain `{ error }`).

/** The server answered with an AppError: `not_found`, `rate_limit`, `message_not_sent`, … */
export class RustPlusError extends Error {
  override readonly name = "RustPlusError";
  constructor(readonly code: string) {
    super(`the Rust server answered "${code}"`);
  }
}

/** No answer: the socket is not open, closed before the answer, or the answer did not come in time. */
export class RustPlusUnavailable extends Error {
  override readonly name = "RustPlusUnavailable";
}

/** Requests that involve no entity: `not_found` on one of these means the player token is refused. */
export const SERVER_WIDE_REQUESTS = new Set(["getInfo", "getTime", "getMap", "getTeamInfo", "getTeamChat", "getMapMarkers"]);
