/**
 * X's documented limits on what a request may carry (docs/x-api.md), in characters as X counts
 * them (an emoji is one). The nodes check them before anything is sent; the emulator enforces them.
 */

/** A Direct Message's text, and the DM text that carries a feedback card. */
export const MAX_TEXT = 10_000;
/** feedback/create `external_id`. */
export const MAX_EXTERNAL_ID = 256;
/** feedback/create `display_name`. */
export const MAX_DISPLAY_NAME = 20;
/** URL buttons (`ctas`) under one Direct Message. */
export const MAX_BUTTONS = 3;
/** Quick reply options of one Direct Message. */
export const MAX_QUICK_REPLIES = 20;
/** A button's or a quick reply option's label. */
export const MAX_LABEL = 36;
/** A quick reply option's description. */
export const MAX_OPTION_DESCRIPTION = 72;
/** A quick reply option's metadata. */
export const MAX_METADATA = 1000;
/** feedback/events: events per page (`count`), X's maximum and default. */
export const PAGE_SIZE = 100;
/** users/lookup: users per request. */
export const MAX_LOOKUP_USERS = 100;
/** feedback/events: calls per 15-minute window (X's beta docs, feedback/events.rst). */
export const EVENTS_CALLS_PER_WINDOW = 1000;
