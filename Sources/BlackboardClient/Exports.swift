// Clients name profile entries, pairs and deliveries in their calls; importing
// BlackboardClient alone brings those types along.
@_exported import struct BlackboardCore.ConceptFilter
@_exported import struct BlackboardCore.ProfileDelta
@_exported import struct BlackboardCore.ProfileEntry
@_exported import struct BlackboardProtocol.Delivery
@_exported import struct BlackboardProtocol.Pair
@_exported import enum BlackboardTLS.TLSProtocolVersion
