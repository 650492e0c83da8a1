/**
 * A table in a box of its own that scrolls sideways on a narrow screen, so the page never does.
 * The box is focusable and named by the caption, so keyboard users can scroll it too.
 */
import { useId, type ReactNode } from 'react';

export function ScrollTable({
  caption,
  children,
  testId,
}: {
  caption: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="table-scroll ops-scroll" role="region" aria-labelledby={id} tabIndex={0} data-testid={testId}>
      <table className="ops-table">
        <caption id={id}>
          {/* Kept in view while the table scrolls sideways under it. */}
          <span className="ops-caption-text">{caption}</span>
        </caption>
        {children}
      </table>
    </div>
  );
}
