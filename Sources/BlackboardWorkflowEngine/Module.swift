import BlackboardWorkflow

// The workflow engine (docs/WORKFLOWS.md): filled in by issue 5.
enum WorkflowEngineModule {}
