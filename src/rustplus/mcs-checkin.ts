// Google's check-in, as @liamcottle/push-receiver 0.0.4's gcm/index.js sends it before every connection (same
// AndroidCheckinRequest from its checkin.proto), to an endpoint given by the caller: the library hard-codes
// https://android.clients.google.com/checkin and retries forever inside the call; here one attempt is made
// and the caller retries.
import https from "node:https";
import { checkinRoot } from "./mcs-proto.ts";

/** Check-in answered with a 4xx: the credentials are refused, retrying will not help. */
export class CheckinRefusedError extends Error {}

/**
 * Checks the device in. Resolves with the AndroidCheckinResponse as an object (64-bit fields as strings).
 * Throws CheckinRefusedError on a 4xx, an Error on any other status, a network failure or after `timeoutMs`.
 */
export async function checkIn(url: string, androidId: string, securityToken: string, options: { ca: string | Buffer | undefined; timeoutMs: number }): Promise<unknown> {
  const Request = checkinRoot.lookupType("checkin_proto.AndroidCheckinRequest");
  const Response = checkinRoot.lookupType("checkin_proto.AndroidCheckinResponse");
  const body = Request.encode(
    Request.fromObject({
      userSerialNumber: 0,
      checkin: { type: 3, chromeBuild: { platform: 2, chromeVersion: "63.0.3234.0", channel: 1 } },
      version: 3,
      id: androidId,
      securityToken,
    }),
  ).finish();
  const answer = await post(url, Buffer.from(body), options.ca, options.timeoutMs);
  if (answer.status >= 400 && answer.status < 500) throw new CheckinRefusedError(`check-in refused (HTTP ${answer.status})`);
  if (answer.status !== 200) throw new Error(`check-in answered HTTP ${answer.status}`);
  return Response.toObject(Response.decode(answer.body), { longs: String });
}

/** One HTTPS POST of protobuf bytes; rejects on network failure or after `timeoutMs`. */
function post(url: string, body: Buffer, ca: string | Buffer | undefined, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "POST", headers: { "Content-Type": "application/x-protobuf", "Content-Length": body.length }, ...(ca && { ca }), timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("check-in timed out")));
    req.on("error", reject);
    req.end(body);
  });
}
