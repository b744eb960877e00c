// The workflow model (docs/WORKFLOWS.md): filled in by issue 5.
enum WorkflowModule {}
