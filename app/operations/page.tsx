import type { Metadata } from 'next';
import { OperationsView } from '@/components/operations/OperationsView';

export const metadata: Metadata = {
  title: 'Operations · windowpane',
  description: "The worker group's lag, watermarks and members, and the records set aside",
};

export default function OperationsPage() {
  return <OperationsView />;
}
