/**
 * A key or value shown as escaped text (React renders it as text: never as HTML): its first line
 * in the table, the rest of what the server sent behind "show all", and, for a dead letter cut
 * short, a button that fetches and saves the whole record.
 */
import type { BytesView } from '@/lib/contract';
import { preview, printable } from '@/components/operations/opsText';

interface BytesCellProps {
  view: BytesView | null;
  /** Offered when the view was cut short: saves the whole record. */
  onDownload?: () => void;
}

export function BytesCell({ view, onDownload }: BytesCellProps) {
  const { text, note } = printable(view);
  const { start, more } = preview(text);
  return (
    <td className="ops-bytes-cell">
      {text !== '' && (
        <code className="ops-bytes">
          {start}
          {more && '…'}
        </code>
      )}
      {note && <span className="muted"> ({note})</span>}
      {more && (
        <details className="ops-bytes-more">
          <summary>Show all {view?.truncated ? 'that is kept here' : ''}</summary>
          {/* Focusable: it scrolls, and a keyboard must be able to scroll it. */}
          <pre className="ops-bytes-full" tabIndex={0} aria-label="All of it that is kept here">
            {text}
          </pre>
        </details>
      )}
      {onDownload && view?.truncated && (
        <button type="button" className="ops-bytes-download" onClick={onDownload}>
          Download all {view.bytes.toLocaleString()} bytes
        </button>
      )}
    </td>
  );
}
