// A failed subscription payment tells the user in Discord: queued in the same transaction as PAST_DUE.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { Notifier } from "../../src/notify/notifier.ts";
import { row, subscribed } from "./flows.ts";
import { startBilling, type BillingHarness } from "./harness.ts";
import { routeTo } from "../helpers/bot.ts";

let h: BillingHarness;
beforeAll(async () => {
  // A notifier without REST only writes the outbox; any bot process posts it.
  h = await startBilling({ notifier: (db) => new Notifier(db.prisma, createLogger({ level: "silent" })) });
});
afterAll(() => h?.close());

describe("invoice.payment_failed", () => {
  it("queues one account notice for the user's status channel, even when delivered twice", async () => {
    const { user, session, subscription } = await subscribed(h);
    await routeTo(h.db.prisma, user.id, { guildId: "1", guildName: "g", statusChannelId: "2" });
    await h.deliver(h.fake.event("checkout.session.completed", session));
    h.fake.updateSubscription(subscription.id, { status: "past_due" });
    const event = h.fake.event("invoice.payment_failed", h.fake.invoiceFor(subscription.id, { paid: false, attempt: 1 }));
    expect((await h.deliver(event)).status).toBe(200);
    expect((await h.deliver(event)).body.duplicate).toBe(true);
    expect((await row(h, user.id))?.status).toBe("PAST_DUE");
    const notices = await h.db.prisma.notificationOutbox.findMany({ where: { userId: user.id } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ family: "STATUS", status: "PENDING", payload: { kind: "account", title: "Your subscription payment failed" } });
  });
});
