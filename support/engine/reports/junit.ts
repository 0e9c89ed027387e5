/**
 * JUnit with kubeproof's three verdicts. Cucumber's JUnit printer writes a
 * not-verified (pending) scenario as a bare `<failure/>`: CI shows a failure
 * with no reason. Here a not-verified scenario becomes
 * `<skipped message="not verified: REASON">` (the form Jenkins, GitLab and
 * GitHub test reporters show as skipped, with the message), failed stays
 * `<failure message=…>`, passed has no child. The run still exits non-zero
 * (cucumber --strict), so a not-verified criterion is never green.
 */

type Envelope = Record<string, any>;

/** The exception type marking a not-verified step for the JUnit printer; rewriteJUnit turns it into `<skipped>`. */
export const NOT_VERIFIED_TYPE = 'kubeproof.NotVerified';

/** Attachments titled so by support/engine/verdict.ts carry a not-verified check's reason. */
const NOT_VERIFIED_TITLE = 'NOT VERIFIED: ';

/** The one-line reason of a not-verified check, from the attachment verdict.ts writes; undefined for other attachments. */
export function notVerifiedReason(attachment: { fileName?: string; body?: string } | undefined): string | undefined {
  if (!attachment?.fileName?.startsWith(NOT_VERIFIED_TITLE)) return undefined;
  const check = attachment.fileName.slice(NOT_VERIFIED_TITLE.length);
  const reason = /^Reason: (.*)$/m.exec(attachment.body ?? '')?.[1]?.trim();
  return reason ? `${check}: ${reason}` : check;
}

/**
 * Feeds cucumber messages to a JUnit printer, giving every PENDING step result
 * the not-verified reason recorded just before it (as an exception of type
 * NOT_VERIFIED_TYPE), so the printer carries the reason into the XML.
 */
export class NotVerifiedMarker {
  private readonly reasons = new Map<string, { reason: string; text: string }>();

  mark(e: Envelope): Envelope {
    if (e.attachment) {
      const reason = notVerifiedReason(e.attachment);
      if (reason) this.reasons.set(`${e.attachment.testCaseStartedId}/${e.attachment.testStepId}`, { reason, text: `${e.attachment.fileName}\n${e.attachment.body}` });
      return e;
    }
    const f = e.testStepFinished;
    if (!f || f.testStepResult?.status !== 'PENDING') return e;
    const found = this.reasons.get(`${f.testCaseStartedId}/${f.testStepId}`);
    const message = `not verified: ${found?.reason ?? 'the step returned pending without a reason'}`;
    const exception = { type: NOT_VERIFIED_TYPE, message, stackTrace: found?.text ?? message };
    return { testStepFinished: { ...f, testStepResult: { ...f.testStepResult, message, exception } } };
  }
}

/**
 * Rewrites the printer's XML: each `<failure type=NOT_VERIFIED_TYPE …>` becomes
 * `<skipped message=…>` with the same text, and the suite's counts move them
 * from failures to skipped.
 */
export function rewriteJUnit(xml: string): string {
  let moved = 0;
  const failure = new RegExp(`<failure type="${NOT_VERIFIED_TYPE.replace(/\./g, '\\.')}"((?: [a-z]+="[^"]*")*)\\s*(?:/>|>([\\s\\S]*?)</failure>)`, 'g');
  const out = xml.replace(failure, (_m, attrs: string, body?: string) => {
    moved++;
    return body === undefined ? `<skipped${attrs}/>` : `<skipped${attrs}>${body}</skipped>`;
  });
  if (!moved) return out;
  return out.replace(/<testsuite\b[^>]*>/, (tag) =>
    tag
      .replace(/ failures="(\d+)"/, (_m, n: string) => ` failures="${Math.max(0, Number(n) - moved)}"`)
      .replace(/ skipped="(\d+)"/, (_m, n: string) => ` skipped="${Number(n) + moved}"`),
  );
}
