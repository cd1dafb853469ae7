// What the playground's API refuses, with the HTTP status the page gets and a message meant for the person at it.

/** A refused request: `status` 400 (bad input), 403 (Discord would not deliver it), 404 (no such thing), 409 (not now), 415 (not JSON). */
export class PlaygroundError extends Error {
  override readonly name = "PlaygroundError";
  constructor(readonly status: 400 | 403 | 404 | 409 | 415, message: string) {
    super(message);
  }
}

export const badInput = (message: string): PlaygroundError => new PlaygroundError(400, message);
export const notFound = (message: string): PlaygroundError => new PlaygroundError(404, message);
export const conflict = (message: string): PlaygroundError => new PlaygroundError(409, message);
