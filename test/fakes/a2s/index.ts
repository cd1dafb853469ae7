// A fake Steam query (A2S) port of a Rust server for tests; gamedig queries it over real UDP.
export { FakeA2sServer, type FakeA2sOptions, type Misbehaviour } from "./server.ts";
