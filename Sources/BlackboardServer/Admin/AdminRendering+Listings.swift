// The listing bodies. Every page is one JSON object, the rows under the
// endpoint's name, then `total` and `next` (PageRequest.swift):
//
//   {"subscribers":[ROW,…],"total":N,"next":"urn:…"|null}
//   {"publishers":[ROW,…],"total":N,"next":…}
//   {"concepts":[{"entry":"wf:A","subscribers":3},…],"total":N,"next":…}
//   {"version":V,"entries":["res.>","wf:A",…],"total":N,"next":…}
//
// Every row of a listing has the same keys; one that does not apply to the row
// (`connected_since` of an away client) is null. Keys, in order:
//   uri, name, identity, state ("connected" | "away"), address, connected_since,
//   disconnected_at, expires_at (epoch ms), lease_seconds, then
//   subscribers: profile_entries, deliveries, missed;
//   publishers: messages_published, acknowledged_version;
//   and pending_bytes.

extension AdminRendering {
    /// A `/subscribers` page.
    public static func subscribersJSON(_ page: Page<SubscriberRow>) -> String {
        listing("subscribers", page) { row in
            registrationFields(row.registration)
                + ",\"profile_entries\":\(row.profileEntries),\"deliveries\":\(row.deliveries),\"missed\":\(row.missed)"
                + ",\"pending_bytes\":\(row.registration.pendingBytes)"
        }
    }

    /// A `/publishers` page.
    public static func publishersJSON(_ page: Page<PublisherRow>) -> String {
        listing("publishers", page) { row in
            registrationFields(row.registration)
                + ",\"messages_published\":\(row.messagesPublished)"
                + ",\"acknowledged_version\":\(jsonNumber(row.acknowledgedVersion))"
                + ",\"pending_bytes\":\(row.registration.pendingBytes)"
        }
    }

    /// A `/concepts` page.
    public static func conceptsJSON(_ page: Page<ConceptRow>) -> String {
        listing("concepts", page) { "\"entry\":\(jsonString($0.entry)),\"subscribers\":\($0.subscribers)" }
    }

    /// A `/profile` page: the version, then the entries as strings.
    public static func profileJSON(_ profile: ProfilePage) -> String {
        let entries = profile.entries.rows.map { jsonString($0) }.joined(separator: ",")
        return "{\"version\":\(profile.version),\"entries\":[\(entries)]" + pageEnd(profile.entries)
    }

    /// `{"NAME":[{ROW},…],"total":…,"next":…}`; `fields` renders a row's fields without braces.
    private static func listing<Row>(_ name: String, _ page: Page<Row>, _ fields: (Row) -> String) -> String {
        "{\"\(name)\":[" + page.rows.map { "{" + fields($0) + "}" }.joined(separator: ",") + "]" + pageEnd(page)
    }

    private static func pageEnd<Row>(_ page: Page<Row>) -> String {
        ",\"total\":\(page.total),\"next\":\(jsonString(page.next))}\n"
    }

    /// The keys every subscriber and publisher row starts with.
    private static func registrationFields(_ registration: Registration) -> String {
        let state: String, since: UInt64?, disconnectedAt: UInt64?, expiresAt: UInt64?
        switch registration.presence {
        case let .connected(connectedSince):
            (state, since, disconnectedAt, expiresAt) = ("connected", connectedSince, nil, nil)
        case let .away(left, expires):
            (state, since, disconnectedAt, expiresAt) = ("away", nil, left, expires)
        }
        return "\"uri\":\(jsonString(registration.uri)),\"name\":\(jsonString(registration.name))"
            + ",\"identity\":\(jsonString(registration.identity))"
            + ",\"state\":\"\(state)\",\"address\":\(jsonString(registration.address))"
            + ",\"connected_since\":\(jsonNumber(since)),\"disconnected_at\":\(jsonNumber(disconnectedAt))"
            + ",\"expires_at\":\(jsonNumber(expiresAt)),\"lease_seconds\":\(registration.leaseSeconds)"
    }
}
