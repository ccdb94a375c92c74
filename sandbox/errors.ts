/**
 * Bot API errors with Telegram's exact codes and descriptions.
 *
 * Bots branch on these strings (grammY's GrammyError exposes `description`),
 * so the wording here is copied from what api.telegram.org returns, not
 * paraphrased.
 */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'BotApiError';
  }

  toJSON() {
    return {
      ok: false as const,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (what: string) => new BotApiError(400, `Bad Request: ${what}`);
export const forbidden = (what: string) => new BotApiError(403, `Forbidden: ${what}`);
export const conflict = (what: string) => new BotApiError(409, `Conflict: ${what}`);
export const tooManyRequests = (retryAfter: number) => new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

/** The errors the sandbox reproduces, named by the situation that causes them. */
export const TelegramErrors = {
  notFound: () => new BotApiError(404, 'Not Found'),
  unauthorized: () => new BotApiError(401, 'Unauthorized'),
  chatNotFound: () => badRequest('chat not found'),
  userNotFound: () => badRequest('user not found'),
  threadNotFound: () => badRequest('message thread not found'),
  topicClosed: () => badRequest('TOPIC_CLOSED'),
  topicIdInvalid: () => badRequest('TOPIC_ID_INVALID'),
  topicNotModified: () => badRequest('TOPIC_NOT_MODIFIED'),
  topicNameEmpty: () => badRequest('name must be non-empty'),
  notAForum: () => badRequest('the chat is not a forum'),
  notEnoughRightsTopics: () => badRequest('not enough rights to create a topic'),
  notEnoughRightsManageTopic: () => badRequest('CHAT_ADMIN_REQUIRED'),
  notModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ),
  editNotFound: () => badRequest('message to edit not found'),
  cantEdit: () => badRequest("message can't be edited"),
  noTextToEdit: () => badRequest('there is no text in the message to edit'),
  noCaptionToEdit: () => badRequest('there is no caption in the message to edit'),
  copyNotFound: () => badRequest('message to copy not found'),
  cantCopy: () => badRequest("message can't be copied"),
  forwardNotFound: () => badRequest('message to forward not found'),
  deleteNotFound: () => badRequest('message to delete not found'),
  cantDelete: () => badRequest("message can't be deleted"),
  pinNotFound: () => badRequest('message to pin not found'),
  reactNotFound: () => badRequest('message to react not found'),
  replyNotFound: () => badRequest('message to be replied not found'),
  textEmpty: () => badRequest('message text is empty'),
  textTooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  queryTooOld: () => badRequest('query is too old and response timeout expired or query ID is invalid'),
  botBlocked: () => forbidden('bot was blocked by the user'),
  botKicked: () => forbidden('bot was kicked from the supergroup chat'),
  botCantInitiate: () => forbidden("bot can't initiate conversation with a user"),
  wrongFileId: () => badRequest('wrong file identifier/HTTP URL specified'),
  pollingConflict: () => conflict('terminated by other getUpdates request; make sure that only one bot instance is running'),
  webhookActive: () => conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
} as const;
