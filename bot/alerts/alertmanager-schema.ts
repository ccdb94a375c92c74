/**
 * The Alertmanager webhook payload (version 4), as a JSON Schema for fastify's
 * validator. Only what the bot uses is required; everything else passes
 * through, so a newer Alertmanager with extra fields is still accepted.
 */
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const alertSchema = {
  type: 'object',
  required: ['status', 'labels', 'startsAt'],
  properties: {
    status: { type: 'string', enum: ['firing', 'resolved'] },
    labels: { ...stringMap, required: ['alertname'], properties: { alertname: { type: 'string', minLength: 1 } } },
    annotations: stringMap,
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string' },
    generatorURL: { type: 'string' },
    fingerprint: { type: 'string', maxLength: 128 },
  },
} as const;

export const webhookPayloadSchema = {
  type: 'object',
  required: ['version', 'status', 'alerts'],
  properties: {
    version: { type: 'string', const: '4' },
    groupKey: { type: 'string' },
    truncatedAlerts: { type: 'integer', minimum: 0 },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    receiver: { type: 'string' },
    groupLabels: stringMap,
    commonLabels: stringMap,
    commonAnnotations: stringMap,
    externalURL: { type: 'string' },
    alerts: { type: 'array', maxItems: 1000, items: alertSchema },
  },
} as const;

export interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string> & { alertname: string };
  annotations?: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

export interface AmWebhookPayload {
  version: '4';
  groupKey?: string;
  truncatedAlerts?: number;
  status: 'firing' | 'resolved';
  receiver?: string;
  groupLabels?: Record<string, string>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  externalURL?: string;
  alerts: AmAlert[];
}
