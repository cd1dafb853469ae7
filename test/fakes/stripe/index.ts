// An in-process fake of the Stripe API on 127.0.0.1 for the real stripe-node client (createStripe with
// STRIPE_API_URL pointing here). It checks the API key, parses Stripe's form encoding, answers with
// Stripe-shaped JSON and Stripe's error bodies, replays POSTs by Idempotency-Key, and lets a test inject
// failures. The test drives the state (customers completing checkout, refunds, disputes) and builds the
// webhook events that Stripe would send.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { list, metadata, obj, parseForm, str, type Form } from "./form.ts";
import { now, stripeId } from "./ids.ts";
import * as build from "./objects.ts";
import type { PriceInput, StripeObject, SubscriptionInput } from "./objects.ts";

export type { StripeObject } from "./objects.ts";

export interface FakeCall {
  method: string;
  path: string;
  query: Form;
  body: Form;
  idempotencyKey: string | undefined;
  status: number;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
  ) {
    super(body.message);
  }
}

const missing = (what: string, id: string, param = "id") =>
  new ApiError(404, { type: "invalid_request_error", code: "resource_missing", param, message: `No such ${what}: '${id}'` });
const invalid = (message: string, param?: string) =>
  new ApiError(400, { type: "invalid_request_error", ...(param ? { param } : {}), message, ...(message.startsWith("Missing") ? { code: "parameter_missing" } : {}) });

interface Failure {
  method: string;
  path: string;
  remaining: number;
  status: number;
}

export class FakeStripe {
  readonly calls: FakeCall[] = [];
  readonly prices = new Map<string, StripeObject>();
  readonly customers = new Map<string, StripeObject>();
  readonly subscriptions = new Map<string, StripeObject>();
  readonly checkoutSessions = new Map<string, StripeObject>();
  readonly portalSessions = new Map<string, StripeObject>();
  readonly charges = new Map<string, StripeObject>();
  /** What a session was created with beyond its own fields (subscription_data, payment_intent_data). */
  readonly #sessionParams = new Map<string, Form>();
  /** What each session sells (GET …/line_items, expand line_items). */
  readonly #lineItems = new Map<string, StripeObject[]>();
  readonly #idempotent = new Map<string, { request: string; status: number; body: unknown }>();
  readonly #failures: Failure[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly apiKey: string,
  ) {}

  static async start(options: { apiKey?: string; prices?: PriceInput[] } = {}): Promise<FakeStripe> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const fake = new FakeStripe(server, `http://127.0.0.1:${port}`, options.apiKey ?? "sk_test_fake");
    for (const p of options.prices ?? []) fake.addPrice(p);
    server.on("request", (req, res) => void fake.#handle(req, res));
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addPrice(input: PriceInput): StripeObject {
    const p = build.price(input);
    this.prices.set(p.id, p);
    return p;
  }

  /** The next `times` requests to METHOD path answer `status` with Stripe's api_error body, before any effect. */
  failNext(method: string, path: string, times: number, status = 500): void {
    this.#failures.push({ method, path, remaining: times, status });
  }

  callsTo(method: string, path: string | RegExp): FakeCall[] {
    return this.calls.filter((c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)));
  }

  // ───────── state the test controls ─────────

  createCustomer(input: { email?: string | null; metadata?: Record<string, string> } = {}): StripeObject {
    const c = build.customer(input);
    this.customers.set(c.id, c);
    return c;
  }

  /** Creates or replaces a subscription (by id); `price` is a price id known to the fake. */
  setSubscription(input: Omit<SubscriptionInput, "price"> & { price: string }): StripeObject {
    const existing = input.id ? this.subscriptions.get(input.id) : undefined;
    const s = build.subscription({
      ...input,
      price: this.#price(input.price),
      ...(existing ? { created: existing["created"] as number } : {}),
    });
    if (!this.customers.has(input.customer)) this.customers.set(input.customer, build.customer({ id: input.customer }));
    this.subscriptions.set(s.id, s);
    return s;
  }

  /** Changes fields of a stored subscription the way the API would (status, price, cancellation, period). */
  updateSubscription(id: string, change: Partial<Omit<SubscriptionInput, "id" | "customer" | "price">> & { price?: string }): StripeObject {
    const current = this.#subscription(id);
    const item = (current["items"] as { data: { current_period_end: number; price: StripeObject }[] }).data[0]!;
    return this.setSubscription({
      id,
      customer: current["customer"] as string,
      price: change.price ?? item.price.id,
      status: change.status ?? (current["status"] as Stripe.Subscription.Status),
      currentPeriodEnd: change.currentPeriodEnd ?? item.current_period_end,
      cancelAtPeriodEnd: change.cancelAtPeriodEnd ?? (current["cancel_at_period_end"] as boolean),
      cancelAt: change.cancelAt !== undefined ? change.cancelAt : (current["cancel_at"] as number | null),
      metadata: change.metadata ?? (current["metadata"] as Record<string, string>),
    });
  }

  /**
   * The customer finishes Checkout. Subscription mode: a customer (if the session had none) and an active
   * subscription carrying subscription_data.metadata. Payment mode: a payment intent and a charge; with
   * `paid: false` the payment is still processing (a bank debit) until settleAsyncPayment.
   * Payment mode, what the customer did in Checkout: `discount` (a coupon's amount off the first line; all
   * of it → payment_status no_payment_required, no payment intent, no charge), `amount` (the amount entered
   * for a price where customers choose what to pay), `currency` (paid in another currency, as a price's
   * currency_options or Adaptive Pricing present it: `amount` is then in that currency).
   */
  completeCheckout(
    sessionId: string,
    options: { paid?: boolean; discount?: number; amount?: number; currency?: string } = {},
  ): { session: StripeObject; subscription?: StripeObject; charge?: StripeObject } {
    const session = this.#session(sessionId);
    if (session["status"] !== "open") throw new Error(`session ${sessionId} is ${String(session["status"])}`);
    const params = this.#sessionParams.get(sessionId) ?? {};
    const customerId = (session["customer"] as string | null) ?? this.createCustomer().id;
    const priceId = str(list(params, "line_items")[0] as Form | undefined, "price")!;
    session["customer"] = customerId;
    session["status"] = "complete";
    const items = this.#lineItems.get(sessionId) ?? [];
    if (session["mode"] === "payment" && items[0] && (options.discount !== undefined || options.amount !== undefined || options.currency !== undefined)) {
      const first = items[0];
      items[0] = build.lineItem({
        price: first["price"] as StripeObject,
        quantity: first["quantity"] as number,
        ...(options.amount !== undefined ? { unitAmount: options.amount } : {}),
        ...(options.currency !== undefined ? { currency: options.currency } : {}),
        ...(options.discount !== undefined ? { discount: options.discount } : {}),
      });
      Object.assign(session, build.sessionAmounts(items));
    }
    if (session["mode"] === "subscription") {
      const sub = this.setSubscription({ customer: customerId, price: priceId, metadata: metadata(obj(params, "subscription_data")) });
      session["subscription"] = sub.id;
      session["invoice"] = sub["latest_invoice"];
      session["payment_status"] = "paid";
      return { session: structuredClone(session), subscription: structuredClone(sub) };
    }
    if (session["amount_total"] === 0) {
      session["payment_status"] = "no_payment_required";
      return { session: structuredClone(session) };
    }
    const paymentIntent = stripeId("pi");
    const ch = build.charge({
      amount: session["amount_total"] as number,
      currency: session["currency"] as string,
      customer: customerId,
      paymentIntent,
      metadata: metadata(obj(params, "payment_intent_data")),
    });
    this.charges.set(ch.id, ch);
    session["payment_intent"] = paymentIntent;
    session["payment_status"] = options.paid === false ? "unpaid" : "paid";
    return { session: structuredClone(session), charge: structuredClone(ch) };
  }

  /** A delayed payment settles: succeeded → the session is paid; failed → it stays unpaid. */
  settleAsyncPayment(sessionId: string, succeeded: boolean): StripeObject {
    const session = this.#session(sessionId);
    if (succeeded) session["payment_status"] = "paid";
    return structuredClone(session);
  }

  /** Refunds `amount` (default: the rest) of a charge. */
  refundCharge(chargeId: string, amount?: number): StripeObject {
    const ch = this.#charge(chargeId);
    const total = ch["amount"] as number;
    const refunded = Math.min(total, (ch["amount_refunded"] as number) + (amount ?? total));
    ch["amount_refunded"] = refunded;
    ch["refunded"] = refunded === total;
    const refunds = ch["refunds"] as { data: unknown[]; total_count: number };
    refunds.data.unshift({ id: stripeId("re"), object: "refund", amount: amount ?? total, charge: ch.id, currency: ch["currency"], payment_intent: ch["payment_intent"], status: "succeeded", created: now() });
    refunds.total_count = refunds.data.length;
    return structuredClone(ch);
  }

  disputeCharge(chargeId: string): StripeObject {
    const ch = this.#charge(chargeId);
    ch["disputed"] = true;
    return build.dispute({ charge: ch });
  }

  /** An invoice of a stored subscription (its renewal), paid or failed. */
  invoiceFor(subscriptionId: string, options: { paid: boolean; attempt?: number }): StripeObject {
    return build.invoice({ subscription: this.#subscription(subscriptionId), ...options });
  }

  /** A full webhook event with a snapshot of `object`. */
  event(type: Stripe.Event.Type, object: StripeObject, options: { id?: string; created?: number } = {}): StripeObject {
    return build.event(type, object, options);
  }

  // ───────── the HTTP API ─────────

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const idempotencyKey = typeof req.headers["idempotency-key"] === "string" ? req.headers["idempotency-key"] : undefined;
    const call: FakeCall = { method, path: url.pathname, query: {}, body: {}, idempotencyKey, status: 0 };
    this.calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { "Content-Type": "application/json", "Request-Id": stripeId("req", 14), "Stripe-Version": String(req.headers["stripe-version"] ?? ""), ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      call.query = parseForm(url.search.slice(1));
      call.body = method === "POST" ? parseForm(raw) : {};
      if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
        throw new ApiError(401, { type: "invalid_request_error", message: "Invalid API Key provided: sk_test_****" });
      }
      const failure = this.#failures.find((f) => f.method === method && f.path === url.pathname && f.remaining > 0);
      if (failure) {
        failure.remaining--;
        send(failure.status, { error: { type: "api_error", message: "Something went wrong on Stripe's end. (fake)" } });
        return;
      }
      if (method === "POST" && idempotencyKey) {
        const seen = this.#idempotent.get(idempotencyKey);
        if (seen && seen.request !== `${url.pathname}?${raw}`) {
          throw new ApiError(400, { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." });
        }
        if (seen) return send(seen.status, seen.body, { "Idempotent-Replayed": "true" });
        const body = this.#route(method, url.pathname, call.query, call.body);
        this.#idempotent.set(idempotencyKey, { request: `${url.pathname}?${raw}`, status: 200, body });
        return send(200, body);
      }
      send(200, this.#route(method, url.pathname, call.query, call.body));
    } catch (error) {
      if (error instanceof ApiError) return send(error.status, { error: { ...error.body, doc_url: "https://stripe.com/docs/error-codes" } });
      send(500, { error: { type: "api_error", message: `fake Stripe crashed: ${(error as Error).message}` } });
    }
  }

  #route(method: string, path: string, query: Form, body: Form): unknown {
    const id = (re: RegExp) => re.exec(path)?.[1];
    let m: string | undefined;
    if (method === "POST" && path === "/v1/customers") {
      return this.createCustomer({ email: str(body, "email") ?? null, metadata: metadata(body) });
    }
    if (method === "GET" && (m = id(/^\/v1\/customers\/([^/]+)$/))) return this.#customer(m, "id");
    if (method === "GET" && (m = id(/^\/v1\/subscriptions\/([^/]+)$/))) return this.#subscription(m);
    if (method === "GET" && (m = id(/^\/v1\/charges\/([^/]+)$/))) return this.#charge(m);
    if (method === "POST" && path === "/v1/checkout/sessions") return this.#createSession(body);
    if (method === "GET" && path === "/v1/checkout/sessions") {
      const pi = str(query, "payment_intent");
      const subscription = str(query, "subscription");
      const limit = Number(str(query, "limit") ?? 10);
      const data = [...this.checkoutSessions.values()]
        .filter((s) => (!pi || s["payment_intent"] === pi) && (!subscription || s["subscription"] === subscription))
        .reverse()
        .slice(0, limit);
      return { object: "list", data, has_more: false, url: "/v1/checkout/sessions" };
    }
    if (method === "GET" && (m = id(/^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/))) {
      this.#session(m);
      return this.#lineItemList(m, Number(str(query, "limit") ?? 10));
    }
    if (method === "GET" && (m = id(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const session = structuredClone(this.#session(m));
      if (list(query, "expand").includes("subscription") && typeof session["subscription"] === "string") {
        session["subscription"] = this.#subscription(session["subscription"]);
      }
      // line_items is includable: absent unless expanded, then the first page (Stripe: "the first handful").
      if (list(query, "expand").includes("line_items")) session["line_items"] = this.#lineItemList(m, 10);
      return session;
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      const customer = str(body, "customer");
      if (!customer) throw invalid("Missing required param: customer.", "customer");
      this.#customer(customer, "customer");
      const s = build.portalSession({ customer, returnUrl: str(body, "return_url") ?? null });
      this.portalSessions.set(s.id, s);
      return s;
    }
    throw new ApiError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
  }

  #createSession(body: Form): StripeObject {
    const mode = str(body, "mode");
    if (!mode) throw invalid("Missing required param: mode.", "mode");
    if (mode !== "payment" && mode !== "subscription" && mode !== "setup") throw invalid(`Invalid mode: must be one of payment, setup, or subscription`, "mode");
    const items = list(body, "line_items") as Form[];
    if (mode !== "setup" && items.length === 0) throw invalid(`You must specify either \`line_items\` or \`price\` in \`${mode}\` mode.`, "line_items");
    const lineItems = items.map((item, i) => {
      const priceId = str(item, "price");
      if (!priceId) throw invalid(`Missing required param: line_items[${i}][price].`, `line_items[${i}][price]`);
      const p = this.prices.get(priceId);
      if (!p) throw invalid(`No such price: '${priceId}'`, `line_items[${i}][price]`);
      if (mode === "payment" && p["recurring"]) {
        throw invalid("You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.", "line_items");
      }
      return build.lineItem({ price: p, quantity: Number(str(item, "quantity") ?? 1) });
    });
    if (mode === "subscription" && !lineItems.some((item) => (item["price"] as StripeObject)["recurring"])) {
      throw invalid("You must provide at least one recurring price in `subscription` mode when using prices.", "line_items");
    }
    const customer = str(body, "customer") ?? null;
    if (customer) this.#customer(customer, "customer");
    const session = build.checkoutSession({
      mode,
      items: lineItems,
      customer,
      clientReferenceId: str(body, "client_reference_id") ?? null,
      metadata: metadata(body),
      successUrl: str(body, "success_url") ?? null,
      cancelUrl: str(body, "cancel_url") ?? null,
    });
    this.checkoutSessions.set(session.id, session);
    this.#sessionParams.set(session.id, body);
    this.#lineItems.set(session.id, lineItems);
    return session;
  }

  #lineItemList(sessionId: string, limit: number) {
    const items = this.#lineItems.get(sessionId) ?? [];
    return { object: "list", data: structuredClone(items.slice(0, limit)), has_more: items.length > limit, url: `/v1/checkout/sessions/${sessionId}/line_items` };
  }

  #price(id: string): StripeObject {
    const p = this.prices.get(id);
    if (!p) throw new Error(`the fake has no price ${id}: pass it to FakeStripe.start({ prices })`);
    return p;
  }
  #customer(id: string, param: string): StripeObject {
    const c = this.customers.get(id);
    if (!c) throw missing("customer", id, param);
    return c;
  }
  #subscription(id: string): StripeObject {
    const s = this.subscriptions.get(id);
    if (!s) throw missing("subscription", id);
    return s;
  }
  #session(id: string): StripeObject {
    const s = this.checkoutSessions.get(id);
    if (!s) throw missing("checkout.session", id, "session");
    return s;
  }
  #charge(id: string): StripeObject {
    const c = this.charges.get(id);
    if (!c) throw missing("charge", id);
    return c;
  }
}
