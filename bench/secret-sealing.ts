// AES-256-GCM sealing and opening of a typical FCM credential blob.
import { performance } from "node:perf_hooks";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../src/db/crypto.ts";
import type { BenchResult } from "./run.ts";

const N = 50_000;

export async function secretSealing(): Promise<BenchResult[]> {
  const box = new SecretBox(buildKeyring(formatKey(1, generateKey())));
  const blob = JSON.stringify({ fcm: { token: "x".repeat(160) }, gcm: { androidId: "1234567890123456789", securityToken: "9876543210" } });
  let started = performance.now();
  let sealed = box.seal("FcmCredential.blob", blob);
  for (let i = 0; i < N; i++) sealed = box.seal("FcmCredential.blob", blob);
  const sealRate = (N / (performance.now() - started)) * 1000;
  started = performance.now();
  for (let i = 0; i < N; i++) box.open("FcmCredential.blob", sealed);
  const openRate = (N / (performance.now() - started)) * 1000;
  return [
    { name: "seal a credential blob", figure: `${sealRate.toFixed(0)} /s`, detail: `${blob.length} bytes` },
    { name: "open a credential blob", figure: `${openRate.toFixed(0)} /s` },
  ];
}
