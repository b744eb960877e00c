import Testing

@Suite struct BlackboardWorkflowEngineTestsPlaceholder {
    @Test func builds() {}
}
