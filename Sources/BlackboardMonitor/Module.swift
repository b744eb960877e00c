import CSQLite

// The monitoring service (docs/WORKFLOWS.md): filled in by issue 5.
enum MonitorModule {}
