/** The worker group's members as the group coordinator describes them. */
import type { GroupMemberView } from '@/lib/contract';
import { ScrollTable } from '@/components/operations/ScrollTable';

export function MembersTable({
  members,
  state,
  groupId,
}: {
  members: GroupMemberView[];
  state: string;
  groupId: string;
}) {
  return (
    <ScrollTable
      testId="members-table"
      caption={
        <>
          Members of <code>{groupId}</code> ({state}, {members.length} {members.length === 1 ? 'member' : 'members'})
        </>
      }
    >
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">Client</th>
          <th scope="col">Host</th>
          <th scope="col">Assigned partitions</th>
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.memberId}>
            <th scope="row">
              <code>{m.memberId}</code>
            </th>
            <td>{m.clientId}</td>
            <td>{m.host}</td>
            <td>
              {m.assignment === null ? (
                <span className="muted">unknown (rebalancing)</span>
              ) : m.assignment.length === 0 ? (
                <span className="muted">none</span>
              ) : (
                m.assignment.map((a) => (
                  <div key={a.topic}>
                    <code>{a.topic}</code>: {a.partitions.join(', ') || 'none'}
                  </div>
                ))
              )}
            </td>
          </tr>
        ))}
        {members.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">
              No worker is in the group: nothing is being windowed.
            </td>
          </tr>
        )}
      </tbody>
    </ScrollTable>
  );
}
