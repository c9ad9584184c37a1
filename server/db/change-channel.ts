// The PostgreSQL NOTIFY channel that wakes every node after a row is appended to `changes`. It is named where the
// statements that write it live (the change feed listens on it; the sign-in statement notifies on it in SQL).
export const CHANGE_CHANNEL = 'mamgate_changes';
