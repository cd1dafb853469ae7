// The players of the benchmark's fake fleet: known to the fleet process and to the bot side alike.
export const fleetSteamId = (server: number, player: number) => `7656119${String(8_500_000_000 + server * 10 + player).padStart(10, "0")}`;
export const fleetToken = (server: number, player: number) => server * 10 + player + 1;
