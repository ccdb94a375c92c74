/** JSON Schemas of the control API bodies (documented in sandbox/README.md). */

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });
const userId = { type: 'integer', minimum: 1 };
const unixDate = { type: 'integer', minimum: 0 };
const fileSpec = { type: 'object', additionalProperties: true };
const coordinates = { latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 } };

export const mediaProperties = {
  photo: fileSpec,
  document: fileSpec,
  video: fileSpec,
  audio: fileSpec,
  voice: fileSpec,
  video_note: fileSpec,
  animation: fileSpec,
  sticker: fileSpec,
  location: { type: 'object', additionalProperties: true, required: ['latitude', 'longitude'], properties: coordinates },
  venue: {
    type: 'object',
    additionalProperties: true,
    required: ['latitude', 'longitude', 'title', 'address'],
    properties: { ...coordinates, title: { type: 'string', minLength: 1 }, address: { type: 'string', minLength: 1 } },
  },
  contact: {
    type: 'object',
    additionalProperties: true,
    required: ['phone_number', 'first_name'],
    properties: { phone_number: { type: 'string', minLength: 1 }, first_name: { type: 'string', minLength: 1 } },
  },
  poll: {
    type: 'object',
    additionalProperties: false,
    required: ['question', 'options'],
    properties: {
      question: { type: 'string', minLength: 1, maxLength: 300 },
      options: { type: 'array', minItems: 2, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 100 } },
      type: { enum: ['regular', 'quiz'] },
      correct_option_id: { type: 'integer', minimum: 0 },
      correct_option_ids: { type: 'array', items: { type: 'integer', minimum: 0 } },
      is_anonymous: { type: 'boolean' },
      allows_multiple_answers: { type: 'boolean' },
    },
  },
  dice: {
    type: 'object',
    additionalProperties: false,
    properties: { emoji: { enum: ['🎲', '🎯', '🏀', '⚽', '🎳', '🎰'] }, value: { type: 'integer', minimum: 1, maximum: 64 } },
  },
};

const profile = {
  first_name: { type: 'string', minLength: 1, maxLength: 64 },
  last_name: { type: 'string', maxLength: 64 },
  username: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{3,31}$' },
  language_code: { type: 'string', minLength: 2, maxLength: 35 },
};

const writeProperties = {
  text: { type: 'string', maxLength: 4096 },
  caption: { type: 'string', maxLength: 1024 },
  date: unixDate,
  reply_to_message_id: { type: 'integer', minimum: 1 },
  media_group_id: { type: 'string', minLength: 1, maxLength: 64 },
  forward_origin: {
    type: 'object',
    required: ['type', 'date'],
    properties: { type: { enum: ['user', 'hidden_user', 'chat', 'channel'] }, date: unixDate },
    additionalProperties: true,
  },
  ...profile,
  ...mediaProperties,
};

export const schemas = {
  userParams: obj({ user_id: userId }, ['user_id']),
  webAppLaunch: obj({
    start_param: { type: 'string', maxLength: 512 },
    url: { type: 'string', minLength: 1 },
    auth_date: unixDate,
  }),
  userMessageParams: obj({ user_id: userId, message_id: { type: 'integer', minimum: 1 } }, ['user_id', 'message_id']),
  messageParams: obj({ message_id: { type: 'integer', minimum: 1 } }, ['message_id']),
  threadParams: obj({ thread_id: { type: 'integer', minimum: 1 } }, ['thread_id']),
  chatParams: obj({ chat_id: { type: 'integer' } }, ['chat_id']),

  customerMessage: obj(writeProperties),
  edit: obj({ text: { type: 'string', maxLength: 4096 }, caption: { type: 'string', maxLength: 1024 }, date: unixDate }),
  supportEdit: obj({ text: { type: 'string', maxLength: 4096 }, caption: { type: 'string', maxLength: 1024 }, date: unixDate, chat_id: { type: 'integer' } }),
  reaction: obj({ emoji: { type: 'array', maxItems: 3, items: { type: 'string', minLength: 1 } }, date: unixDate }, ['emoji']),
  press: obj({ text: { type: 'string', minLength: 1 }, date: unixDate }, ['text']),
  supportMessage: obj(
    { ...writeProperties, from_id: userId, chat_id: { type: 'integer' }, thread_id: { type: 'integer', minimum: 1 }, not_member: { type: 'boolean' } },
    ['from_id'],
  ),
  supportPress: obj(
    {
      from_id: userId,
      chat_id: { type: 'integer' },
      message_id: { type: 'integer', minimum: 1 },
      thread_id: { type: 'integer', minimum: 1 },
      text: { type: 'string', minLength: 1 },
      date: unixDate,
      not_member: { type: 'boolean' },
    },
    ['from_id', 'text'],
  ),
  member: obj(
    {
      user_id: userId,
      status: { enum: ['member', 'administrator', 'creator', 'restricted', 'left', 'kicked'] },
      chat_id: { type: 'integer' },
      first_name: profile.first_name,
      can_manage_topics: { type: 'boolean' },
    },
    ['user_id', 'status'],
  ),
  chatSettings: obj({ chat_id: { type: 'integer' }, is_forum: { type: 'boolean' } }, ['is_forum']),
  topicCreate: obj({ from_id: userId, chat_id: { type: 'integer' }, name: { type: 'string' }, icon_color: { type: 'integer' } }, ['from_id', 'name']),
  topicChange: obj({ from_id: userId, chat_id: { type: 'integer' }, name: { type: 'string' }, closed: { type: 'boolean' } }, ['from_id']),
  chatQuery: obj({
    chat_id: { type: 'integer' },
    include_deleted: { type: 'boolean' },
    thread_id: { type: 'integer', minimum: 1 },
    since: { type: 'integer', minimum: 0 },
  }),
  clock: obj({ unix: { type: 'integer', minimum: 0 }, advance_seconds: { type: 'number' } }),
  fault: obj(
    {
      method: { type: 'string', minLength: 1, pattern: '^(\\*|[A-Za-z]+)$' },
      error_code: { type: 'integer', minimum: 400, maximum: 599 },
      description: { type: 'string', minLength: 1 },
      retry_after: { type: 'integer', minimum: 1 },
      count: { type: 'integer', minimum: 1 },
      probability: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      after_effect: { type: 'boolean' },
      drop: { type: 'boolean' },
    },
    ['method'],
  ),
};
