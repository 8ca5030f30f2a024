/**
 * Turns untrusted text (request and review reasons, annotations, user and role names, resource names)
 * into Mattermost Markdown that shows the text and does nothing else:
 *
 *  - no mentions: "@" gets a zero-width space after it, so neither the server's mention parser
 *    (which reads the raw message, code or not) nor the client's highlighter sees @channel, @all,
 *    @here or @user; "~" (channel links) and "#" (hashtags) likewise;
 *  - no links or images: Markdown punctuation is backslash-escaped and the autolink triggers
 *    ("://", "www.") are broken with a zero-width space, so no [text](url), ![img](url), <url> or bare
 *    URL becomes clickable;
 *  - no breaking out of the template: inline values lose their line breaks (a reason cannot start a
 *    new "**Status**: APPROVED" line) and multi-line text goes into a fenced code block whose
 *    backticks are split with U+FEFF, as Teleport's lib.MarkdownEscape does, so it cannot close the
 *    fence; bidirectional-override and other control characters are dropped (no visual spoofing).
 *
 * Length limits keep a long reason from pushing a post past Mattermost's size limit.
 */

const ZWSP = '\u200b';
const ZWNBSP = '\ufeff';

// C0/C1 controls except tab and newline, DEL, bidi embeddings/overrides/isolates and marks (LRM, RLM
// and the Arabic letter mark U+061C).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// ASCII punctuation with a Markdown (or Mattermost LaTeX/emoji/table) meaning. CommonMark lets any
// ASCII punctuation be backslash-escaped.
const MARKDOWN = /[\\`*_{}[\]()#+\-.!|<>~:&=$^"]/g;

/** Cuts to `max` code points (not UTF-16 units, so no half surrogate pair). */
function truncate(s: string, max: number, marker: string): string {
  const chars = Array.from(s);
  return chars.length > max ? chars.slice(0, max).join('') + marker : s;
}

function defuseTriggers(s: string): string {
  return s
    .replace(/@/g, `@${ZWSP}`)
    .replace(/~/g, `~${ZWSP}`)
    .replace(/#/g, `#${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`);
}

/**
 * One line of plain text, safe anywhere inside a Markdown line (user names, roles, resources,
 * annotation values). Empty input gives "".
 */
export function inline(text: unknown, max = 200): string {
  const s = truncate(String(text ?? '').replace(CONTROL, '').replace(/\s+/g, ' ').trim(), max, '…');
  return defuseTriggers(s.replace(MARKDOWN, (c) => `\\${c}`));
}

/** Inline text shown as code (`value`): nothing inside renders; backticks become look-alikes. */
export function code(text: unknown, max = 200): string {
  const s = truncate(String(text ?? '').replace(CONTROL, '').replace(/\s+/g, ' ').trim(), max, '…').replace(/`/g, 'ˋ');
  return s === '' ? '' : `\`${s.replace(/@/g, `@${ZWSP}`)}\``;
}

/**
 * Multi-line text as a fenced code block (request, review and resolution reasons), or "" for empty
 * text. Truncated to `max` code points with " (truncated)", as Teleport's plugin does (500).
 */
export function block(text: unknown, max = 500): string {
  let s = String(text ?? '').replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  if (s === '') return '';
  s = truncate(s, max, ' (truncated)');
  s = s.replace(/`/g, `\`${ZWNBSP}`).replace(/@/g, `@${ZWSP}`);
  return '```\n' + s + '\n```';
}

/** The id as it must appear inside a link target or a code span (never escaped there). */
export function rawRequestId(id: string): string | undefined {
  return /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : undefined;
}
