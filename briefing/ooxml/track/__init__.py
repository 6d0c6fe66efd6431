"""Writing and resolving tracked changes: revision ids, accept/reject, diff."""
