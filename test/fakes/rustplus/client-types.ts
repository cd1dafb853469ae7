// Names for the rustplus.js types declared in rustplus-js.d.ts.
import type RustPlus from "@liamcottle/rustplus.js";

export type Long = RustPlus.Long;
export type AppResponse = RustPlus.AppResponse;
export type AppMessage = RustPlus.AppMessage;
export type AppBroadcast = RustPlus.AppBroadcast;
export type AppTeamInfo = RustPlus.AppTeamInfo;
export type AppTeamMessage = RustPlus.AppTeamMessage;
export type AppEntityPayload = RustPlus.AppEntityPayload;
export type AppMarker = RustPlus.AppMarker;
export type RequestData = RustPlus.RequestData;
export type Callback = RustPlus.Callback;
export type RustPlusClient = RustPlus.RustPlusClient;
export type RustPlusConstructor = RustPlus.RustPlusConstructor;
