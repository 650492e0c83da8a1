/** A key or value shown as escaped text (React renders it as text: never as HTML). */
import type { BytesView } from '@/lib/contract';
import { printable } from '@/components/operations/opsText';

export function BytesCell({ view }: { view: BytesView | null }) {
  const { text, note } = printable(view);
  return (
    <td className="ops-bytes-cell">
      {text !== '' && <code className="ops-bytes">{text}</code>}
      {note && <span className="muted"> ({note})</span>}
    </td>
  );
}
