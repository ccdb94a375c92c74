/**
 * The metrics as the web app shows them — titles, meanings, units, directions and
 * targets — generated from the metric definitions (analytics/) by
 * `npm run config:docs -- --write`; do not edit (a test fails when it is stale).
 * SLA targets (`sla`) are the desk's default configuration for its default queue
 * (`SLA_TARGETS` L1=15m/4h>L2,L2=30m/24h,VIP=5m/8h,payments=10m/8h,security=5m/8h, `DEFAULT_QUEUE` L1).
 */
export interface MetricInfo {
  title: string;
  meaning: string;
  unit: 'count' | 'seconds' | 'ratio' | 'score' | 'nps';
  better: 'higher' | 'lower' | 'neither';
  /** Good at or beyond `good`, near target up to `warn`; `upTo`: shown as a range. */
  target?: { good: number; warn: number; upTo?: number; sla?: 'first_response' | 'resolution' };
}

export const METRIC_INFO = {
  tickets_created: {"title":"Tickets created","meaning":"Tickets created in the period.","unit":"count","better":"neither"},
  tickets_resolved: {"title":"Tickets resolved","meaning":"Of the tickets created in the period, those resolved at least once.","unit":"count","better":"higher"},
  frt_p50_seconds: {"title":"FRT P50","meaning":"Median first response time: the first human agent reply relayed to the customer (message_out) minus creation, over the tickets that have one; bot and knowledge-base answers do not count.","unit":"seconds","better":"lower","target":{"good":900,"warn":1800,"sla":"first_response"}},
  frt_p90_seconds: {"title":"FRT P90","meaning":"90th percentile first response time (first human reply minus creation).","unit":"seconds","better":"lower","target":{"good":900,"warn":1800,"sla":"first_response"}},
  frt_bh_p50_seconds: {"title":"FRT P50, business hours","meaning":"Median first response time in business seconds of the ticket's queue calendar (first_response_bh_seconds of the first reply; calendar seconds for 24/7 queues).","unit":"seconds","better":"lower","target":{"good":900,"warn":1800,"sla":"first_response"}},
  frt_bh_p90_seconds: {"title":"FRT P90, business hours","meaning":"90th percentile first response time in business seconds of the ticket's queue calendar.","unit":"seconds","better":"lower","target":{"good":900,"warn":1800,"sla":"first_response"}},
  resolution_p50_seconds: {"title":"Resolution P50","meaning":"Median time to resolution: the first resolution minus creation, over the tickets resolved.","unit":"seconds","better":"lower","target":{"good":14400,"warn":86400,"sla":"resolution"}},
  resolution_p90_seconds: {"title":"Resolution P90","meaning":"90th percentile time to resolution (first resolution minus creation).","unit":"seconds","better":"lower","target":{"good":14400,"warn":86400,"sla":"resolution"}},
  fcr_rate: {"title":"FCR","meaning":"Resolved tickets with exactly one agent reply and never reopened ÷ resolved tickets with at least one agent reply.","unit":"ratio","better":"higher","target":{"good":0.6,"warn":0.5,"upTo":0.75}},
  auto_resolution_rate: {"title":"Auto-resolved","meaning":"Resolved tickets no agent replied to (the knowledge base, the bot or auto-close answered) ÷ resolved tickets.","unit":"ratio","better":"higher"},
  reopen_rate: {"title":"Reopened","meaning":"Tickets reopened at least once ÷ resolved tickets.","unit":"ratio","better":"lower"},
  csat_pct: {"title":"Satisfied","meaning":"Rated tickets whose latest CSAT rating is 4 or 5 ÷ rated tickets.","unit":"ratio","better":"higher"},
  csat_avg: {"title":"CSAT","meaning":"Average latest CSAT rating (1–5) of the rated tickets.","unit":"score","better":"higher","target":{"good":4.5,"warn":4}},
  csat_responses: {"title":"CSAT ratings","meaning":"Tickets with a CSAT rating.","unit":"count","better":"higher"},
  csat_response_rate: {"title":"CSAT response rate","meaning":"Tickets sent a CSAT survey that were rated ÷ tickets sent a CSAT survey.","unit":"ratio","better":"higher"},
  nps: {"title":"NPS","meaning":"Net promoter score: 100 × (promoters 9–10 − detractors 0–6) ÷ responses, the latest rating per ticket.","unit":"nps","better":"higher","target":{"good":30,"warn":0}},
  nps_responses: {"title":"NPS responses","meaning":"Tickets with an NPS rating.","unit":"count","better":"higher"},
  repeat_contact_rate: {"title":"Repeat contacts","meaning":"Tickets whose customer had another ticket resolved in the 7 days before (as the desk flagged it on ticket_opened) ÷ tickets created.","unit":"ratio","better":"lower","target":{"good":0.15,"warn":0.2}},
  sla_first_response_met_rate: {"title":"SLA response","meaning":"First-response deadlines met ÷ (met + missed); a ticket still unanswered past its deadline counts as missed, one not yet due — or settled without a human answer before its deadline (a knowledge-base answer accepted) — in neither; the deadline is ticket_opened’s, or the latest queue_changed’s.","unit":"ratio","better":"higher","target":{"good":0.9,"warn":0.8}},
  sla_resolution_met_rate: {"title":"SLA resolution","meaning":"Resolution deadlines met ÷ (met + missed); a ticket still unresolved past its deadline counts as missed, one not yet due in neither; the deadline is ticket_opened’s, or the latest queue_changed’s.","unit":"ratio","better":"higher","target":{"good":0.9,"warn":0.8}},
  incident_linked_share: {"title":"Linked to incidents","meaning":"Tickets created in the period that were linked to an incident (by the desk or by an agent) ÷ tickets created.","unit":"ratio","better":"neither"},
  known_issue_replies: {"title":"Known-issue replies","meaning":"Tickets created in the period that got the automatic \"known issue\" reply (a new ticket about an open incident).","unit":"count","better":"neither"},
  app_tickets: {"title":"Tickets from the app","meaning":"Tickets created in the period from the Mini App's new-request form (the rest came as messages to the bot).","unit":"count","better":"neither"},
  app_ticket_share: {"title":"Opened in the app","meaning":"Tickets created from the Mini App ÷ tickets created (the channel split: the rest came through the chat).","unit":"ratio","better":"neither"},
  app_opens: {"title":"App opens","meaning":"Times customers opened the Mini App in the period (menu button, a ticket or article link, any other launch).","unit":"count","better":"neither"},
  kb_article_views: {"title":"Articles read","meaning":"Knowledge-base articles customers opened in the Mini App in the period.","unit":"count","better":"neither"},
  kb_helpful_rate: {"title":"Articles helpful","meaning":"Of the customers' answers to \"Did this help?\" under an article (the latest per customer and article, given in the period), the share \"yes\".","unit":"ratio","better":"higher"},
  kb_deflections: {"title":"Solved by an article","meaning":"Requests the Mini App never sent: the customer tapped \"Solved by this article\" while writing one.","unit":"count","better":"higher"},
  deflection_rate: {"title":"Deflection","meaning":"Requests started in the Mini App that an article solved before a ticket was sent ÷ (those + tickets created in the app).","unit":"ratio","better":"higher"},
} as const satisfies Record<string, MetricInfo>;

export type MetricKey = keyof typeof METRIC_INFO;
