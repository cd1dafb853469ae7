// gamedig 5 ships no types; only what src/intel/a2s/a2s-client.ts uses (protocols/valve.js fills these).
declare module "gamedig" {
  export interface QueryOptions {
    type: string;
    /** An IP address: given as `address`, gamedig does no DNS look-up. */
    address: string;
    host?: string;
    port: number;
    givenPortOnly?: boolean;
    portCache?: boolean;
    socketTimeout?: number;
    attemptTimeout?: number;
    maxRetries?: number;
    requestRules?: boolean;
  }
  export interface QueryResult {
    name: string;
    map: string;
    numplayers: number;
    maxplayers: number;
    /** "address:gamePort" (the EDF's game port), or the query port when the EDF has none. */
    connect?: string;
    queryPort?: number;
    raw: { tags?: string[]; players?: { name?: unknown; score?: unknown; time?: unknown }[]; [key: string]: unknown };
  }
  export class GameDig {
    constructor(options?: { listenUdpPort?: number });
    query(options: QueryOptions): Promise<QueryResult>;
  }
}
