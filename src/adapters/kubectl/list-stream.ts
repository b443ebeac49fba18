// Incremental parser for a Kubernetes List document (`{"kind":"PodList","metadata":{...},"items":[...]}`) that
// arrives in chunks: hands out `metadata` and each element of `items` as soon as it is complete, so memory is
// bounded by the largest single item rather than the whole list. Only the top-level `metadata` and `items`
// values are kept; everything else is scanned and dropped.

export class ListStreamError extends Error {
  override name = 'ListStreamError';
}

export interface ListStreamHandlers {
  onMetadata?(meta: { continue?: string; resourceVersion?: string; remainingItemCount?: number; [k: string]: unknown }): void;
  onItem(item: unknown): void;
  /** Top-level `kind` (e.g. `Status` when the server answered an error with 200). */
  onKind?(kind: string): void;
  /** An item larger than the item limit was skipped (not parsed, not kept); the rest of the list goes on. */
  onSkip?(skipped: SkippedItem): void;
}

export interface SkippedItem {
  /** Position of the item in this document. */
  index: number;
  /** Its size (characters of JSON). */
  bytes: number;
  /** metadata.namespace / metadata.name when they came first in the item (as the API server writes them). */
  namespace?: string;
  name?: string;
}

const enum Ctx {
  Object = 1,
  Array = 2,
}

/** Maximum size of one item or of metadata (a Kubernetes object is at most ~1.5 MiB in etcd). */
export const DEFAULT_MAX_ITEM_BYTES = 8 * 1024 * 1024;

/** Name and namespace of an object from the start of its JSON (the API server writes metadata first). */
function identify(head: string): { namespace?: string; name?: string } {
  const m = head.slice(0, 4096).match(/^\{\s*(?:"(?:kind|apiVersion)"\s*:\s*"[^"\\]*"\s*,\s*)*"metadata"\s*:\s*\{([^{}]*)/);
  if (!m) return {};
  const field = (k: string) => m[1]!.match(new RegExp(`"${k}"\\s*:\\s*"([a-z0-9.-]{1,253})"`))?.[1];
  const out: { namespace?: string; name?: string } = {};
  const name = field('name');
  const namespace = field('namespace');
  if (name) out.name = name;
  if (namespace) out.namespace = namespace;
  return out;
}

export class ListStreamParser {
  private stack: Ctx[] = [];
  private inString = false;
  private escape = false;
  /** Top-level key being read, and the last complete top-level key. */
  private keyStart = -1;
  private topKey: string | undefined;
  private expectKey = false;
  /** Capture of the value currently being collected (metadata, an item, or the kind string). */
  private capture: string | undefined;
  private captureFor: 'metadata' | 'item' | 'kind' | undefined;
  private captureDepth = 0;
  private done = false;
  private started = false;
  /** The item being read is over the limit: its text is counted, not kept. */
  private skipping: SkippedItem | undefined;
  private itemIndex = 0;
  itemCount = 0;
  skippedCount = 0;
  bytes = 0;

  constructor(
    private readonly h: ListStreamHandlers,
    private readonly maxItemBytes = DEFAULT_MAX_ITEM_BYTES,
  ) {}

  /** Feeds the next chunk of text. Throws ListStreamError on malformed input. */
  push(chunk: string): void {
    this.bytes += chunk.length;
    let segStart = 0; // start of the part of `chunk` that belongs to the current capture
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92 /* \ */) this.escape = true;
        else if (c === 34 /* " */) {
          this.inString = false;
          if (this.keyStart >= 0 && this.stack.length === 1) {
            // end of a top-level key (keys have no escapes we care about)
            this.topKeyText += chunk.slice(this.keyStart, i);
            this.topKey = this.topKeyText;
            this.keyStart = -1;
          } else if (this.captureFor === 'kind' && this.stack.length === 1) {
            this.append(chunk.slice(segStart, i + 1));
            this.finishCapture();
          }
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (this.done) throw new ListStreamError('unexpected data after the end of the list document');
      if (!this.started) {
        if (c !== 123 /* { */) throw new ListStreamError(`expected a JSON object, got ${JSON.stringify(chunk[i])}`);
        this.started = true;
        this.stack.push(Ctx.Object);
        this.expectKey = true;
        continue;
      }
      const depth = this.stack.length;
      if (c === 34 /* " */) {
        this.inString = true;
        if (depth === 1 && this.expectKey) {
          this.keyStart = i + 1;
          this.topKeyText = '';
          this.expectKey = false;
        } else if (depth === 1 && this.topKey === 'kind' && this.captureFor === undefined) {
          this.beginCapture('kind', i, chunk);
          segStart = i;
        } else if (depth === 2 && this.topKey === 'items' && this.stack[1] === Ctx.Array && this.captureFor === undefined) {
          throw new ListStreamError('list items must be objects');
        }
        continue;
      }
      if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.captureFor === undefined) {
          if (depth === 1 && this.topKey === 'metadata' && c === 123) {
            this.beginCapture('metadata', i, chunk);
            segStart = i;
          } else if (depth === 2 && this.topKey === 'items' && this.stack[1] === Ctx.Array) {
            this.beginCapture('item', i, chunk);
            segStart = i;
          }
        }
        this.stack.push(c === 123 ? Ctx.Object : Ctx.Array);
        continue;
      }
      if (c === 125 /* } */ || c === 93 /* ] */) {
        const top = this.stack.pop();
        if (top === undefined || (c === 125) !== (top === Ctx.Object)) throw new ListStreamError('mismatched brackets in list document');
        if (this.captureFor !== undefined && this.stack.length === this.captureDepth) {
          this.append(chunk.slice(segStart, i + 1));
          this.finishCapture();
        }
        if (this.stack.length === 0) this.done = true;
        else if (this.stack.length === 1) this.expectKey = false;
        continue;
      }
      if (c === 44 /* , */) {
        if (depth === 1) this.expectKey = true;
        continue;
      }
      // ':' and scalar characters: nothing to track at this level
    }
    if (this.captureFor !== undefined) this.append(chunk.slice(segStart));
    if (this.keyStart >= 0) {
      this.topKeyText += chunk.slice(this.keyStart);
      this.keyStart = 0;
    }
  }

  /** Call at end of input: throws when the document was cut short. */
  end(): void {
    if (!this.started) throw new ListStreamError('empty response');
    if (!this.done) throw new ListStreamError('truncated list document');
  }

  private topKeyText = '';

  private beginCapture(kind: 'metadata' | 'item' | 'kind', _i: number, _chunk: string): void {
    this.captureFor = kind;
    this.capture = '';
    this.captureDepth = this.stack.length;
  }

  /** Adds text to the capture; an item that grows over the limit is dropped and only counted from then on
   *  (one oversized object must not fail the whole list); oversized list metadata is an error. */
  private append(text: string): void {
    if (this.skipping) {
      this.skipping.bytes += text.length;
      return;
    }
    this.capture! += text;
    if (this.capture!.length <= this.maxItemBytes) return;
    if (this.captureFor !== 'item') throw new ListStreamError(`a list ${this.captureFor} exceeds ${this.maxItemBytes} bytes`);
    this.skipping = { index: this.itemIndex, bytes: this.capture!.length, ...identify(this.capture!) };
    this.capture = '';
  }

  private finishCapture(): void {
    const text = this.capture!;
    const kind = this.captureFor!;
    this.capture = undefined;
    this.captureFor = undefined;
    if (kind === 'item' && this.skipping) {
      const skipped = this.skipping;
      this.skipping = undefined;
      this.itemIndex++;
      this.skippedCount++;
      this.h.onSkip?.(skipped);
      return;
    }
    if (kind === 'item') this.itemIndex++;
    if (text.length > this.maxItemBytes) throw new ListStreamError(`a list ${kind} exceeds ${this.maxItemBytes} bytes`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new ListStreamError(`malformed ${kind} in list document: ${(err as Error).message}`);
    }
    if (kind === 'item') {
      this.itemCount++;
      this.h.onItem(value);
    } else if (kind === 'metadata') this.h.onMetadata?.(value as Record<string, never>);
    else this.h.onKind?.(String(value));
  }
}
