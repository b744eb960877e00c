import Testing

@Suite struct BlackboardWorkflowTestsPlaceholder {
    @Test func builds() {}
}
