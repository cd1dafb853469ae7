// The webhook's front door over real HTTP: only bodies signed with our secret, byte for byte and recent,
// get in; everything else is a 400 that writes nothing and logs neither the body nor the signature.
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../helpers/fixtures.ts";
import { WEBHOOK_SECRET, startBilling, type BillingHarness } from "./harness.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await startBilling();
});
afterAll(async () => {
  await h?.close();
});

const signed = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? WEBHOOK_SECRET, ...(options.timestamp ? { timestamp: options.timestamp } : {}) });
const json = { "Content-Type": "application/json" };

async function nothingWritten() {
  expect(await h.db.prisma.stripeWebhookEvent.count()).toBe(0);
  expect(await h.db.prisma.subscription.count()).toBe(0);
}

describe("POST /stripe/webhook signature checks", () => {
  let payload: string;
  let header: string;

  beforeAll(async () => {
    // An event that would write a Subscription row if it were accepted.
    const user = await createUser(h.db.prisma);
    const sub = h.fake.setSubscription({ customer: "cus_sigtest", price: "price_operator", metadata: { userId: user.id } });
    payload = JSON.stringify(h.fake.event("customer.subscription.created", sub), null, 2);
    header = signed(payload);
  });

  it.each([
    ["a tampered body", () => ({ body: payload.replace('"livemode": false', '"livemode": true'), headers: { ...json, "Stripe-Signature": header } })],
    ["a re-serialized body (same JSON, other spacing)", () => ({ body: JSON.stringify(JSON.parse(payload)), headers: { ...json, "Stripe-Signature": header } })],
    ["a stale timestamp (beyond the 300 s tolerance)", () => ({ body: payload, headers: { ...json, "Stripe-Signature": signed(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 }) } })],
    ["no signature header", () => ({ body: payload, headers: json })],
    ["a signature made with another secret", () => ({ body: payload, headers: { ...json, "Stripe-Signature": signed(payload, { secret: "whsec_someone_else" }) } })],
    ["a malformed signature header", () => ({ body: payload, headers: { ...json, "Stripe-Signature": "t=abc,v1=nothex" } })],
    ["a body that is not application/json", () => ({ body: payload, headers: { "Content-Type": "text/plain", "Stripe-Signature": header } })],
  ])("rejects %s with 400 and writes nothing", async (_name, make) => {
    const { body, headers } = make();
    const res = await h.post(body, headers);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "Invalid signature" });
    await nothingWritten();
  });

  it("a correctly signed body that is not an event (not an object, no id or type, no data object) is a 400 that writes nothing", async () => {
    for (const body of ["null", '"text"', "[]", "{}", '{"id":"evt_1","type":"checkout.session.completed","data":{}}']) {
      const res = await h.post(body, { ...json, "Stripe-Signature": signed(body) });
      expect(res, body).toEqual({ status: 400, body: { error: "Not a Stripe event" } });
    }
    await nothingWritten();
    expect(h.logs.filter((l) => l["msg"] === "stripe webhook rejected" && l["reason"] === "signed body is not a Stripe event")).toHaveLength(5);
  });

  it("never logs the body or the signature of a rejected request", () => {
    const logged = JSON.stringify(h.logs);
    expect(h.logs.some((l) => l["msg"] === "stripe webhook rejected")).toBe(true);
    expect(logged).not.toContain(header.split("v1=")[1]!);
    expect(logged).not.toContain("cus_sigtest");
    expect(logged).not.toContain("livemode");
  });

  it("accepts the untouched, correctly signed body", async () => {
    const res = await h.post(payload, { ...json, "Stripe-Signature": header });
    expect(res).toEqual({ status: 200, body: { received: true } });
    expect(await h.db.prisma.subscription.count()).toBe(1);
  });
});

describe("POST /stripe/webhook without Stripe configured", () => {
  it("answers 503 when there is no secret key, and when there is no webhook secret", async () => {
    for (const env of [{ STRIPE_SECRET_KEY: undefined }, { STRIPE_WEBHOOK_SECRET: undefined }]) {
      const bare = await startBilling({ env, fake: h.fake, db: h.db });
      try {
        const res = await bare.post("{}", { ...json, "Stripe-Signature": signed("{}") });
        expect(res.status).toBe(503);
      } finally {
        await bare.close();
      }
    }
  });
});
