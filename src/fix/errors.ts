// Errors of the fix layer that the operator reads (FixError, MigrationError, HostNameError, DockerAuthError,
// ClusterStepError): built from a catalogue message, their `message` is the English text (journals, logs, tests)
// and `text` is the same in the reader's language. An error from elsewhere (the file system, a parser) keeps its own
// text wherever it is quoted.
import { messageIn, msg, tr, type Message, type ParamValue } from '../i18n/index.js';

export class MessageError extends Error {
  /** The message this error was built from (absent for an error built from plain text). */
  readonly said?: Message;
  constructor(m: string | Message) {
    super(typeof m === 'string' ? m : messageIn('en', m));
    if (typeof m !== 'string') this.said = m;
  }
}

/** What an error says, as a message param: its message when it has one, else its own text. */
export function errorParam(err: unknown): ParamValue {
  if (err instanceof MessageError && err.said) return err.said;
  return err instanceof Error ? err.message : String(err);
}

/** What an error says, in the reader's language when it was built from a message. */
export function errorText(err: unknown): string {
  if (err instanceof MessageError && err.said) return tr(err.said, err.message);
  return err instanceof Error ? err.message : String(err);
}

/** A phrase the views print: a message in the reader's language, or text that has none. */
export type Said = Message | string;

export function saidText(s: Said): string {
  return typeof s === 'string' ? s : tr(s);
}

export function saidEnglish(s: Said): string {
  return typeof s === 'string' ? s : messageIn('en', s);
}

/** An action's description: the English text (journal, --json) and the message for the fix screen. */
export function actionText(m: Message): { description: string; descriptionMessage: Message } {
  return { description: messageIn('en', m), descriptionMessage: m };
}

/** Phrases joined with ", " (an enumeration comma in zh-CN and ja), as one param value. */
export function joinComma(items: readonly Said[]): Said {
  if (items.length === 0) return '';
  return items.slice(1).reduce<Said>((a, b) => msg('fix.listComma', { a, b }), items[0]!);
}

/** Phrases joined with "; " (a comma-like separator in zh-CN and ja), as one param value. */
export function joinSaid(items: readonly Said[]): Said {
  if (items.length === 0) return '';
  return items.slice(1).reduce<Said>((a, b) => msg('fix.list', { a, b }), items[0]!);
}
