/** A mistake the user can fix. Its message is shown to them as is (ephemerally); it is not logged as a failure. */
export class UserError extends Error {
  override readonly name = "UserError";
}
