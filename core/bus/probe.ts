/**
 * Does Kafka answer? One metadata request (describeCluster) to the brokers, with
 * a short connection timeout and no retries — for the start-up self-check and
 * `npm run doctor` (bot/self-check.ts), which retry with back-off themselves.
 * Its own short-lived client: the bus's clients retry for minutes by design.
 */
import { Kafka, logLevel } from 'kafkajs';

export async function probeKafka(o: { brokers: readonly string[]; clientId: string; timeoutMs?: number }): Promise<{ brokers: number }> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const kafka = new Kafka({
    brokers: [...o.brokers],
    clientId: `${o.clientId}-probe`,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { brokers: cluster.brokers.length };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
