import Testing

@Suite struct BlackboardMonitorTestsPlaceholder {
    @Test func builds() {}
}
